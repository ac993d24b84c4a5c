// SPDX-License-Identifier: GPL-2.0
//
// Protobuf message <-> netlink attribute stream, by reflection over the nl.*
// options of proto/netlink.proto. A message marked (nl.set) is an attribute
// set; a field's number is its attribute type; its wire type is the explicit
// (nl.attr).type or the one derived from the field's type (uint32 -> U32,
// int32 -> S32, uint64 -> U64, int64 -> S64, bool -> FLAG, string ->
// NUL_STRING, bytes -> BINARY, enum -> U32, message -> NESTED, repeated
// message -> MULTI_NESTED: one nest of the field's type per member, in
// order; or, given explicitly, NESTED_ARRAY: one nest whose members are
// nests typed 1..n, as the genetlink controller writes its lists). PAD
// attributes (the kernel's alignment of 64-bit ones) are never encoded and
// always skipped.
//
// Presence. Only fields the message has are encoded (proto2 explicit
// presence); a repeated field is encoded when it has at least one element.
// A bool (FLAG) is encoded when it is set to true: a flag attribute cannot
// say "false", so a bool set to false is omitted like an unset one.
//
// Bounds. Both directions enforce (nl.attr) min, max, min_len, max_len and
// max_count, and U8/U16 ranges, so the library refuses to send what the
// kernel's policy would reject and refuses replies that break the schema.
// (nl.attr).reply_only is not checked: the codec does not know the
// direction; the kernel rejects such an attribute in a request.
//
// Unknown attributes. DecodeAttrs SKIPS attribute types that the set does
// not define (after checking that their header is sound). Newer modules add
// attributes and event payloads; skipping them keeps older readers working,
// which kuchan.proto promises ("Readers skip attribute types they do not
// know"). The NLA_F_NESTED / NLA_F_NET_BYTEORDER bits of nla_type are
// ignored when matching; encoded nests carry NLA_F_NESTED, which the
// kernel's strict validation requires.
//
// Unknown enum values (a newer module's EventType, say) follow protobuf's
// proto2 rule: the field stays unset and the value lands in the message's
// unknown fields.
//
// Hostile input. DecodeAttrs never reads outside `attrs`; a malformed
// stream (truncated header, nla_len < 4 or past the end, wrong payload size
// for the type, a string without its NUL or with one inside, a flag with a
// payload, a singular attribute given twice, two members of one oneof,
// nesting deeper than kMaxNestDepth, out-of-bounds values) is an
// InvalidArgumentError naming the attribute, e.g.
//   kuchan.SignalRequest.signal (attr 2): expected 4 bytes, got 8
// prefixed by the path of nests around it.
#ifndef KUCHAN_USERSPACE_KUCHAN_CODEC_H_
#define KUCHAN_USERSPACE_KUCHAN_CODEC_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "userspace/kuchan/attr_check.h"  // kMaxNestDepth
#include "userspace/kuchan/attr_set.h"
#include "userspace/kuchan/socket.h"


namespace kuchan {

// Appends the attributes of `m` to *out, each padded to 4 bytes. On error
// *out is left as it was.
absl::Status EncodeAttrs(const google::protobuf::Message& m, std::string* out);
absl::Status EncodeAttrs(const AttrSet& set,
                         const google::protobuf::Message& m, std::string* out);

// Clears *m, then fills it from the attribute stream `attrs`. See above for
// what is skipped and what is refused. On error *m holds what was decoded
// before the bad attribute.
absl::Status DecodeAttrs(absl::Span<const uint8_t> attrs,
                         google::protobuf::Message* m);
// The same with the set looked up once by the caller (hot paths: events).
absl::Status DecodeAttrs(const AttrSet& set, absl::Span<const uint8_t> attrs,
                         google::protobuf::Message* m);

// Names the attribute whose header or payload holds byte `offset` of
// `attrs`, a stream of set `d`, descending into nests:
// "kuchan.SignalRequest.targets[2].pid". Used to explain the extended
// ACK's NLMSGERR_ATTR_OFFS. Returns "" when `offset` is outside the stream
// or the stream is malformed before it.
std::string DescribeAttrAt(const google::protobuf::Descriptor* d,
                           absl::Span<const uint8_t> attrs, size_t offset);

// DescribeAttrAt() for set `d`, as a socket Request's namer (socket.h).
AttrNamer AttrNamerFor(const google::protobuf::Descriptor* d);

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_CODEC_H_
