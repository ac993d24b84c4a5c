// SPDX-License-Identifier: GPL-2.0
//
// The one JSON primitive kuchanctl's hand-written JSON needs: a string
// literal. Numbers are printed as decimals by the callers.
#ifndef KUCHAN_CLI_JSON_H_
#define KUCHAN_CLI_JSON_H_

#include <string>

#include "absl/strings/string_view.h"

namespace kuchan::cli {

// `s` as a JSON string literal, quotes included. Control characters,
// quotes, backslashes and every byte outside printable ASCII are escaped as
// \uXXXX (bytes, not UTF-8 sequences: names from the kernel are ASCII, and
// anything else must still give valid JSON).
std::string JsonString(absl::string_view s);

}  // namespace kuchan::cli

#endif  // KUCHAN_CLI_JSON_H_
