// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/controller.h"

#include <linux/genetlink.h>

#include <optional>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "userspace/kuchan/genl_ctrl.msg.h"
#include "userspace/kuchan/status_macros.h"

namespace kuchan {
namespace {

using ParseFamilyFn =
    absl::FunctionRef<absl::StatusOr<FamilyInfo>(absl::Span<const uint8_t>)>;

void GetFamilyRequest(std::string* buf) {
  // Version 1 of the controller's own protocol: the one every kernel since
  // 2.6 speaks for CTRL_CMD_GETFAMILY.
  StartGenlRequest(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
}

// Sends the request and reads the family the controller describes with
// `parse`, checking that it is the one asked for.
absl::StatusOr<FamilyInfo> AskController(Socket& sock, const std::string& name,
                                         std::string& request,
                                         const AttrNamer& name_attr,
                                         ParseFamilyFn parse) {
  const std::string context =
      absl::StrCat("looking up generic netlink family `", name, "'");
  std::optional<FamilyInfo> info;
  absl::Status st = sock.Transact(
      absl::Span<uint8_t>(reinterpret_cast<uint8_t*>(request.data()),
                          request.size()),
      {context, name_attr},
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

}  // namespace

absl::StatusOr<FamilyInfo> GetFamily(Socket& sock, const std::string& name) {
  std::string msg;
  GetFamilyRequest(&msg);
  genl::msg::CtrlFamily request;
  request.family_name = name;
  RETURN_IF_ERROR(Encode(request, &msg));
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
