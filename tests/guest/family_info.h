// SPDX-License-Identifier: GPL-2.0
//
// A generic netlink family as three independent sources describe it: the
// kernel's genetlink controller asked directly (QueryFamily), iproute2's
// `genl ctrl get name NAME` and `kuchanctl info`. The guest suites compare
// them, so kuchanctl is checked against code that shares none of its own.
#ifndef KUCHAN_TESTS_GUEST_FAMILY_INFO_H_
#define KUCHAN_TESTS_GUEST_FAMILY_INFO_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kuchan::guest {

// Op flag bits as the genetlink controller reports them
// (include/uapi/linux/genetlink.h).
inline constexpr uint32_t kOpAdmin = 0x01;     // GENL_ADMIN_PERM
inline constexpr uint32_t kOpDo = 0x02;        // GENL_CMD_CAP_DO
inline constexpr uint32_t kOpDump = 0x04;      // GENL_CMD_CAP_DUMP
inline constexpr uint32_t kOpHasPol = 0x08;    // GENL_CMD_CAP_HASPOL
inline constexpr uint32_t kOpUnsAdmin = 0x10;  // GENL_UNS_ADMIN_PERM
inline constexpr uint32_t kOpFlagsKnown = 0x1f;

struct FamilyInfo {
  std::string name;
  uint32_t id = 0;
  uint32_t version = 0;
  uint32_t hdrsize = 0;
  uint32_t maxattr = 0;
  std::map<uint32_t, uint32_t> ops;         // op number -> flags
  // False when the source does not report op flags (then all are 0):
  // iproute2's genl prints an op's "Capabilities" only for families whose
  // own version is 2 or more (it mistakes the family's version for the
  // controller's).
  bool op_flags_known = true;
  std::map<std::string, uint32_t> groups;   // multicast group name -> id
};

// Asks the kernel's genetlink controller (CTRL_CMD_GETFAMILY) over a raw
// NETLINK_GENERIC socket, no libraries. NotFound when the kernel does not
// know the family.
absl::StatusOr<FamilyInfo> QueryFamily(const std::string& name);

// QueryFamily(name)'s id: cheap enough to call in a tight loop.
absl::StatusOr<uint16_t> GenlFamilyId(const std::string& name);

// Parses the output of `genl ctrl get name NAME` (iproute2 6.1: hex numbers,
// "Capabilities (0xN)" per op). InvalidArgument quoting the offending line
// when it does not look like that.
absl::StatusOr<FamilyInfo> ParseGenlCtrlGet(absl::string_view text);

// Parses the output of `kuchanctl info` ("key: value" lines, decimal
// numbers, "op: N NAME WORD..." and "group: N NAME").
absl::StatusOr<FamilyInfo> ParseKuchanctlInfo(absl::string_view text);

}  // namespace kuchan::guest

#endif  // KUCHAN_TESTS_GUEST_FAMILY_INFO_H_
