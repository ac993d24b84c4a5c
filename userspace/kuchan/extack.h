// SPDX-License-Identifier: GPL-2.0
//
// The kernel's answer to a netlink request: the NLMSG_ERROR message (an ACK
// when its error is 0) or a dump's NLMSG_DONE, with the extended ACK the
// socket asked for with NETLINK_EXT_ACK: why the request failed
// (NLMSGERR_ATTR_MSG), which attribute was bad (NLMSGERR_ATTR_OFFS), the
// policy it broke (NLMSGERR_ATTR_POLICY) or which attribute was missing
// (NLMSGERR_ATTR_MISS_TYPE / _MISS_NEST). libnl 3.7 parses none of it, so
// this file does, from bytes, and turns it into an absl::Status.
#ifndef KUCHAN_USERSPACE_KUCHAN_EXTACK_H_
#define KUCHAN_USERSPACE_KUCHAN_EXTACK_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace kuchan {

// NLMSGERR_ATTR_POLICY: the policy entry of the rejected attribute, as the
// kernel reports it (NL_POLICY_TYPE_ATTR_*). Unset members were not sent.
struct ExtAckPolicy {
  std::optional<uint32_t> type;  // NL_ATTR_TYPE_*
  std::optional<int64_t> min_s, max_s;
  std::optional<uint64_t> min_u, max_u;
  std::optional<uint32_t> min_len, max_len;
  std::optional<uint64_t> mask;
};

struct ExtAck {
  // 0 for an ACK, else the positive errno the request failed with.
  int error = 0;
  // The header of the request this answers (sequence number, port).
  uint32_t seq = 0;
  uint32_t port = 0;
  std::string message;
  // Byte offset of the bad attribute in the request, counted from the
  // start of its nlmsghdr.
  std::optional<uint32_t> bad_attr_offset;
  std::optional<ExtAckPolicy> policy;
  std::optional<uint32_t> missing_type;
  // Offset of the nest that lacks missing_type; unset when the attribute
  // is missing at the top level.
  std::optional<uint32_t> missing_nest_offset;
};

// Parses one whole netlink message (from its nlmsghdr) of type
// NLMSG_ERROR or NLMSG_DONE. The original request echoed in an error
// without NETLINK_CAP_ACK is skipped. InvalidArgument, quoting what is
// wrong, when the message is truncated or malformed; malformed extended-ACK
// attributes are ignored one by one (they only add detail).
absl::StatusOr<ExtAck> ParseAck(absl::Span<const uint8_t> msg);

// OK when ack.error is 0. Otherwise a status whose code maps the errno
// (absl::ErrnoToStatusCode) and whose message reads
//   <context>: <strerror> (<ERRNO>): <kernel's message> (attribute <bad_attr>;
//   policy: <type>, <bounds>; missing attribute <n>)
// leaving out the parts the kernel did not send. `bad_attr` names the
// attribute at ack.bad_attr_offset (the caller knows the request's layout);
// when empty the raw offset is shown instead.
absl::Status AckToStatus(const ExtAck& ack, absl::string_view context,
                         absl::string_view bad_attr = "");

// What AckToStatus() keeps in the status's payloads, for callers that act
// on the details (kuchanctl prints kill(1)-style lines from them): the
// positive errno, and the kernel's extack message as it came.
inline constexpr absl::string_view kErrnoPayload = "type.kuchan/errno";
inline constexpr absl::string_view kKernelMessagePayload = "type.kuchan/extack";

// The errno a status from AckToStatus() carries, or 0.
int StatusErrno(const absl::Status& status);
// The kernel's extack message a status from AckToStatus() carries, or "".
std::string StatusKernelMessage(const absl::Status& status);

// "Operation not permitted (EPERM)".
std::string ErrnoText(int errnum);

// "u32, max 64": the policy as a reader wants it.
std::string PolicyText(const ExtAckPolicy& p);

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_EXTACK_H_
