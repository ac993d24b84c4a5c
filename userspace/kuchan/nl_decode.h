// SPDX-License-Identifier: GPL-2.0
//
// The pieces the generated decoders (protoc-gen-kuchan-cpp, gen/cpp_gen.h)
// are made of. Each answers only whether the payload is what the schema
// says; the words for what is wrong come from the reflection codec, which
// the caller runs when a generated decoder gives up (codec.h has the rules
// both follow).
#ifndef KUCHAN_USERSPACE_KUCHAN_NL_DECODE_H_
#define KUCHAN_USERSPACE_KUCHAN_NL_DECODE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "userspace/kuchan/nla.h"

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

// A fixed-size integer: the payload must be exactly its size.
template <typename T>
inline bool Fixed(absl::Span<const uint8_t> p, T* v) {
  if (p.size() != sizeof(T)) return false;
  std::memcpy(v, p.data(), sizeof(T));
  return true;
}

// A flag carries no payload.
inline bool Flag(absl::Span<const uint8_t> p) { return p.empty(); }

// A NUL-terminated string without a NUL inside, min_len..max_len bytes
// long without its terminator; *v excludes the terminator.
inline bool NulString(absl::Span<const uint8_t> p, uint32_t min_len,
                      uint32_t max_len, absl::string_view* v) {
  if (p.empty() || p.back() != 0) return false;
  const size_t len = p.size() - 1;
  if (len < min_len || len > max_len) return false;
  if (std::memchr(p.data(), 0, len) != nullptr) return false;
  *v = absl::string_view(reinterpret_cast<const char*>(p.data()), len);
  return true;
}

// A binary payload of min_len..max_len bytes.
inline bool Binary(absl::Span<const uint8_t> p, uint32_t min_len,
                   uint32_t max_len, absl::string_view* v) {
  if (p.size() < min_len || p.size() > max_len) return false;
  *v = absl::string_view(reinterpret_cast<const char*>(p.data()), p.size());
  return true;
}

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
