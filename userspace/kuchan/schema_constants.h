// SPDX-License-Identifier: GPL-2.0
//
// The family's name, protocol version and monitor group name, from the UAPI
// header the generator wrote from kuchan.proto: what connecting needs,
// without descriptors, so that the signal path links no protobuf
// (connection.h). schema.h has the names that need reflection.
#ifndef KUCHAN_USERSPACE_KUCHAN_SCHEMA_CONSTANTS_H_
#define KUCHAN_USERSPACE_KUCHAN_SCHEMA_CONSTANTS_H_

#include <cstdint>
#include <string>

namespace kuchan {

// (nl.family).name: "kuchan".
const std::string& SchemaFamilyName();

// (nl.family).version: the protocol version this build speaks.
uint32_t SchemaVersion();

// The monitor group's name ("monitor"), as the kernel registers it.
const std::string& SchemaMonitorGroupName();

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_SCHEMA_CONSTANTS_H_
