// SPDX-License-Identifier: GPL-2.0
#include "gen/schema.h"

#include <algorithm>
#include <limits>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace kuchan::schema {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;

absl::Status Bad(const FieldDescriptor& f, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(f.full_name(), ": ", why));
}

nl::AttrType Implied(const FieldDescriptor& f) {
  switch (f.cpp_type()) {
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_ENUM:
      return nl::U32;
    case FieldDescriptor::CPPTYPE_INT32:
      return nl::S32;
    case FieldDescriptor::CPPTYPE_UINT64:
      return nl::U64;
    case FieldDescriptor::CPPTYPE_INT64:
      return nl::S64;
    case FieldDescriptor::CPPTYPE_BOOL:
      return nl::FLAG;
    case FieldDescriptor::CPPTYPE_STRING:
      return f.type() == FieldDescriptor::TYPE_BYTES ? nl::BINARY
                                                     : nl::NUL_STRING;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return f.is_repeated() ? nl::MULTI_NESTED : nl::NESTED;
    default:
      return nl::UNSPEC;
  }
}

// Which explicit types a field of a given protobuf type may declare: U8 or
// U16 for uint32 and enum fields, either string type for string and bytes
// fields, or the implied type itself.
bool Compatible(const FieldDescriptor& f, nl::AttrType t) {
  switch (f.cpp_type()) {
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_ENUM:
      return t == nl::U8 || t == nl::U16 || t == nl::U32;
    case FieldDescriptor::CPPTYPE_STRING:
      // Text that may hold any byte travels as BINARY; bytes that are
      // always text may travel as NUL_STRING (the codec's rule too). A
      // bytes field may be the set's PAD.
      return t == nl::NUL_STRING || t == nl::BINARY ||
             (t == nl::PAD && f.type() == FieldDescriptor::TYPE_BYTES);
    case FieldDescriptor::CPPTYPE_MESSAGE:
      // A repeated message is a multi-attr, or an indexed array.
      return t == Implied(f) || (f.is_repeated() && t == nl::NESTED_ARRAY);
    default:
      // 64-bit fields too travel as their own type only: the codec reads
      // and writes them through 64-bit accessors (attr_set.cc's rule).
      return t == Implied(f);
  }
}

bool IsInteger(nl::AttrType t) {
  return t == nl::U8 || t == nl::U16 || t == nl::U32 || t == nl::U64 ||
         t == nl::S32 || t == nl::S64;
}

}  // namespace

absl::Status RequestAttrs(Op* op) {
  op->request_attrs.clear();
  const std::string where(op->value->full_name());
  if (op->request == nullptr) {
    if (op->options.request_attrs_size() > 0)
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": request_attrs without a request set"));
    return absl::OkStatus();
  }
  if (op->options.request_attrs_size() == 0) {
    for (int i = 0; i < op->request->field_count(); i++) {
      auto a = DeriveAttr(*op->request->field(i));
      if (!a.ok()) return a.status();
      if (a->nla != nl::PAD && !a->reply_only) op->request_attrs.push_back(*a);
    }
  } else {
    std::set<std::string> named;
    for (const std::string& name : op->options.request_attrs()) {
      const FieldDescriptor* f = op->request->FindFieldByName(name);
      if (f == nullptr || !named.insert(name).second)
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": request_attrs: `", name, "' is not a field of ",
            op->request->full_name(), f ? " named once" : ""));
      auto a = DeriveAttr(*f);
      if (!a.ok()) return a.status();
      if (a->nla == nl::PAD || a->reply_only)
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": request_attrs: `", name, "' is never in a request"));
      op->request_attrs.push_back(*a);
    }
    std::sort(op->request_attrs.begin(), op->request_attrs.end(),
              [](const AttrSpec& x, const AttrSpec& y) { return x.type < y.type; });
  }
  return absl::OkStatus();
}

const FieldDescriptor* PadOf(const Descriptor& m) {
  for (int i = 0; i < m.field_count(); i++) {
    const nl::Attr& o = m.field(i)->options().GetExtension(nl::attr);
    if (o.type() == nl::PAD) return m.field(i);
  }
  return nullptr;
}

bool FixedSize(nl::AttrType t, size_t* size) {
  switch (t) {
    case nl::U8: *size = 1; return true;
    case nl::U16: *size = 2; return true;
    case nl::U32: case nl::S32: *size = 4; return true;
    case nl::U64: case nl::S64: *size = 8; return true;
    case nl::FLAG: *size = 0; return true;
    default: *size = 0; return false;
  }
}

