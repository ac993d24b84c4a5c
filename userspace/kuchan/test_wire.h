// SPDX-License-Identifier: GPL-2.0
//
// Tests only: netlink wire data built by hand, byte by byte, independently
// of the codec under test (attributes may lie about their length).
#ifndef KUCHAN_USERSPACE_KUCHAN_TEST_WIRE_H_
#define KUCHAN_USERSPACE_KUCHAN_TEST_WIRE_H_

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace kuchan::wire {

inline absl::Span<const uint8_t> Bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

template <typename T>
std::string Value(T v) {
  return std::string(reinterpret_cast<const char*>(&v), sizeof(v));
}

inline std::string Pad(std::string s) {
  s.append(((s.size() + 3) & ~size_t{3}) - s.size(), '\0');
  return s;
}

// An attribute with an explicit nla_len, which may lie; padded to 4.
inline std::string RawAttr(uint16_t len, uint16_t type,
                           absl::string_view payload) {
  return Pad(Value(len) + Value(type) + std::string(payload));
}

inline std::string Attr(uint16_t type, absl::string_view payload) {
  return RawAttr(static_cast<uint16_t>(4 + payload.size()), type, payload);
}

// A NUL-terminated string payload.
inline std::string Str(absl::string_view s) { return std::string(s) + '\0'; }

inline std::string Nest(uint16_t type, absl::string_view inner) {
  return Attr(type | NLA_F_NESTED, inner);
}

// A netlink message: nlmsghdr (nlmsg_len computed) and payload, padded.
inline std::string NlMsg(uint16_t type, uint16_t flags, uint32_t seq,
                         uint32_t port, absl::string_view payload) {
  nlmsghdr h = {};
  h.nlmsg_len = static_cast<uint32_t>(sizeof(h) + payload.size());
  h.nlmsg_type = type;
  h.nlmsg_flags = flags;
  h.nlmsg_seq = seq;
  h.nlmsg_pid = port;
  return Pad(Value(h) + std::string(payload));
}

inline std::string GenlHeader(uint8_t cmd, uint8_t version) {
  genlmsghdr g = {};
  g.cmd = cmd;
  g.version = version;
  return Value(g);
}

}  // namespace kuchan::wire

#endif  // KUCHAN_USERSPACE_KUCHAN_TEST_WIRE_H_
