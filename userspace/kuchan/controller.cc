// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/controller.h"

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <optional>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "userspace/kuchan/status_macros.h"

namespace kuchan {

absl::StatusOr<NlMsg> GetFamilyRequest() {
  ASSIGN_OR_RETURN(NlMsg msg, NlMsg::Alloc());
  // Version 1 of the controller's own protocol: the one every kernel since
  // 2.6 speaks for CTRL_CMD_GETFAMILY.
  RETURN_IF_ERROR(PutGenlHeader(&msg, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1));
  return msg;
}

absl::StatusOr<FamilyInfo> AskController(Socket& sock, const std::string& name,
                                         NlMsg& msg, const AttrNamer& name_attr,
                                         ParseFamilyFn parse) {
  const std::string context =
      absl::StrCat("looking up generic netlink family `", name, "'");
  std::optional<FamilyInfo> info;
  absl::Status st = sock.Transact(
      msg, {context, name_attr},
      [&](absl::Span<const uint8_t> reply) -> absl::Status {
        ASSIGN_OR_RETURN(FamilyInfo f, parse(reply));
        info = std::move(f);
        return absl::OkStatus();
      });
  // The controller answers ENOENT for a name it does not know.
  if (absl::IsNotFound(st)) {
    return absl::NotFoundError(absl::StrFormat(
        "generic netlink family `%s' does not exist", name));
  }
  RETURN_IF_ERROR(st);
  if (!info.has_value()) {
    return absl::DataLossError(
        absl::StrCat(context, ": the controller acknowledged without "
                              "describing the family"));
  }
  if (info->name != name) {
    return absl::DataLossError(absl::StrFormat(
        "%s: the controller described family `%s' instead", context,
        info->name));
  }
  return *std::move(info);
}

namespace {

// Id, name, version and groups of a CTRL_CMD_NEWFAMILY, with libnl's parser.
absl::StatusOr<FamilyInfo> ParseNewFamilyBrief(absl::Span<const uint8_t> reply) {
  // libnl's parser needs a mutable header; the reply is a copy we own.
  std::string copy(reinterpret_cast<const char*>(reply.data()), reply.size());
  auto* nlh = reinterpret_cast<nlmsghdr*>(copy.data());
  nla_policy policy[CTRL_ATTR_MAX + 1] = {};
  policy[CTRL_ATTR_FAMILY_ID].type = NLA_U16;
  policy[CTRL_ATTR_FAMILY_NAME].type = NLA_STRING;
  policy[CTRL_ATTR_VERSION].type = NLA_U32;
  policy[CTRL_ATTR_MCAST_GROUPS].type = NLA_NESTED;
  nlattr* tb[CTRL_ATTR_MAX + 1];
  if (genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, policy) < 0 ||
      tb[CTRL_ATTR_FAMILY_ID] == nullptr ||
      tb[CTRL_ATTR_FAMILY_NAME] == nullptr) {
    return absl::DataLossError("malformed answer from the controller");
  }
  FamilyInfo f;
  f.id = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
  f.name = nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]);
  if (tb[CTRL_ATTR_VERSION]) f.version = nla_get_u32(tb[CTRL_ATTR_VERSION]);
  if (tb[CTRL_ATTR_MCAST_GROUPS] == nullptr) return f;
  nla_policy gpolicy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {};
  gpolicy[CTRL_ATTR_MCAST_GRP_ID].type = NLA_U32;
  gpolicy[CTRL_ATTR_MCAST_GRP_NAME].type = NLA_STRING;
  nlattr* grp;
  int rem;
  nla_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS], rem) {
    nlattr* gb[CTRL_ATTR_MCAST_GRP_MAX + 1];
    if (nla_parse_nested(gb, CTRL_ATTR_MCAST_GRP_MAX, grp, gpolicy) < 0 ||
        gb[CTRL_ATTR_MCAST_GRP_ID] == nullptr ||
        gb[CTRL_ATTR_MCAST_GRP_NAME] == nullptr) {
      return absl::DataLossError("malformed multicast group");
    }
    f.groups.push_back({nla_get_u32(gb[CTRL_ATTR_MCAST_GRP_ID]),
                        nla_get_string(gb[CTRL_ATTR_MCAST_GRP_NAME])});
  }
  return f;
}

}  // namespace

absl::StatusOr<FamilyInfo> ResolveFamily(Socket& sock,
                                         const std::string& name) {
  ASSIGN_OR_RETURN(NlMsg msg, GetFamilyRequest());
  if (nla_put_string(msg.get(), CTRL_ATTR_FAMILY_NAME, name.c_str()) < 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("family name `%s' does not fit a request", name));
  }
  // No attribute set: naming a bad attribute would build the controller
  // schema's descriptors, which is what this path avoids.
  return AskController(
      sock, name, msg, AttrNamer(),
      [&](absl::Span<const uint8_t> reply) -> absl::StatusOr<FamilyInfo> {
        absl::StatusOr<FamilyInfo> f = ParseNewFamilyBrief(reply);
        if (f.ok()) return f;
        return absl::Status(f.status().code(),
                            absl::StrCat("looking up generic netlink family `",
                                         name, "': ", f.status().message()));
      });
}

}  // namespace kuchan
