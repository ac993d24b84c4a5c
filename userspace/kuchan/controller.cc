// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/controller.h"

#include <linux/genetlink.h>

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "userspace/kuchan/codec.h"
#include "userspace/kuchan/genl_ctrl.pb.h"
#include "userspace/kuchan/status_macros.h"

namespace kuchan {

absl::StatusOr<FamilyInfo> GetFamily(Socket& sock, const std::string& name) {
  ASSIGN_OR_RETURN(NlMsg msg, NlMsg::Alloc());
  // Version 1 of the controller's own protocol: the one every kernel since
  // 2.6 speaks for CTRL_CMD_GETFAMILY.
  RETURN_IF_ERROR(PutGenlHeader(&msg, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1));
  genl::CtrlFamily request;
  request.set_family_name(name);
  RETURN_IF_ERROR(EncodeAttrs(request, msg.get()));

  const std::string context =
      absl::StrCat("looking up generic netlink family `", name, "'");
  std::optional<FamilyInfo> info;
  absl::Status st = sock.Transact(
      msg, {context, genl::CtrlFamily::descriptor()},
      [&](absl::Span<const uint8_t> reply) -> absl::Status {
        ASSIGN_OR_RETURN(FamilyInfo f, ParseNewFamily(reply));
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

}  // namespace kuchan
