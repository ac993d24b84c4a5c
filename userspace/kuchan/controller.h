// SPDX-License-Identifier: GPL-2.0
//
// Questions to the kernel's generic netlink controller ("nlctrl").
#ifndef KUCHAN_USERSPACE_KUCHAN_CONTROLLER_H_
#define KUCHAN_USERSPACE_KUCHAN_CONTROLLER_H_

#include <string>

#include "absl/status/statusor.h"
#include "userspace/kuchan/family.h"
#include "userspace/kuchan/socket.h"

namespace kuchan {

// CTRL_CMD_GETFAMILY by name: the family's id, version, ops and multicast
// groups as the running kernel has them, encoded and decoded with the typed
// codec generated from genl_ctrl.proto (no protobuf: connecting runs this).
// NotFound ("generic netlink family `NAME' does not exist") when the kernel
// does not know the family. Op names are left empty: the controller knows
// numbers only.
absl::StatusOr<FamilyInfo> GetFamily(Socket& sock, const std::string& name);

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_CONTROLLER_H_