int64_t TypeMin(nl::AttrType t) {
  switch (t) {
    case nl::S32: return std::numeric_limits<int32_t>::min();
    case nl::S64: return std::numeric_limits<int64_t>::min();
    default: return 0;
  }
}

uint64_t TypeMax(nl::AttrType t) {
  switch (t) {
    case nl::U8: return 0xff;
    case nl::U16: return 0xffff;
    case nl::U32: return 0xffffffffu;
    case nl::S32: return std::numeric_limits<int32_t>::max();
    case nl::S64: return std::numeric_limits<int64_t>::max();
    default: return std::numeric_limits<uint64_t>::max();
  }
}

const char* KernelTypeName(nl::AttrType t) {
  switch (t) {
    case nl::U8: return "NLA_U8";
    case nl::U16: return "NLA_U16";
    case nl::U32: return "NLA_U32";
    case nl::U64: return "NLA_U64";
    case nl::S32: return "NLA_S32";
    case nl::S64: return "NLA_S64";
    case nl::FLAG: return "NLA_FLAG";
    case nl::NUL_STRING: return "NLA_NUL_STRING";
    case nl::BINARY: return "NLA_BINARY";
    case nl::NESTED: return "NLA_NESTED";
    case nl::NESTED_ARRAY: return "NLA_NESTED_ARRAY";
    case nl::MULTI_NESTED: return "NLA_NESTED";
    case nl::PAD: return "NLA_UNSPEC";
    default: return "NLA_UNSPEC";
  }
}

std::string SetName(const Descriptor& m) {
  return m.options().GetExtension(nl::set);
}

absl::StatusOr<AttrSpec> DeriveAttr(const FieldDescriptor& f) {
  const nl::Attr& o = f.options().GetExtension(nl::attr);
  AttrSpec a;
  a.field = &f;
  if (f.number() < 1 || f.number() > 0x3fff)
    return Bad(f, "field numbers are attribute types: 1..16383");
  a.type = static_cast<uint16_t>(f.number());
  a.nla = Implied(f);
  if (a.nla == nl::UNSPEC)
    return Bad(f, "no netlink type for this protobuf type");
  if (o.has_type() && o.type() != nl::UNSPEC) {
    if (!Compatible(f, o.type()))
      return Bad(f, absl::StrCat("(nl.attr).type ", nl::AttrType_Name(o.type()),
                                 " does not fit the field's protobuf type"));
    a.nla = o.type();
  }
  if (f.is_repeated() && a.nla != nl::MULTI_NESTED && a.nla != nl::NESTED_ARRAY)
    return Bad(f, "only messages can be repeated (as a MULTI_NESTED)");
  if (a.nla == nl::PAD && (o.has_min() || o.has_max() || o.has_min_len() ||
                           o.has_max_len() || o.has_max_count()))
    return Bad(f, "a PAD carries no bounds");
  if (f.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    a.nested = f.message_type();
    if (SetName(*a.nested).empty())
      return Bad(f, absl::StrCat(a.nested->full_name(),
                                 " is not an attribute set: give it (nl.set)"));
  }

  if (o.has_min() || o.has_max()) {
    if (!IsInteger(a.nla)) return Bad(f, "min/max apply to integers only");
    if (o.has_min()) {
      if (o.min() < TypeMin(a.nla)) return Bad(f, "min below the type's range");
      a.min = o.min();
    }
    if (o.has_max()) {
      if (o.max() < TypeMin(a.nla) ||
          (o.max() > 0 && static_cast<uint64_t>(o.max()) > TypeMax(a.nla)))
        return Bad(f, "max outside the type's range");
      a.max = o.max();
    }
    if (a.min && a.max && *a.min > *a.max) return Bad(f, "min > max");
  } else if (f.cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
    // An enum attribute carries one of the enum's values and nothing else.
    const EnumDescriptor* e = f.enum_type();
    int64_t lo = e->value(0)->number(), hi = lo;
    for (int i = 0; i < e->value_count(); i++) {
      lo = std::min<int64_t>(lo, e->value(i)->number());
      hi = std::max<int64_t>(hi, e->value(i)->number());
    }
    if (lo < 0) return Bad(f, "enum attributes cannot carry negative values");
    a.min = lo;
    a.max = hi;
    if (*a.min == 0) a.min.reset();
  }
  if (o.has_min_len() || o.has_max_len()) {
    if (a.nla != nl::NUL_STRING && a.nla != nl::BINARY)
      return Bad(f, "min_len/max_len apply to strings and bytes only");
    if (o.has_min_len()) a.min_len = o.min_len();
    if (o.has_max_len()) {
      if (o.max_len() > 0xffff) return Bad(f, "max_len above 65535");
      a.max_len = o.max_len();
    }
    if (a.min_len && a.max_len && *a.min_len > *a.max_len)
      return Bad(f, "min_len > max_len");
  }
  if (o.has_max_count()) {
    if (a.nla != nl::MULTI_NESTED && a.nla != nl::NESTED_ARRAY)
      return Bad(f, "max_count applies to repeated messages only");
    if (o.max_count() == 0) return Bad(f, "max_count of 0");
    a.max_count = o.max_count();
  }
  a.reply_only = o.reply_only();
  return a;
}

