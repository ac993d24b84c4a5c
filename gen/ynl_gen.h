// SPDX-License-Identifier: GPL-2.0
//
// Writes the family's YNL spec (<family>.yaml) from its schema: what the
// kernel's own netlink tools read (tools/net/ynl/cli.py), valid against
// Documentation/netlink/genetlink.yaml. Attribute sets, enums, operations
// and the multicast groups, with the schema's bounds as YNL checks and its
// comments as docs; nothing in it is written by hand.
//
// YNL names are the schema's in lower case with dashes ("start-time",
// "get-stats", "signal-sent"); attribute values, op values and enum values
// are written out, so the spec never depends on the order of its lists.
#ifndef KUCHAN_GEN_YNL_GEN_H_
#define KUCHAN_GEN_YNL_GEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "gen/schema.h"

namespace kuchan::gen {

absl::StatusOr<std::string> GenerateYnl(const schema::Family& family);

}  // namespace kuchan::gen

#endif  // KUCHAN_GEN_YNL_GEN_H_
