// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/codec.h"

#include <cstring>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "userspace/kuchan/attr_check.h"
#include "userspace/kuchan/nla.h"
#include "userspace/kuchan/status_macros.h"

namespace kuchan {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The attribute `s` is, as attr_check.h names it.
AttrName NameOf(const AttrSpec& s) {
  return AttrName{s.field->full_name(), s.field->number()};
}

absl::Status InNest(const absl::Status& st, const AttrSpec& s, int index) {
  return ::kuchan::InNest(st, NameOf(s), index);
}

absl::Status CheckUnsigned(const AttrSpec& s, uint64_t v) {
  return ::kuchan::CheckUnsigned(NameOf(s), v, s.min, s.has_max, s.max);
}

absl::Status CheckSigned(const AttrSpec& s, int64_t v) {
  return ::kuchan::CheckSigned(NameOf(s), v, s.min, s.max);
}

absl::Status CheckLength(const AttrSpec& s, absl::string_view value,
                         const char* what) {
  return ::kuchan::CheckLength(NameOf(s), value, what, s.min_len, s.max_len);
}

uint64_t UnsignedLimit(nl::AttrType t) {
  switch (t) {
    case nl::U8: return 0xff;
    case nl::U16: return 0xffff;
    default: return 0xffffffff;
  }
}

// ---------------------------------------------------------------------------
// Encoding.
// ---------------------------------------------------------------------------
class Encoder {
 public:
  explicit Encoder(std::string* out) : out_(out) {}

