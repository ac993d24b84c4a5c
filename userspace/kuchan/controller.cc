// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/controller.h"

#include <linux/genetlink.h>
#include <netlink/msg.h>

#include <optional>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "userspace/kuchan/genl_ctrl.msg.h"
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

absl::StatusOr<FamilyInfo> GetFamily(Socket& sock, const std::string& name) {
  ASSIGN_OR_RETURN(NlMsg msg, GetFamilyRequest());
  genl::msg::CtrlFamily request;
  request.family_name = name;
  // Encoding into a string and copying it once is simpler than a second
  // encoder over nla_put(), and as fast for a request this size.
  std::string attrs;
  RETURN_IF_ERROR(Encode(request, &attrs));
  if (nlmsg_append(msg.get(), attrs.data(), attrs.size(), NLMSG_ALIGNTO) < 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("family name `%s' does not fit a request", name));
  }
  return AskController(
      sock, name, msg, genl::msg::DescribeAttr<genl::msg::CtrlFamily>,
      [&](absl::Span<const uint8_t> reply) -> absl::StatusOr<FamilyInfo> {
        absl::StatusOr<FamilyInfo> f = ParseNewFamily(reply);
        if (f.ok()) return f;
        return absl::DataLossError(absl::StrCat(
            "looking up generic netlink family `", name,
            "': malformed answer from the controller: ", f.status().message()));
      });
}

}  // namespace kuchan
