// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/family.h"

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <cstring>

#include "absl/strings/str_format.h"
#include "userspace/kuchan/genl_ctrl.msg.h"
#include "userspace/kuchan/status_macros.h"

namespace kuchan {

absl::StatusOr<FamilyInfo> ParseNewFamily(absl::Span<const uint8_t> msg) {
  constexpr size_t kHeaders = NLMSG_HDRLEN + GENL_HDRLEN;
  if (msg.size() < kHeaders) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "genetlink controller answer of %d bytes, shorter than its headers "
        "(%d)",
        msg.size(), kHeaders));
  }
  nlmsghdr nlh;
  std::memcpy(&nlh, msg.data(), sizeof(nlh));
  if (nlh.nlmsg_len < kHeaders || nlh.nlmsg_len > msg.size()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "genetlink controller answer with nlmsg_len %d in %d bytes",
        nlh.nlmsg_len, msg.size()));
  }
  if (nlh.nlmsg_type != GENL_ID_CTRL) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "expected a genetlink controller message (type %d), got type %d",
        GENL_ID_CTRL, nlh.nlmsg_type));
  }
  genlmsghdr gnlh;
  std::memcpy(&gnlh, msg.data() + NLMSG_HDRLEN, sizeof(gnlh));
  if (gnlh.cmd != CTRL_CMD_NEWFAMILY) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "expected CTRL_CMD_NEWFAMILY (%d) from the genetlink controller, got "
        "command %d",
        CTRL_CMD_NEWFAMILY, gnlh.cmd));
  }

  genl::msg::CtrlFamily ctrl;
  RETURN_IF_ERROR(
      Decode(msg.subspan(kHeaders, nlh.nlmsg_len - kHeaders), &ctrl));
  if (!ctrl.family_id || !ctrl.family_name) {
    return absl::InvalidArgumentError(
        "genetlink controller answer without CTRL_ATTR_FAMILY_ID or "
        "CTRL_ATTR_FAMILY_NAME");
  }
  FamilyInfo info;
  info.name = *ctrl.family_name;
  info.id = static_cast<uint16_t>(*ctrl.family_id);
  info.version = ctrl.version.value_or(0);
  info.hdrsize = ctrl.hdrsize.value_or(0);
  info.maxattr = ctrl.maxattr.value_or(0);
  for (const genl::msg::CtrlOp& op : ctrl.ops) {
    info.ops.push_back({op.id.value_or(0), op.flags.value_or(0), ""});
  }
  for (const genl::msg::CtrlGroup& g : ctrl.mcast_groups) {
    // A group without its id or name cannot be joined by name: refused
    // rather than read as group 0.
    if (!g.id || !g.name) {
      return absl::InvalidArgumentError(
          "genetlink controller answer with a multicast group without "
          "CTRL_ATTR_MCAST_GRP_ID or CTRL_ATTR_MCAST_GRP_NAME");
    }
    info.groups.push_back({*g.id, *g.name});
  }
  return info;
}

}  // namespace kuchan
