// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/controller.h"

#include <linux/genetlink.h>

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "userspace/kuchan/genl_ctrl.msg.h"
#include "userspace/kuchan/status_macros.h"

namespace kuchan {

absl::StatusOr<FamilyInfo> GetFamily(Socket& sock, const std::string& name) {
  const std::string context =
      absl::StrCat("looking up generic netlink family `", name, "'");
  // Version 1 of the controller's own protocol: the one every kernel since
  // 2.6 speaks for CTRL_CMD_GETFAMILY.
  std::string msg;
  StartGenlRequest(&msg, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
  genl::msg::CtrlFamily request;
  request.family_name = name;
  RETURN_IF_ERROR(Encode(request, &msg));

  std::optional<FamilyInfo> info;
  absl::Status st = sock.Transact(
      &msg, {context, genl::msg::DescribeAttr<genl::msg::CtrlFamily>},
      [&](absl::Span<const uint8_t> reply) -> absl::Status {
        absl::StatusOr<FamilyInfo> f = ParseNewFamily(reply);
        if (!f.ok()) {
          return absl::DataLossError(
              absl::StrCat(context, ": malformed answer from the controller: ",
                           f.status().message()));
        }
        info = *std::move(f);
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
