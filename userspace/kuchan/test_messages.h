// SPDX-License-Identifier: GPL-2.0
//
// Messages for the codec's tests: written in protobuf's text format and
// encoded with the reflection codec, failing the test on a mistake.
#ifndef KUCHAN_USERSPACE_KUCHAN_TEST_MESSAGES_H_
#define KUCHAN_USERSPACE_KUCHAN_TEST_MESSAGES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "userspace/kuchan/codec.h"

namespace kuchan::wire {

template <typename M>
M Parse(absl::string_view text) {
  M m;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(std::string(text), &m))
      << text;
  return m;
}

inline std::string Encode(const google::protobuf::Message& m) {
  std::string out;
  absl::Status st = EncodeAttrs(m, &out);
  EXPECT_TRUE(st.ok()) << st;
  return out;
}

}  // namespace kuchan::wire

#endif  // KUCHAN_USERSPACE_KUCHAN_TEST_MESSAGES_H_
