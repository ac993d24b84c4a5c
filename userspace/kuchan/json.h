// SPDX-License-Identifier: GPL-2.0
//
// The one JSON primitive the JSON of the schema's messages needs (the
// generated AppendJson(), kuchan.msg.h, and kuchanctl's): a string literal.
// Numbers are printed as decimals by the callers.
#ifndef KUCHAN_USERSPACE_KUCHAN_JSON_H_
#define KUCHAN_USERSPACE_KUCHAN_JSON_H_

#include <string>

#include "absl/strings/string_view.h"

namespace kuchan {

// `s` as a JSON string literal, quotes included. Control characters,
// quotes, backslashes and every byte outside printable ASCII are escaped as
// \uXXXX (bytes, not UTF-8 sequences: names from the kernel are ASCII, and
// anything else must still give valid JSON).
std::string JsonString(absl::string_view s);

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_JSON_H_