  absl::Status Set(const AttrSet& set, const Message& m) {
    const Reflection* r = m.GetReflection();
    for (const AttrSpec& s : set.specs()) {
      if (s.field == nullptr) continue;
      const bool present = s.field->is_repeated()
                               ? r->FieldSize(m, s.field) > 0
                               : r->HasField(m, s.field);
      if (present) RETURN_IF_ERROR(Field(s, m, r));
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Field(const AttrSpec& s, const Message& m, const Reflection* r) {
    const FieldDescriptor* f = s.field;
    const uint16_t type = static_cast<uint16_t>(f->number());
    switch (s.type) {
      case nl::U8:
      case nl::U16:
      case nl::U32: {
        const uint64_t v =
            f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM
                ? static_cast<uint32_t>(r->GetEnumValue(m, f))
                : r->GetUInt32(m, f);
        if (v > UnsignedLimit(s.type)) {
          return DoesNotFit(NameOf(s), v, AttrTypeName(s.type));
        }
        RETURN_IF_ERROR(CheckUnsigned(s, v));
        if (s.type == nl::U8) return PutValue(type, static_cast<uint8_t>(v));
        if (s.type == nl::U16) return PutValue(type, static_cast<uint16_t>(v));
        return PutValue(type, static_cast<uint32_t>(v));
      }
      case nl::U64: {
        const uint64_t v = r->GetUInt64(m, f);
        RETURN_IF_ERROR(CheckUnsigned(s, v));
        return PutValue(type, v);
      }
      case nl::S32: {
        const int32_t v = r->GetInt32(m, f);
        RETURN_IF_ERROR(CheckSigned(s, v));
        return PutValue(type, v);
      }
      case nl::S64: {
        const int64_t v = r->GetInt64(m, f);
        RETURN_IF_ERROR(CheckSigned(s, v));
        return PutValue(type, v);
      }
      case nl::FLAG:
        if (r->GetBool(m, f)) AppendNla(out_, type, nullptr, 0);
        return absl::OkStatus();
      case nl::NUL_STRING: {
        const std::string& v = r->GetStringReference(m, f, &scratch_);
        if (size_t nul = v.find('\0'); nul != std::string::npos) {
          return StringHasNul(NameOf(s), v, nul);
        }
        RETURN_IF_ERROR(CheckLength(s, v, "string"));
        if (v.size() + 1 > kMaxNlaPayload) {
          return TooLong(NameOf(s), v.size() + 1);
        }
        // The NUL comes from c_str(): size() + 1 bytes are readable.
        AppendNla(out_, type, v.c_str(), v.size() + 1);
        return absl::OkStatus();
      }
      case nl::BINARY: {
        const std::string& v = r->GetStringReference(m, f, &scratch_);
        RETURN_IF_ERROR(CheckLength(s, v, "payload"));
        if (v.size() > kMaxNlaPayload) return TooLong(NameOf(s), v.size());
        AppendNla(out_, type, v.data(), v.size());
        return absl::OkStatus();
      }
      case nl::NESTED: {
        const size_t at = BeginNest(type);
        RETURN_IF_ERROR(InNest(Set(*s.nested, r->GetMessage(m, f)), s, -1));
        return EndNest(s, at);
      }
      case nl::NESTED_ARRAY: {
        const int n = r->FieldSize(m, f);
        if (static_cast<uint64_t>(n) > s.max_count) {
          return TooManyMembers(NameOf(s), n, s.max_count);
        }
        if (n > kNlaTypeMask) {
          return MoreThanMemberTypes(NameOf(s), n);
        }
        const size_t at = BeginNest(type);
        for (int i = 0; i < n; ++i) {
          const size_t member = BeginNest(static_cast<uint16_t>(i + 1));
          RETURN_IF_ERROR(
              InNest(Set(*s.nested, r->GetRepeatedMessage(m, f, i)), s, i));
          RETURN_IF_ERROR(InNest(EndNest(s, member), s, i));
        }
        return EndNest(s, at);
      }
      case nl::MULTI_NESTED: {
        // Each member its own nest of the field's type (multi-attr).
        const int n = r->FieldSize(m, f);
        if (static_cast<uint64_t>(n) > s.max_count) {
          return TooManyMembers(NameOf(s), n, s.max_count);
        }
        for (int i = 0; i < n; ++i) {
          const size_t member = BeginNest(type);
          RETURN_IF_ERROR(
              InNest(Set(*s.nested, r->GetRepeatedMessage(m, f, i)), s, i));
          RETURN_IF_ERROR(InNest(EndNest(s, member), s, i));
        }
        return absl::OkStatus();
      }
      case nl::PAD:
        // Only the kernel pads (nla_put_64bit()); a request never does.
        return absl::OkStatus();
      case nl::UNSPEC:
        break;
    }
    return absl::InternalError(absl::StrCat(f->full_name(), ": no wire type"));
  }

  template <typename T>
  absl::Status PutValue(uint16_t type, T v) {
    AppendNla(out_, type, &v, sizeof(v));
    return absl::OkStatus();
  }

  size_t BeginNest(uint16_t type) { return BeginNla(out_, type); }

  // Writes the nest's nla_len now that its members are in.
  absl::Status EndNest(const AttrSpec& s, size_t at) {
    return CloseNest(NameOf(s), out_, at);
  }

  std::string* out_;
  std::string scratch_;  // For GetStringReference on non-string storage.
};

// ---------------------------------------------------------------------------
// Decoding.
// ---------------------------------------------------------------------------
absl::Status DecodeSet(const AttrSet& set, absl::Span<const uint8_t> data,
                       Message* m, int depth);

absl::Status ExpectSize(const AttrSpec& s, size_t got, size_t want) {
  if (got == want) return absl::OkStatus();
  return ::kuchan::ExpectSize(NameOf(s), got, want);
}

absl::Status DecodeOne(const AttrSpec& s, absl::Span<const uint8_t> p,
                       Message* m, const Reflection* r, int depth) {
  const FieldDescriptor* f = s.field;
  switch (s.type) {
    case nl::U8:
    case nl::U16:
    case nl::U32: {
      const size_t size = s.type == nl::U8 ? 1 : s.type == nl::U16 ? 2 : 4;
      RETURN_IF_ERROR(ExpectSize(s, p.size(), size));
      const uint32_t v = size == 1   ? p[0]
                         : size == 2 ? LoadUnaligned<uint16_t>(p.data())
                                     : LoadUnaligned<uint32_t>(p.data());
      RETURN_IF_ERROR(CheckUnsigned(s, v));
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
        r->SetEnumValue(m, f, static_cast<int>(v));
      } else {
        r->SetUInt32(m, f, v);
      }
      return absl::OkStatus();
    }
    case nl::U64: {
      RETURN_IF_ERROR(ExpectSize(s, p.size(), 8));
      const uint64_t v = LoadUnaligned<uint64_t>(p.data());
      RETURN_IF_ERROR(CheckUnsigned(s, v));
      r->SetUInt64(m, f, v);
      return absl::OkStatus();
    }
    case nl::S32: {
      RETURN_IF_ERROR(ExpectSize(s, p.size(), 4));
      const int32_t v = LoadUnaligned<int32_t>(p.data());
      RETURN_IF_ERROR(CheckSigned(s, v));
      r->SetInt32(m, f, v);
      return absl::OkStatus();
    }
    case nl::S64: {
      RETURN_IF_ERROR(ExpectSize(s, p.size(), 8));
      const int64_t v = LoadUnaligned<int64_t>(p.data());
      RETURN_IF_ERROR(CheckSigned(s, v));
      r->SetInt64(m, f, v);
      return absl::OkStatus();
    }
    case nl::FLAG:
      if (!p.empty()) {
        return FlagWithPayload(NameOf(s), p.size());
      }
      r->SetBool(m, f, true);
      return absl::OkStatus();
    case nl::NUL_STRING: {
      const absl::string_view raw(reinterpret_cast<const char*>(p.data()),
                                  p.size());
      if (raw.empty() || raw.back() != '\0') {
        return LacksNul(NameOf(s), raw);
      }
      const absl::string_view v = raw.substr(0, raw.size() - 1);
      if (size_t nul = v.find('\0'); nul != v.npos) {
        return StringHasNul(NameOf(s), raw, nul);
      }
      RETURN_IF_ERROR(CheckLength(s, v, "string"));
      r->SetString(m, f, std::string(v));
      return absl::OkStatus();
    }
    case nl::BINARY: {
      const absl::string_view v(reinterpret_cast<const char*>(p.data()),
                                p.size());
      RETURN_IF_ERROR(CheckLength(s, v, "payload"));
      r->SetString(m, f, std::string(v));
      return absl::OkStatus();
    }
    case nl::NESTED:
      if (depth >= kMaxNestDepth) {
        return NestedTooDeep(NameOf(s));
      }
      return InNest(DecodeSet(*s.nested, p, r->MutableMessage(m, f), depth + 1),
                    s, -1);
    case nl::NESTED_ARRAY: {
      if (depth >= kMaxNestDepth) {
        return NestedTooDeep(NameOf(s));
      }
      NlaReader members(p);
      Nla member;
      uint32_t i = 0;
      while (members.Next(&member)) {
        if (i >= s.max_count) {
          return MoreThanMaxCount(NameOf(s), s.max_count);
        }
        if (member.type != i + 1) {
          return MemberType(NameOf(s), i, member.type);
        }
        RETURN_IF_ERROR(InNest(DecodeSet(*s.nested, member.payload,
                                         r->AddMessage(m, f), depth + 1),
                               s, static_cast<int>(i)));
        ++i;
      }
      if (!members.ok()) {
        return members.error(absl::StrFormat("%s (attr %d)", f->full_name(),
                                             f->number()));
      }
      return absl::OkStatus();
    }
    case nl::MULTI_NESTED: {
      // One member: the attribute comes once per member, in order.
      if (depth >= kMaxNestDepth) {
        return NestedTooDeep(NameOf(s));
      }
      const int i = r->FieldSize(*m, f);
      if (static_cast<uint64_t>(i) >= s.max_count) {
        return MoreThanMaxCount(NameOf(s), s.max_count);
      }
      return InNest(DecodeSet(*s.nested, p, r->AddMessage(m, f), depth + 1), s,
                    i);
    }
    case nl::PAD:
      return absl::OkStatus();  // alignment, nothing to read
    case nl::UNSPEC:
      break;
  }
  return absl::InternalError(absl::StrCat(f->full_name(), ": no wire type"));
}

absl::Status DecodeSet(const AttrSet& set, absl::Span<const uint8_t> data,
                       Message* m, int depth) {
  const Reflection* r = m->GetReflection();
  // Attribute types seen so far: a singular field given twice is refused
  // rather than silently taking the last value. No allocation for sets of
  // up to 256 attribute types.
  absl::InlinedVector<uint64_t, 4> seen(set.max_type() / 64 + 1, 0);
  NlaReader reader(data);
  Nla a;
  while (reader.Next(&a)) {
    const AttrSpec* s = set.Find(a.type);
    if (s == nullptr) continue;  // Unknown: skipped, see codec.h.
    uint64_t& word = seen[a.type / 64];
    const uint64_t bit = uint64_t{1} << (a.type % 64);
    // A multi-attr comes once per member, and pads wherever alignment
    // needs them.
    if ((word & bit) && s->type != nl::MULTI_NESTED && s->type != nl::PAD) {
      return AppearsTwice(NameOf(*s));
    }
    word |= bit;
    if (const auto* oneof = s->field->containing_oneof();
        oneof != nullptr && r->HasOneof(*m, oneof)) {
      const FieldDescriptor* other = r->GetOneofFieldDescriptor(*m, oneof);
      return OneofConflict(NameOf(*s),
                           AttrName{other->full_name(), other->number()},
                           oneof->name());
    }
    RETURN_IF_ERROR(DecodeOne(*s, a.payload, m, r, depth));
  }
  return reader.error(set.descriptor()->full_name());
}

// ---------------------------------------------------------------------------
// DescribeAttrAt.
// ---------------------------------------------------------------------------
// The path below `set` to the attribute holding byte `off` of `data`; the
// first component is spelled in full at the top.
std::string Describe(const AttrSet& set, absl::Span<const uint8_t> data,
                     size_t off, bool top, int depth) {
  NlaReader reader(data);
  Nla a;
  // Members of each multi-attr seen so far, by attribute type.
  absl::flat_hash_map<uint16_t, int> members;
  while (reader.Next(&a)) {
    const size_t end = a.offset + kNlaHeaderLen + a.payload.size();
    const int member = members[a.type]++;
    if (off < a.offset || off >= end) continue;
    const AttrSpec* s = set.Find(a.type);
    if (s == nullptr) {
      return top ? absl::StrFormat("%s.<attr %d>", set.descriptor()->full_name(),
                                   a.type)
                 : absl::StrFormat("<attr %d>", a.type);
    }
    std::string name =
        top ? std::string(s->field->full_name()) : std::string(s->field->name());
    if (s->type == nl::MULTI_NESTED) absl::StrAppend(&name, "[", member, "]");
    if (off - a.offset < kNlaHeaderLen || depth >= kMaxNestDepth) return name;
    const size_t inner = off - a.offset - kNlaHeaderLen;
    if (s->type == nl::NESTED || s->type == nl::MULTI_NESTED) {
      std::string sub = Describe(*s->nested, a.payload, inner, false, depth + 1);
      return sub.empty() ? name : absl::StrCat(name, ".", sub);
    }
    if (s->type == nl::NESTED_ARRAY) {
      NlaReader array(a.payload);
      Nla m;
      for (int i = 0; array.Next(&m); ++i) {
        const size_t mend = m.offset + kNlaHeaderLen + m.payload.size();
        if (inner < m.offset || inner >= mend) continue;
        absl::StrAppend(&name, "[", i, "]");
        if (inner - m.offset < kNlaHeaderLen) return name;
        std::string sub = Describe(*s->nested, m.payload,
                                   inner - m.offset - kNlaHeaderLen, false,
                                   depth + 1);
        return sub.empty() ? name : absl::StrCat(name, ".", sub);
      }
    }
    return name;
  }
  return "";
}

}  // namespace

absl::Status EncodeAttrs(const AttrSet& set, const Message& m,
                         std::string* out) {
  if (set.descriptor() != m.GetDescriptor()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "encoding a %s with the attribute set of %s",
        m.GetDescriptor()->full_name(), set.descriptor()->full_name()));
  }
  const size_t start = out->size();
  absl::Status st = Encoder(out).Set(set, m);
  if (!st.ok()) out->resize(start);
  return st;
}

