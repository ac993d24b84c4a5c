// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/json.h"

#include "absl/strings/str_format.h"

namespace kuchan {

std::string JsonString(absl::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c >= 0x7f) {
      absl::StrAppendFormat(&out, "\\u%04x", c);
    } else {
      out += ch;
    }
  }
  out += '"';
  return out;
}

}  // namespace kuchan
