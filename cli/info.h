// SPDX-License-Identifier: GPL-2.0
//
// `kuchanctl info`: the family as the kernel's controller reports it. The
// text format is parsed by the VM tests (tests/guest/family_info.cc): change
// it only together with them.
#ifndef KUCHAN_CLI_INFO_H_
#define KUCHAN_CLI_INFO_H_

#include <cstdint>
#include <string>

#include "userspace/kuchan/family.h"

namespace kuchan::cli {

// "do admin": the CTRL_ATTR_OP_FLAGS bits kuchanctl knows, in the order
// do, dump, haspol, admin, uns_admin.
std::string OpFlagWords(uint32_t flags);

// One "key: value" line per field, decimal numbers:
//   family: kuchan
//   id: 34
//   version: 1
//   hdrsize: 0
//   maxattr: 3
//   op: 1 signal do          (number, schema name or "unknown", flag words)
//   group: 9 monitor
std::string FormatInfoText(const FamilyInfo& info);

// The same as one JSON object on one line:
//   {"family":"kuchan","id":34,"version":1,"hdrsize":0,"maxattr":3,
//    "ops":[{"op":1,"name":"signal","flags":["do"]}],
//    "groups":[{"id":9,"name":"monitor"}]}
std::string FormatInfoJson(const FamilyInfo& info);

}  // namespace kuchan::cli

#endif  // KUCHAN_CLI_INFO_H_