absl::Status EncodeAttrs(const Message& m, std::string* out) {
  ASSIGN_OR_RETURN(const AttrSet* set, AttrSet::For(m.GetDescriptor()));
  return EncodeAttrs(*set, m, out);
}

absl::Status DecodeAttrs(const AttrSet& set, absl::Span<const uint8_t> attrs,
                         Message* m) {
  if (set.descriptor() != m->GetDescriptor()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "decoding a %s with the attribute set of %s",
        m->GetDescriptor()->full_name(), set.descriptor()->full_name()));
  }
  m->Clear();
  return DecodeSet(set, attrs, m, 0);
}

absl::Status DecodeAttrs(absl::Span<const uint8_t> attrs, Message* m) {
  ASSIGN_OR_RETURN(const AttrSet* set, AttrSet::For(m->GetDescriptor()));
  return DecodeAttrs(*set, attrs, m);
}

std::string DescribeAttrAt(const Descriptor* d, absl::Span<const uint8_t> attrs,
                           size_t offset) {
  absl::StatusOr<const AttrSet*> set = AttrSet::For(d);
  if (!set.ok()) return "";
  return Describe(**set, attrs, offset, true, 0);
}

AttrNamer AttrNamerFor(const Descriptor* d) {
  return [d](absl::Span<const uint8_t> attrs, size_t offset) {
    return DescribeAttrAt(d, attrs, offset);
  };
}

}  // namespace kuchan
