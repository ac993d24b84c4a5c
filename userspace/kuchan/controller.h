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
// groups as the running kernel has them. NotFound ("generic netlink family
// `NAME' does not exist") when the kernel does not know the family. Op
// names are left empty: the controller knows numbers only.
absl::StatusOr<FamilyInfo> GetFamily(Socket& sock, const std::string& name);

// The same question for connecting: id, name, version and multicast groups
// only (no ops, hdrsize or maxattr), parsed with libnl's nla_parse instead of
// the reflection codec. Client::Connect() runs on every kuchanctl command:
// under QEMU the codec's first use (building the controller schema's
// descriptors) cost more than the rest of `kuchanctl signal` together.
absl::StatusOr<FamilyInfo> ResolveFamily(Socket& sock, const std::string& name);

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_CONTROLLER_H_
