// SPDX-License-Identifier: GPL-2.0
//
// The netlink layout of a protobuf message marked (nl.set), derived once by
// reflection over its nl.* options and cached for the life of the process:
// the codec looks attributes up by type in a flat table instead of walking
// descriptors and options on every message.
#ifndef KUCHAN_USERSPACE_KUCHAN_ATTR_SET_H_
#define KUCHAN_USERSPACE_KUCHAN_ATTR_SET_H_

#include <cstdint>
#include <limits>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "google/protobuf/descriptor.h"
#include "proto/netlink.pb.h"

namespace kuchan {

class AttrSet;

// One attribute of a set: its field, its wire type (UNSPEC resolved by the
// rules in netlink.proto) and its bounds, with "no bound" spelled as the
// widest value so the codec compares without checking presence.
struct AttrSpec {
  const google::protobuf::FieldDescriptor* field = nullptr;
  nl::AttrType type = nl::UNSPEC;
  int64_t min = std::numeric_limits<int64_t>::min();
  int64_t max = std::numeric_limits<int64_t>::max();
  // Whether max was given: an unbounded u64 goes past INT64_MAX.
  bool has_max = false;
  uint32_t min_len = 0;
  uint32_t max_len = std::numeric_limits<uint32_t>::max();
  uint32_t max_count = std::numeric_limits<uint32_t>::max();
  bool reply_only = false;
  // NESTED, MULTI_NESTED, NESTED_ARRAY: the set of the nest's (or members')
  // attributes.
  const AttrSet* nested = nullptr;
};

class AttrSet {
 public:
  // The layout of `d`, built on first use (thread-safe) and never freed.
  // Fails when `d` or a message nested in it lacks (nl.set), or when a
  // field cannot be an attribute (floating point, repeated scalar, a field
  // number above the 14-bit attribute type space, a (nl.attr).type that does
  // not fit the field's type, a bound that does not apply to the type).
  static absl::StatusOr<const AttrSet*> For(
      const google::protobuf::Descriptor* d);

  const google::protobuf::Descriptor* descriptor() const { return desc_; }

  // The attribute of type `type`, or nullptr when the set has none.
  const AttrSpec* Find(uint32_t type) const {
    if (type >= specs_.size() || specs_[type].field == nullptr) return nullptr;
    return &specs_[type];
  }

  // Indexed by attribute type; entries without a field are holes.
  absl::Span<const AttrSpec> specs() const { return specs_; }
  uint32_t max_type() const { return static_cast<uint32_t>(specs_.size()) - 1; }

 private:
  friend class AttrSetBuilder;
  explicit AttrSet(const google::protobuf::Descriptor* d) : desc_(d) {}

  const google::protobuf::Descriptor* desc_;
  std::vector<AttrSpec> specs_;
};

// "u32", "multi_nested", ...: for messages.
const char* AttrTypeName(nl::AttrType t);

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_ATTR_SET_H_
