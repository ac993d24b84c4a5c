// SPDX-License-Identifier: GPL-2.0
//
// The pieces the typed codec's decoders (kuchan.msg.cc, written by
// protoc-gen-kuchan-cpp, gen/msg_gen.h) share beyond the attribute checks
// (attr_check.h): which attributes a set has met, and the reuse of what the
// last decode left in the struct.
#ifndef KUCHAN_USERSPACE_KUCHAN_NL_DECODE_H_
#define KUCHAN_USERSPACE_KUCHAN_NL_DECODE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace kuchan::nlgen {

// Attribute types already met in one set: a singular attribute given twice
// is refused, as the reflection codec refuses it.
template <size_t kWords>
class Seen {
 public:
  // True the first time `type` is seen.
  bool First(uint32_t type) {
    uint64_t& word = words_[type / 64];
    const uint64_t bit = uint64_t{1} << (type % 64);
    if (word & bit) return false;
    word |= bit;
    return true;
  }

  bool Has(uint32_t type) const {
    return words_[type / 64] & (uint64_t{1} << (type % 64));
  }

 private:
  uint64_t words_[kWords] = {};
};

// Decoding into a struct a reader keeps (kuchan.msg.h's Decode()) reuses
// what the previous decode left: a nest present both times is decoded into
// the same member, a list's members in place, a string assigned into its
// buffer. Each set's decoder then clears what the new stream does not
// hold, so the struct ends up as a fresh one would; only no heap block is
// freed and allocated again for the same shape of message.

// The nest in `o` (a std::optional or a kuchan::Boxed), made if absent.
template <typename Optional>
auto& Slot(Optional* o) {
  return o->has_value() ? **o : o->emplace();
}

// Member `*n` of a list, reused if there, then counts it. The decoder
// trims the list to `*n` once the set is read.
template <typename T>
T& Slot(std::vector<T>* v, size_t* n) {
  T& member = *n < v->size() ? (*v)[*n] : v->emplace_back();
  ++*n;
  return member;
}

inline void Assign(std::optional<std::string>* o, absl::string_view v) {
  if (o->has_value())
    (*o)->assign(v.data(), v.size());
  else
    o->emplace(v);
}

}  // namespace kuchan::nlgen

#endif  // KUCHAN_USERSPACE_KUCHAN_NL_DECODE_H_
