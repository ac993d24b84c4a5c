// SPDX-License-Identifier: GPL-2.0
//
// Messages for the codec's tests: written in protobuf's text format and
// encoded with the reflection codec, failing the test on a mistake.
#ifndef KUCHAN_USERSPACE_KUCHAN_TEST_MESSAGES_H_
#define KUCHAN_USERSPACE_KUCHAN_TEST_MESSAGES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/unknown_field_set.h"
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

// Whether `m` or a message inside it holds unknown fields (where the
// reflection codec keeps enum values the schema does not know; the
// generated decoders keep them in the field).
inline bool HasUnknownFields(const google::protobuf::Message& m) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection* r = m.GetReflection();
  if (!r->GetUnknownFields(m).empty()) return true;
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        if (HasUnknownFields(r->GetRepeatedMessage(m, f, i))) return true;
      }
    } else if (HasUnknownFields(r->GetMessage(m, f))) {
      return true;
    }
  }
  return false;
}

}  // namespace kuchan::wire

#endif  // KUCHAN_USERSPACE_KUCHAN_TEST_MESSAGES_H_
