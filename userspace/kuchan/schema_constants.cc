// SPDX-License-Identifier: GPL-2.0
//
// The family's name, protocol version and monitor group, from the UAPI
// header the generator wrote from the schema: no descriptors, so the signal
// path (which links no protobuf, connection.h) can use them.
#include "kernel/uapi/kuchan.h"
#include "userspace/kuchan/schema_constants.h"

namespace kuchan {

const std::string& SchemaFamilyName() {
  static const std::string* name = new std::string(KUCHAN_FAMILY_NAME);
  return *name;
}

uint32_t SchemaVersion() { return KUCHAN_FAMILY_VERSION; }

const std::string& SchemaMonitorGroupName() {
  static const std::string* name = new std::string(KUCHAN_MCGRP_MONITOR);
  return *name;
}

}  // namespace kuchan