std::string ShortName(const google::protobuf::EnumValueDescriptor& v) {
  std::string n = absl::AsciiStrToLower(v.name());
  if (absl::StartsWith(n, "cmd_")) n = n.substr(4);
  return n;
}

absl::StatusOr<Family> ReadFamily(const FileDescriptor& file) {
  Family fam;
  fam.file = &file;
  if (!file.options().HasExtension(nl::family))
    return absl::InvalidArgumentError(
        absl::StrCat(file.name(), ": no (nl.family) file option"));
  fam.options = file.options().GetExtension(nl::family);
  if (fam.options.name().empty() || fam.options.name().size() >= 16)
    return absl::InvalidArgumentError("(nl.family).name: 1..15 characters");
  if (fam.options.c_prefix().empty())
    return absl::InvalidArgumentError("(nl.family).c_prefix is required");

  for (int i = 0; i < file.message_type_count(); i++) {
    const Descriptor* m = file.message_type(i);
    if (SetName(*m).empty()) continue;
    int pads = 0;
    for (int j = 0; j < m->field_count(); j++) {
      auto a = DeriveAttr(*m->field(j));
      if (!a.ok()) return a.status();
      pads += a->nla == nl::PAD;
    }
    if (pads > 1)
      return absl::InvalidArgumentError(
          absl::StrCat(m->full_name(), ": more than one PAD attribute"));
    fam.sets.push_back(m);
  }

  auto find_set = [&](const std::string& name, const Descriptor** out,
                      const std::string& where) -> absl::Status {
    if (name.empty()) return absl::OkStatus();
    const Descriptor* d = file.pool()->FindMessageTypeByName(name);
    if (d == nullptr || SetName(*d).empty())
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": `", name, "' is not an attribute set"));
    *out = d;
    return absl::OkStatus();
  };

  const EnumDescriptor* commands = nullptr;
  const EnumDescriptor* groups = nullptr;
  for (int i = 0; i < file.enum_type_count(); i++) {
    const EnumDescriptor* e = file.enum_type(i);
    if (e->options().GetExtension(nl::commands)) {
      commands = e;
    } else if (e->options().GetExtension(nl::groups)) {
      groups = e;
    } else {
      fam.enums.push_back(e);
    }
  }
  if (commands == nullptr)
    return absl::InvalidArgumentError("no enum marked (nl.commands)");
  std::set<int> numbers;
  for (int i = 0; i < commands->value_count(); i++) {
    const auto* v = commands->value(i);
    if (v->number() == 0) continue;
    if (v->number() < 0 || v->number() > 255)
      return absl::InvalidArgumentError(
          absl::StrCat(v->full_name(), ": commands are 1..255"));
    Op op;
    op.value = v;
    op.options = v->options().GetExtension(nl::op);
    absl::Status s = find_set(op.options.request(), &op.request, v->full_name());
    if (!s.ok()) return s;
    s = find_set(op.options.reply(), &op.reply, v->full_name());
    if (!s.ok()) return s;
    if (op.options.notify() && op.request != nullptr)
      return absl::InvalidArgumentError(
          absl::StrCat(v->full_name(), ": a notification has no request"));
    s = RequestAttrs(&op);
    if (!s.ok()) return s;
    fam.ops.push_back(op);
  }
  if (groups != nullptr) {
    for (int i = 0; i < groups->value_count(); i++) {
      const auto* v = groups->value(i);
      if (v->number() != i)
        return absl::InvalidArgumentError(
            absl::StrCat(v->full_name(), ": groups are numbered 0..n-1"));
      fam.groups.push_back({v, v->options().GetExtension(nl::group)});
    }
  }
  return fam;
}

}  // namespace kuchan::schema
