// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/connection.h"

#include <utility>

#include "absl/strings/str_format.h"
#include "userspace/kuchan/controller.h"
#include "userspace/kuchan/schema_constants.h"
#include "userspace/kuchan/status_macros.h"

namespace kuchan {

std::string ModuleNotLoadedMessage() {
  // The module is named after the family.
  const std::string& name = SchemaFamilyName();
  return absl::StrFormat(
      "%s module is not loaded (load it with: modprobe %s, or insmod %s.ko)",
      name, name, name);
}

absl::Status CheckModuleVersion(uint32_t module_version, uint32_t built,
                                absl::string_view program) {
  if (module_version == built) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrFormat(
      "%s module speaks protocol version %d but this %s was built for "
      "version %d: rebuild %s or load the matching module",
      SchemaFamilyName(), module_version, program, built, program));
}

absl::StatusOr<Connection> Connection::Open(absl::string_view program) {
  ASSIGN_OR_RETURN(Socket sock, Socket::Open());
  absl::StatusOr<FamilyInfo> info = ResolveFamily(sock, SchemaFamilyName());
  if (absl::IsNotFound(info.status())) {
    return absl::NotFoundError(ModuleNotLoadedMessage());
  }
  RETURN_IF_ERROR(info.status());
  RETURN_IF_ERROR(CheckModuleVersion(info->version, SchemaVersion(), program));
  const std::string& group = SchemaMonitorGroupName();
  const FamilyGroup* monitor = info->FindGroup(group);
  if (monitor == nullptr) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s module has no multicast group `%s': load the matching module",
        SchemaFamilyName(), group));
  }
  return Connection(std::move(sock), info->id, monitor->id);
}

}  // namespace kuchan
