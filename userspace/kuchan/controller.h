// SPDX-License-Identifier: GPL-2.0
//
// Questions to the kernel's generic netlink controller ("nlctrl").
#ifndef KUCHAN_USERSPACE_KUCHAN_CONTROLLER_H_
#define KUCHAN_USERSPACE_KUCHAN_CONTROLLER_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
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

// The steps GetFamily() takes, for tests that ask the controller themselves.
// A CTRL_CMD_GETFAMILY request, its attributes still to add.
absl::StatusOr<NlMsg> GetFamilyRequest();
// Sends the request and reads the family the controller describes with
// `parse`, checking that it is the one asked for.
using ParseFamilyFn =
    absl::FunctionRef<absl::StatusOr<FamilyInfo>(absl::Span<const uint8_t>)>;
absl::StatusOr<FamilyInfo> AskController(Socket& sock, const std::string& name,
                                         NlMsg& msg, const AttrNamer& name_attr,
                                         ParseFamilyFn parse);

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_CONTROLLER_H_
