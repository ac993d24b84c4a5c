// SPDX-License-Identifier: GPL-2.0
//
// The schema's checks on one attribute, and the errors that say which rule
// an attribute broke, without protobuf. Shared by the reflection codec
// (codec.cc) and the typed codec protoc-gen-kuchan-cpp writes (*.msg.cc),
// so that both refuse the same things in the same words, e.g.
//   kuchan.SignalRequest.signal (attr 2): expected 4 bytes, got 8
// An attribute is named by its schema field's full name and number.
#ifndef KUCHAN_USERSPACE_KUCHAN_ATTR_CHECK_H_
#define KUCHAN_USERSPACE_KUCHAN_ATTR_CHECK_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "userspace/kuchan/nla.h"

namespace kuchan {

// Nests inside nests deeper than this are refused on decode: only a
// recursive schema allows it, and the recursion must not follow an
// attacker's buffer down the stack.
inline constexpr int kMaxNestDepth = 16;

// The largest payload one attribute can carry: nla_len is 16 bits.
inline constexpr size_t kMaxNlaPayload = 0xffff - 4;

struct AttrName {
  absl::string_view full_name;  // "kuchan.SignalRequest.signal"
  int number;                   // its attribute type
};

// "<full name> (attr <n>): <detail>", InvalidArgument.
absl::Status AttrError(AttrName a, absl::string_view detail);

// An error from inside a nest, prefixed with the nest (and, for a member of
// a list, its index; -1 for a single nest). InNest() passes OK through;
// InNestError() takes only errors.
absl::Status InNestError(const absl::Status& st, AttrName a, int index);
// Inline: the typed codec calls it twice per list member, on SIGNAL's hot
// path, and it passes OK through.
inline absl::Status InNest(absl::Status st, AttrName a, int index) {
  if (ABSL_PREDICT_TRUE(st.ok())) return st;
  return InNestError(st, a, index);
}

// Bounds as (nl.attr) gives them: min <= 0 and !has_max mean none.
absl::Status CheckUnsigned(AttrName a, uint64_t v, int64_t min, bool has_max,
                           int64_t max);
absl::Status CheckSigned(AttrName a, int64_t v, int64_t min, int64_t max);
// `what` is "string" (NUL_STRING: the length excludes the NUL) or
// "payload" (BINARY).
absl::Status CheckLength(AttrName a, absl::string_view v, const char* what,
                         uint32_t min_len, uint32_t max_len);

// Encoding.
absl::Status DoesNotFit(AttrName a, uint64_t v, const char* type_name);
absl::Status TooLong(AttrName a, size_t len);
absl::Status StringHasNul(AttrName a, absl::string_view s, size_t at);
absl::Status TooManyMembers(AttrName a, size_t n, uint32_t max_count);
absl::Status MoreThanMemberTypes(AttrName a, size_t n);
// Writes the nla_len of the nest BeginNla() (nla.h) opened at `at` in *out,
// or refuses a nest grown past what nla_len can hold.
inline absl::Status CloseNest(AttrName a, std::string* out, size_t at) {
  const size_t len = out->size() - at;
  if (ABSL_PREDICT_FALSE(len > 0xffff)) return TooLong(a, len - kNlaHeaderLen);
  EndNla(out, at);
  return absl::OkStatus();
}

// Decoding.
absl::Status ExpectSize(AttrName a, size_t got, size_t want);
absl::Status FlagWithPayload(AttrName a, size_t got);
absl::Status LacksNul(AttrName a, absl::string_view raw);
absl::Status NestedTooDeep(AttrName a);
absl::Status MoreThanMaxCount(AttrName a, uint32_t max_count);
absl::Status MemberType(AttrName a, uint32_t index, uint32_t type);
absl::Status AppearsTwice(AttrName a);
absl::Status OneofConflict(AttrName a, AttrName other,
                           absl::string_view oneof);

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_ATTR_CHECK_H_
