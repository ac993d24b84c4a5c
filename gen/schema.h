// SPDX-License-Identifier: GPL-2.0
//
// The netlink view of a protobuf schema: which messages are attribute sets,
// what netlink type and bounds each field has, which enum holds the commands
// and which the multicast groups. Read from the nl.* options of
// proto/netlink.proto, with the type derivation rules written there.
//
// Both the kernel generator and the user-space codec read the schema through
// this one file, so the kernel's policies and the library's validation
// cannot disagree.
#ifndef KUCHAN_GEN_SCHEMA_H_
#define KUCHAN_GEN_SCHEMA_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "proto/netlink.pb.h"

namespace kuchan::schema {

// One attribute of a set, with everything derived from its field.
struct AttrSpec {
  const google::protobuf::FieldDescriptor* field = nullptr;
  uint16_t type = 0;  // the attribute type: the field number
  nl::AttrType nla = nl::UNSPEC;  // never UNSPEC once derived
  std::optional<int64_t> min, max;  // integers
  std::optional<uint32_t> min_len, max_len;  // strings and binary
  std::optional<uint32_t> max_count;  // repeated nests (MULTI_NESTED)
  bool reply_only = false;
  // For NESTED and MULTI_NESTED: the attribute set of the members.
  const google::protobuf::Descriptor* nested = nullptr;
};

// The netlink type that a field's protobuf type implies, and its bounds,
// checked for consistency (e.g. an S32 on a uint64 field is an error).
absl::StatusOr<AttrSpec> DeriveAttr(const google::protobuf::FieldDescriptor& f);

// The payload size of fixed-size types (U8..S64: 1..8, FLAG: 0); 0 with
// false for variable-size ones.
bool FixedSize(nl::AttrType t, size_t* size);

// The attribute set a message declares with (nl.set), or "" if it is none.
std::string SetName(const google::protobuf::Descriptor& m);

// Lowest and highest value an integer type can carry.
int64_t TypeMin(nl::AttrType t);
uint64_t TypeMax(nl::AttrType t);

// "NLA_U32" for nl::U32, etc.
const char* KernelTypeName(nl::AttrType t);

struct Op {
  const google::protobuf::EnumValueDescriptor* value = nullptr;
  nl::Op options;
  const google::protobuf::Descriptor* request = nullptr;  // may be null
  const google::protobuf::Descriptor* reply = nullptr;    // may be null
  // What the op's own request policy admits, in attribute type order:
  // (nl.op).request_attrs, or every attribute of the request set but PAD
  // and reply_only ones.
  std::vector<AttrSpec> request_attrs;
};

// Fills op->request_attrs from op->options and op->request.
absl::Status RequestAttrs(Op* op);

// The set's PAD attribute, or null when it has none.
const google::protobuf::FieldDescriptor* PadOf(
    const google::protobuf::Descriptor& m);

struct GroupSpec {
  const google::protobuf::EnumValueDescriptor* value = nullptr;
  nl::Group options;
};

struct Family {
  const google::protobuf::FileDescriptor* file = nullptr;
  nl::Family options;
  std::vector<Op> ops;             // in enum order, without the 0 value
  std::vector<GroupSpec> groups;   // in enum order
  std::vector<const google::protobuf::Descriptor*> sets;  // in file order
  std::vector<const google::protobuf::EnumDescriptor*> enums;  // plain enums
};

// Reads and checks the family a schema file describes.
absl::StatusOr<Family> ReadFamily(const google::protobuf::FileDescriptor& file);

// Lower-case name of a command or group for people and for the controller:
// CMD_HELPER_SET -> "helper_set", MONITOR -> "monitor".
std::string ShortName(const google::protobuf::EnumValueDescriptor& v);

// The comment above a schema element (message, field, enum, value), as
// both generators carry it into what they write; "" when there is none.
template <typename D>
std::string LeadingComment(const D& d) {
  google::protobuf::SourceLocation loc;
  return d.GetSourceLocation(&loc) ? loc.leading_comments : "";
}

}  // namespace kuchan::schema

#endif  // KUCHAN_GEN_SCHEMA_H_
