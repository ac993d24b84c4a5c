// SPDX-License-Identifier: GPL-2.0
//
// What the client needs to know about the family, read by reflection from
// kuchan.proto's options, never written down twice: the family's name and
// protocol version ((nl.family)), the command names (the enum marked
// (nl.commands)) and the multicast group names (the enum marked
// (nl.groups)). Names follow gen/'s rule, so they match the kernel's: the
// enum value's name in lower case, without a "cmd_" prefix (CMD_SIGNAL ->
// "signal", MONITOR -> "monitor").
#ifndef KUCHAN_USERSPACE_KUCHAN_SCHEMA_H_
#define KUCHAN_USERSPACE_KUCHAN_SCHEMA_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "userspace/kuchan/schema_constants.h"

namespace kuchan {

// The name of command `cmd` ("signal"), or "" when the schema has none.
std::string SchemaCommandName(uint32_t cmd);

// The command's enum value, or nullptr when the schema has none: its
// (nl.op) option names the request and reply sets.
const google::protobuf::EnumValueDescriptor* SchemaCommand(uint32_t cmd);

// The name of multicast group `index` (kuchan.Group): "monitor" for 0, ""
// when the schema has none.
std::string SchemaGroupName(int index);

// The enum value name rule above, exposed for tests.
std::string ShortEnumName(absl::string_view enum_value_name);

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_SCHEMA_H_
