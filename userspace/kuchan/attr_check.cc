// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/attr_check.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "userspace/kuchan/nla.h"

namespace kuchan {
namespace {

// Strings in messages are escaped and cut: they may be binary or huge.
std::string Quote(absl::string_view s) {
  constexpr size_t kMaxShown = 40;
  if (s.size() > kMaxShown) {
    return absl::StrCat("`", absl::CEscape(s.substr(0, kMaxShown)), "...'");
  }
  return absl::StrCat("`", absl::CEscape(s), "'");
}

}  // namespace

absl::Status AttrError(AttrName a, absl::string_view detail) {
  return absl::InvalidArgumentError(
      absl::StrFormat("%s (attr %d): %s", a.full_name, a.number, detail));
}

absl::Status InNestError(const absl::Status& st, AttrName a, int index) {
  std::string where =
      index < 0
          ? absl::StrFormat("%s (attr %d)", a.full_name, a.number)
          : absl::StrFormat("%s[%d] (attr %d)", a.full_name, index, a.number);
  return absl::Status(st.code(), absl::StrCat(where, ": ", st.message()));
}

absl::Status CheckUnsigned(AttrName a, uint64_t v, int64_t min, bool has_max,
                           int64_t max) {
  if (min > 0 && v < static_cast<uint64_t>(min)) {
    return AttrError(a, absl::StrFormat("%d is below the minimum %d", v, min));
  }
  if (has_max && (max < 0 || v > static_cast<uint64_t>(max))) {
    return AttrError(a, absl::StrFormat("%d is above the maximum %d", v, max));
  }
  return absl::OkStatus();
}

absl::Status CheckSigned(AttrName a, int64_t v, int64_t min, int64_t max) {
  if (v < min) {
    return AttrError(a, absl::StrFormat("%d is below the minimum %d", v, min));
  }
  if (v > max) {
    return AttrError(a, absl::StrFormat("%d is above the maximum %d", v, max));
  }
  return absl::OkStatus();
}

absl::Status CheckLength(AttrName a, absl::string_view v, const char* what,
                         uint32_t min_len, uint32_t max_len) {
  if (v.size() < min_len) {
    return AttrError(a, absl::StrFormat("%s %s is %d bytes, below min_len %d",
                                        what, Quote(v), v.size(), min_len));
  }
  if (v.size() > max_len) {
    return AttrError(a, absl::StrFormat("%s %s is %d bytes, above max_len %d",
                                        what, Quote(v), v.size(), max_len));
  }
  return absl::OkStatus();
}

absl::Status DoesNotFit(AttrName a, uint64_t v, const char* type_name) {
  return AttrError(a, absl::StrFormat("%d does not fit a %s", v, type_name));
}

absl::Status TooLong(AttrName a, size_t len) {
  return AttrError(a, absl::StrFormat("%d bytes do not fit one attribute "
                                      "(at most %d)",
                                      len, kMaxNlaPayload));
}

absl::Status StringHasNul(AttrName a, absl::string_view s, size_t at) {
  return AttrError(
      a, absl::StrFormat("string %s has a NUL at byte %d", Quote(s), at));
}

absl::Status TooManyMembers(AttrName a, size_t n, uint32_t max_count) {
  return AttrError(
      a, absl::StrFormat("%d members, above max_count %d", n, max_count));
}

absl::Status MoreThanMemberTypes(AttrName a, size_t n) {
  return AttrError(a, absl::StrFormat("%d members, more than member types 1..%d",
                                      n, 0x3fff));
}

absl::Status ExpectSize(AttrName a, size_t got, size_t want) {
  return AttrError(a, absl::StrFormat("expected %d bytes, got %d", want, got));
}

absl::Status FlagWithPayload(AttrName a, size_t got) {
  return AttrError(
      a, absl::StrFormat("a flag carries no payload, got %d bytes", got));
}

absl::Status LacksNul(AttrName a, absl::string_view raw) {
  return AttrError(
      a, absl::StrFormat("string %s lacks its NUL terminator", Quote(raw)));
}

absl::Status NestedTooDeep(AttrName a) {
  return AttrError(a, absl::StrFormat("nested deeper than %d", kMaxNestDepth));
}

absl::Status MoreThanMaxCount(AttrName a, uint32_t max_count) {
  return AttrError(
      a, absl::StrFormat("more than max_count %d members", max_count));
}

absl::Status MemberType(AttrName a, uint32_t index, uint32_t type) {
  return AttrError(a, absl::StrFormat("member %d has type %d, expected %d",
                                      index, type, index + 1));
}

absl::Status AppearsTwice(AttrName a) {
  return AttrError(a, "appears more than once");
}

absl::Status OneofConflict(AttrName a, AttrName other,
                           absl::string_view oneof) {
  return AttrError(a, absl::StrFormat("conflicts with %s (attr %d) in oneof %s",
                                      other.full_name, other.number, oneof));
}

}  // namespace kuchan
