// SPDX-License-Identifier: GPL-2.0
//
// A generic netlink family as the kernel's controller describes it, and the
// parser of the controller's CTRL_CMD_NEWFAMILY message: a pure function
// over bytes, so it is tested on any host with hand-built answers.
#ifndef KUCHAN_USERSPACE_KUCHAN_FAMILY_H_
#define KUCHAN_USERSPACE_KUCHAN_FAMILY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace kuchan {

struct FamilyOp {
  uint32_t cmd = 0;
  // CTRL_ATTR_OP_FLAGS: GENL_ADMIN_PERM (0x1), GENL_CMD_CAP_DO (0x2),
  // GENL_CMD_CAP_DUMP (0x4), GENL_CMD_CAP_HASPOL (0x8),
  // GENL_UNS_ADMIN_PERM (0x10).
  uint32_t flags = 0;
  // The schema's name for the command ("signal"); "" when unknown or when
  // nobody named it (ParseNewFamily leaves it empty).
  std::string name;
};

struct FamilyGroup {
  uint32_t id = 0;
  std::string name;
};

struct FamilyInfo {
  std::string name;
  uint16_t id = 0;
  uint32_t version = 0;
  uint32_t hdrsize = 0;
  uint32_t maxattr = 0;
  std::vector<FamilyOp> ops;       // In the order the kernel lists them.
  std::vector<FamilyGroup> groups;

  // The id of the multicast group `name`, or nullptr.
  const FamilyGroup* FindGroup(const std::string& group_name) const {
    for (const FamilyGroup& g : groups) {
      if (g.name == group_name) return &g;
    }
    return nullptr;
  }
};

// Parses one netlink message (nlmsghdr, genlmsghdr, attributes) that must
// be the controller's CTRL_CMD_NEWFAMILY. InvalidArgument, naming the
// problem, for anything else: a truncated message, another command,
// malformed attributes (the generated genl_ctrl.msg.h's words, which are
// codec.h's), a family without id or name.
absl::StatusOr<FamilyInfo> ParseNewFamily(absl::Span<const uint8_t> msg);

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_FAMILY_H_
