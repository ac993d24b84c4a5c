// SPDX-License-Identifier: GPL-2.0
//
// A bounds-checked walk over a stream of netlink attributes, shared by the
// codec, the extended-ACK parser and the controller-reply parser. Every byte
// it hands out lies inside the span it was given, whatever the input says;
// values are read with memcpy because attributes in a received buffer need
// not be aligned for the reader's types.
#ifndef KUCHAN_USERSPACE_KUCHAN_NLA_H_
#define KUCHAN_USERSPACE_KUCHAN_NLA_H_

#include <linux/netlink.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace kuchan {

inline constexpr size_t kNlaHeaderLen = 4;
// nla_type without NLA_F_NESTED / NLA_F_NET_BYTEORDER.
inline constexpr uint16_t kNlaTypeMask = 0x3fff;

inline constexpr size_t NlaAlign(size_t len) { return (len + 3) & ~size_t{3}; }

template <typename T>
T LoadUnaligned(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

// One attribute: its type with the flag bits masked off, where its header
// starts in the walked span, and its payload (nla_len - 4 bytes).
struct Nla {
  uint16_t type = 0;
  uint16_t flags = 0;  // NLA_F_NESTED | NLA_F_NET_BYTEORDER as received.
  size_t offset = 0;
  absl::Span<const uint8_t> payload;
};

class NlaReader {
 public:
  explicit NlaReader(absl::Span<const uint8_t> data) : data_(data) {}

  // Stores the next attribute in *a and returns true; returns false at the
  // end of the stream or on malformed input, which error() then describes.
  bool Next(Nla* a) {
    const size_t left = data_.size() - pos_;
    if (left == 0) return false;
    if (left < kNlaHeaderLen) return Fail(kTruncatedHeader, 0);
    const uint8_t* h = data_.data() + pos_;
    const uint16_t len = LoadUnaligned<uint16_t>(h);
    const uint16_t type = LoadUnaligned<uint16_t>(h + 2);
    if (len < kNlaHeaderLen) return Fail(kShortLength, len);
    if (len > left) return Fail(kPastEnd, len);
    a->type = type & kNlaTypeMask;
    a->flags = type & ~kNlaTypeMask;
    a->offset = pos_;
    a->payload = data_.subspan(pos_ + kNlaHeaderLen, len - kNlaHeaderLen);
    // The padding after the last attribute may be missing, as the kernel's
    // nla_for_each_attr() allows.
    pos_ += NlaAlign(len);
    if (pos_ > data_.size()) pos_ = data_.size();
    return true;
  }

  bool ok() const { return error_ == kNone; }

  // Why Next() stopped early, prefixed with `where` (what was being read).
  absl::Status error(absl::string_view where) const {
    switch (error_) {
      case kNone:
        return absl::OkStatus();
      case kTruncatedHeader:
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s: truncated attribute header at offset %d (%d bytes left)",
            where, pos_, data_.size() - pos_));
      case kShortLength:
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s: attribute at offset %d has nla_len %d, shorter than its "
            "4-byte header",
            where, pos_, bad_len_));
      case kPastEnd:
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s: attribute at offset %d has nla_len %d but only %d bytes "
            "remain",
            where, pos_, bad_len_, data_.size() - pos_));
    }
    return absl::InternalError("unreachable");
  }

 private:
  enum Error { kNone, kTruncatedHeader, kShortLength, kPastEnd };

  bool Fail(Error e, uint16_t len) {
    error_ = e;
    bad_len_ = len;
    return false;
  }

  absl::Span<const uint8_t> data_;
  size_t pos_ = 0;
  Error error_ = kNone;
  uint16_t bad_len_ = 0;
};

// The netlink messages of one datagram, walked with the same guarantees as
// NlaReader: every span handed out lies inside `data`. Next() stops at the
// end, or at a message whose nlmsg_len is shorter than its header or runs
// past the datagram (malformed() then says so; the header is in *hdr and
// offset() is where it starts). A missing pad after the last message is
// allowed. `offset` resumes a walk that an earlier reader stopped.
class NlmsgReader {
 public:
  explicit NlmsgReader(absl::Span<const uint8_t> data, size_t offset = 0)
      : data_(data), pos_(std::min(offset, data.size())) {}

  bool Next(nlmsghdr* hdr, absl::Span<const uint8_t>* msg) {
    if (data_.size() - pos_ < sizeof(nlmsghdr)) return false;
    std::memcpy(hdr, data_.data() + pos_, sizeof(*hdr));
    if (hdr->nlmsg_len < sizeof(nlmsghdr) ||
        hdr->nlmsg_len > data_.size() - pos_) {
      malformed_ = true;
      return false;
    }
    *msg = data_.subspan(pos_, hdr->nlmsg_len);
    pos_ = std::min<size_t>(pos_ + NLMSG_ALIGN(hdr->nlmsg_len), data_.size());
    return true;
  }

  bool malformed() const { return malformed_; }
  size_t offset() const { return pos_; }

 private:
  absl::Span<const uint8_t> data_;
  size_t pos_;
  bool malformed_ = false;
};

// Appends one attribute (header, payload, padding) to *out. The caller
// checks that kNlaHeaderLen + len fits nla_len (0xffff).
inline void AppendNla(std::string* out, uint16_t type, const void* payload,
                      size_t len) {
  const uint16_t hdr[2] = {static_cast<uint16_t>(kNlaHeaderLen + len), type};
  out->append(reinterpret_cast<const char*>(hdr), sizeof(hdr));
  out->append(static_cast<const char*>(payload), len);
  out->append(NlaAlign(len) - len, '\0');
}

// Opens a nest in *out (NLA_F_NESTED set) and returns where it starts, for
// EndNla() once its members are in.
inline size_t BeginNla(std::string* out, uint16_t type) {
  const size_t at = out->size();
  AppendNla(out, type | NLA_F_NESTED, nullptr, 0);
  return at;
}

// Writes the nla_len of the nest BeginNla() opened at `at`. The caller
// checks that out->size() - at fits nla_len (0xffff).
inline void EndNla(std::string* out, size_t at) {
  const uint16_t len = static_cast<uint16_t>(out->size() - at);
  std::memcpy(&(*out)[at], &len, sizeof(len));
}

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_NLA_H_
