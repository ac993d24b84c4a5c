// SPDX-License-Identifier: GPL-2.0
//
// The JSON of any of the schema's protobuf messages, by reflection: the
// oracle the generated msg::AppendJson() (what kuchanctl prints) is tested
// against (msg_test.cc), as the reflection codec is the generated codec's.
// Unlike protobuf's JSON mapping:
//   - every integer is a JSON number, 64-bit ones too (protobuf quotes
//     them, and `jq 'select(.seq > 5)'` then compares a string);
//   - an enum value is its name as the kernel's name tables and the rest of
//     kuchanctl spell it: the prefix all the enum's values share dropped,
//     lower case ("custom", "user"); a value the schema does not know is
//     its number;
//   - field names are the schema's (proto/kuchan.proto), fields appear in
//     field-number order, and only those the message carries; a repeated
//     field is an array; bytes are a string of \u escapes (JsonString()).
// docs/monitor.md shows the output.
#ifndef KUCHAN_USERSPACE_KUCHAN_MESSAGE_JSON_H_
#define KUCHAN_USERSPACE_KUCHAN_MESSAGE_JSON_H_

#include <string>

#include "google/protobuf/message.h"

namespace kuchan {

std::string MessageJson(const google::protobuf::Message& m);

// An enum value's name as MessageJson() prints it.
std::string EnumJsonName(const google::protobuf::EnumValueDescriptor& v);

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_MESSAGE_JSON_H_
