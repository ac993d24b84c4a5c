// SPDX-License-Identifier: GPL-2.0
//
// Messages for the codec's tests: written in protobuf's text format and
// encoded with the reflection codec, failing the test on a mistake.
#ifndef KUCHAN_USERSPACE_KUCHAN_TEST_MESSAGES_H_
#define KUCHAN_USERSPACE_KUCHAN_TEST_MESSAGES_H_

#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
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

// `text` as the protobuf message P, sent through the wire (the reflection
// codec's encoding) and decoded into T, P's typed struct (kuchan.msg.h):
// what a reader of the module's messages holds.
template <typename P, typename T>
T ParseTyped(absl::string_view text, const std::string& prefix = "") {
  const std::string wire = prefix + Encode(Parse<P>(text));
  T typed;
  const absl::Status st = Decode(
      absl::Span<const uint8_t>(reinterpret_cast<const uint8_t*>(wire.data()),
                                wire.size()),
      &typed);
  EXPECT_TRUE(st.ok()) << st << " on " << text;
  return typed;
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

// Input `i` of a differential feed over `seeds`: every fifth pure noise,
// the others a seed flipped, cut, grown or doubled.
inline std::string Mutated(const std::vector<std::string>& seeds, int i,
                           std::mt19937* rng) {
  std::uniform_int_distribution<int> byte(0, 255);
  std::string buf;
  const int mode = i % 5;
  if (mode == 0) {  // Pure noise.
    buf.resize((*rng)() % 96);
    for (char& c : buf) c = static_cast<char>(byte(*rng));
  } else {  // A valid encoding flipped, cut, grown or doubled.
    buf = seeds[(*rng)() % seeds.size()];
    const int flips = 1 + (*rng)() % 3;
    for (int f = 0; f < flips && !buf.empty(); ++f) {
      buf[(*rng)() % buf.size()] = static_cast<char>(byte(*rng));
    }
    if (mode == 2 && !buf.empty()) buf.resize((*rng)() % buf.size());
    if (mode == 3) buf += std::string((*rng)() % 9, '\0');
    if (mode == 4) buf += seeds[(*rng)() % seeds.size()];
  }
  return buf;
}

}  // namespace kuchan::wire

#endif  // KUCHAN_USERSPACE_KUCHAN_TEST_MESSAGES_H_
