// SPDX-License-Identifier: GPL-2.0
#include "gen/msg_gen.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gen/cpp_sets.h"
#include "gen/schema.h"

namespace kuchan::gen {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;

bool IsSigned(nl::AttrType t) { return t == nl::S32 || t == nl::S64; }

size_t WireSize(nl::AttrType t) {
  size_t size = 0;
  schema::FixedSize(t, &size);
  return size;
}

// The C++ type a field's value has in its struct (not its wire type: a
// uint32 field sent as a U8 is a uint32_t, as in protobuf).
std::string ValueType(const FieldDescriptor& f) {
  switch (f.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: return "int32_t";
    case FieldDescriptor::CPPTYPE_INT64: return "int64_t";
    case FieldDescriptor::CPPTYPE_UINT32: return "uint32_t";
    case FieldDescriptor::CPPTYPE_UINT64: return "uint64_t";
    case FieldDescriptor::CPPTYPE_BOOL: return "bool";
    case FieldDescriptor::CPPTYPE_STRING: return "std::string";
    case FieldDescriptor::CPPTYPE_ENUM: return MsgTypeName(f.enum_type());
    case FieldDescriptor::CPPTYPE_MESSAGE: return MsgTypeName(f.message_type());
    default: return "";
  }
}

// The constant naming an attribute in errors: k<Set>_<field>.
std::string NameConst(const Descriptor& d, const FieldDescriptor& f) {
  return absl::StrCat("k", MsgTypeName(&d), "_", f.name());
}

class Writer {
 public:
  Writer(const FileDescriptor& file, std::vector<Set> sets)
      : file_(file), sets_(std::move(sets)) {
    for (const Set& s : sets_) by_desc_[s.desc] = &s;
  }

  absl::Status Check() const {
    for (const EnumDescriptor* e : Enums()) {
      if (e->containing_type() != nullptr) {
        return absl::InvalidArgumentError(absl::StrCat(
            e->full_name(), ": an enum inside a message; the typed codec "
                            "writes only top-level enums"));
      }
      for (int i = 0; i < e->value_count(); ++i) {
        if (e->value(i)->number() < 0) {
          return absl::InvalidArgumentError(absl::StrCat(
              e->value(i)->full_name(), ": a negative value cannot go on the "
                                        "wire as a u32"));
        }
      }
    }
    return absl::OkStatus();
  }

  std::string Header(const std::string& guard) const {
    bool boxed = false;
    for (const Set& s : sets_)
      for (const schema::AttrSpec& a : s.attrs) boxed |= Boxed(s, a);
    std::string h = absl::StrCat(
        "#ifndef ", guard, "\n#define ", guard, "\n\n",
        "#include <cstddef>\n#include <cstdint>\n#include <optional>\n#include <string>\n"
        "#include <vector>\n\n",
        "#include \"absl/status/status.h\"\n#include \"absl/types/span.h\"\n",
        boxed ? "#include \"userspace/kuchan/boxed.h\"\n" : "", "\n",
        "namespace ", MsgNamespace(file_), " {\n");
    for (const EnumDescriptor* e : Enums()) absl::StrAppend(&h, "\n", Enum(*e));
    if (!Enums().empty()) {
      absl::StrAppend(
          &h,
          "\n// An enum value's name as people read it: the prefix every value "
          "of the\n// enum shares dropped, lower case (EVENT_CUSTOM -> "
          "\"custom\"); null for a\n// value the schema does not know.\n");
      for (const EnumDescriptor* e : Enums())
        absl::StrAppend(&h, "const char* JsonName(", MsgTypeName(e), " v);\n");
      absl::StrAppend(&h, "\n// Every value of an enum, in the schema's order.\n");
      for (const EnumDescriptor* e : Enums()) {
        absl::StrAppend(&h, "inline constexpr ", MsgTypeName(e), " k", MsgTypeName(e),
                        "Values[] = {");
        for (int i = 0; i < e->value_count(); ++i)
          absl::StrAppend(&h, i ? ", " : "", e->value(i)->name());
        absl::StrAppend(&h, "};\n");
      }
    }
    absl::StrAppend(&h, "\n");
    for (const Set& s : sets_)
      absl::StrAppend(&h, "struct ", MsgTypeName(s.desc), ";\n");
    for (const Set* s : DefinitionOrder())
      absl::StrAppend(&h, "\n", Struct(*s));
    absl::StrAppend(
        &h,
        "\n// Encode() appends the attributes of `m` to *out (each padded to "
        "4 bytes),\n// or refuses what breaks the schema and leaves *out as "
        "it was. Decode()\n// replaces *m with what `attrs` holds, or refuses "
        "a stream that breaks the\n// schema, naming the attribute, and "
        "leaves *m empty. A reader that keeps\n// its struct from one message "
        "to the next decodes without allocating\n// again: strings, nests and "
        "lists are reused in place.\n");
    for (const Set& s : sets_) {
      const std::string t = MsgTypeName(s.desc);
      absl::StrAppend(&h, "absl::Status Encode(const ", t,
                      "& m, std::string* out);\n",
                      "absl::Status Decode(absl::Span<const uint8_t> attrs, ",
                      t, "* m);\n");
    }
    absl::StrAppend(
        &h,
        "\n// AppendJson() appends the JSON of `m` for people who query it (jq):\n"
        "// one object, fields in field-number order under the schema's names,\n"
        "// only those set; every integer a JSON number, 64-bit ones too; an\n"
        "// enum value its JsonName() or, when the schema does not know it, its\n"
        "// number; a list an array; strings and bytes as JsonString() writes\n"
        "// them (userspace/kuchan/json.h).\n");
    for (const Set& s : sets_) {
      absl::StrAppend(&h, "void AppendJson(const ", MsgTypeName(s.desc),
                      "& m, std::string* out);\n");
    }
    absl::StrAppend(
        &h,
        "\n// The attribute of a set's stream `attrs` that holds byte `offset`,\n"
        "// as an extended ACK's offset is explained to people:\n"
        "// DescribeAttr<SignalRequest>(attrs, 40) == "
        "\"kuchan.SignalRequest.targets[1].pid\";\n"
        "// \"\" when no attribute holds it.\n"
        "template <typename T>\n"
        "std::string DescribeAttr(absl::Span<const uint8_t> attrs, size_t offset);\n");
    for (const Set& s : sets_) {
      absl::StrAppend(&h, "template <>\nstd::string DescribeAttr<", MsgTypeName(s.desc),
                      ">(absl::Span<const uint8_t> attrs,\n    size_t offset);\n");
    }
    absl::StrAppend(&h, "\n}  // namespace ", MsgNamespace(file_), "\n\n#endif  // ",
                    guard, "\n");
    return h;
  }

  std::string Source() const {
    std::string cc = absl::StrCat(
        "#include <cstdint>\n#include <cstring>\n#include <limits>\n#include <string>\n\n",
        "#include \"absl/strings/str_cat.h\"\n",
        "#include \"absl/strings/string_view.h\"\n",
        "#include \"userspace/kuchan/attr_check.h\"\n",
        "#include \"userspace/kuchan/json.h\"\n",
        "#include \"userspace/kuchan/nl_decode.h\"\n",
        "#include \"userspace/kuchan/nla.h\"\n",
        "#include \"userspace/kuchan/status_macros.h\"\n\n",
        "namespace ", MsgNamespace(file_), " {\nnamespace {\n\n",
        "using ::kuchan::AttrName;\n\n");
    for (const Set& s : sets_) {
      for (const schema::AttrSpec& a : s.attrs) {
        if (a.nla == nl::PAD) continue;
        absl::StrAppend(&cc, "constexpr AttrName ", NameConst(*s.desc, *a.field),
                        "{\"", a.field->full_name(), "\", ", a.type, "};\n");
      }
    }
    absl::StrAppend(&cc, "\n");
    for (const Set& s : sets_) {
      const std::string t = MsgTypeName(s.desc);
      absl::StrAppend(&cc, "absl::Status EncodeSet(const ", t,
                      "& m, std::string* out);\n",
                      "absl::Status DecodeSet(absl::Span<const uint8_t> data, ",
                      t, "* m, int depth);\n");
    }
    for (const Set& s : sets_) absl::StrAppend(&cc, "\n", EncodeBody(s));
    for (const Set& s : sets_) absl::StrAppend(&cc, "\n", DecodeBody(s));
    for (const Set& s : sets_) {
      absl::StrAppend(&cc, "std::string Describe", MsgTypeName(s.desc),
                      "(absl::Span<const uint8_t> data, size_t off, bool top,\n"
                      "    int depth);\n");
    }
    for (const Set& s : sets_) absl::StrAppend(&cc, "\n", DescribeBody(s));
    absl::StrAppend(&cc, "\n}  // namespace\n");
    for (const Set& s : sets_) {
      const std::string t = MsgTypeName(s.desc);
      absl::StrAppend(
          &cc, "\nabsl::Status Encode(const ", t, "& m, std::string* out) {\n",
          "  const size_t at = out->size();\n",
          "  absl::Status st = EncodeSet(m, out);\n",
          "  if (!st.ok()) out->resize(at);\n  return st;\n}\n\n",
          "absl::Status Decode(absl::Span<const uint8_t> attrs, ", t,
          "* m) {\n", "  absl::Status st = DecodeSet(attrs, m, 0);\n",
          "  if (!st.ok()) *m = ", t, "();\n  return st;\n}\n\n",
          "template <>\nstd::string DescribeAttr<", t,
          ">(absl::Span<const uint8_t> attrs,\n    size_t offset) {\n",
          "  return Describe", t, "(attrs, offset, true, 0);\n}\n");
    }
    for (const EnumDescriptor* e : Enums()) absl::StrAppend(&cc, "\n", EnumJsonName(*e));
    for (const Set& s : sets_) absl::StrAppend(&cc, "\n", JsonBody(s));
    absl::StrAppend(&cc, "\n}  // namespace ", MsgNamespace(file_), "\n");
    return cc;
  }

 private:
  // The file's top-level enums, and any other a set's field uses.
  std::vector<const EnumDescriptor*> Enums() const {
    std::vector<const EnumDescriptor*> out;
    std::set<const EnumDescriptor*> seen;
    for (int i = 0; i < file_.enum_type_count(); ++i) {
      out.push_back(file_.enum_type(i));
      seen.insert(file_.enum_type(i));
    }
    for (const Set& s : sets_) {
      for (const schema::AttrSpec& a : s.attrs) {
        const EnumDescriptor* e = a.field->enum_type();
        if (e != nullptr && seen.insert(e).second) out.push_back(e);
      }
    }
    return out;
  }

  std::string Enum(const EnumDescriptor& e) const {
    std::string s = CommentLines(schema::LeadingComment(e), "");
    absl::StrAppend(&s, "enum ", MsgTypeName(&e), " : uint32_t {\n");
    for (int i = 0; i < e.value_count(); ++i) {
      absl::StrAppend(&s, CommentLines(schema::LeadingComment(*e.value(i)), "  "),
                      "  ", e.value(i)->name(), " = ", e.value(i)->number(),
                      ",\n");
    }
    absl::StrAppend(&s, "};\n");
    return s;
  }

  // Does `a` of `s` nest a set from which `s` can be reached again? Then its
  // struct is incomplete where the member is declared.
  bool Boxed(const Set& s, const schema::AttrSpec& a) const {
    if (a.nla != nl::NESTED) return false;
    std::set<const Descriptor*> seen;
    std::function<bool(const Descriptor*)> reaches = [&](const Descriptor* d) {
      if (d == s.desc) return true;
      if (!seen.insert(d).second) return false;
      auto it = by_desc_.find(d);
      if (it == by_desc_.end()) return false;
      for (const schema::AttrSpec& n : it->second->attrs)
        if (n.nested != nullptr && reaches(n.nested)) return true;
      return false;
    };
    return reaches(a.nested);
  }

  // Sets before the sets that hold them by value.
  std::vector<const Set*> DefinitionOrder() const {
    std::vector<const Set*> out;
    std::set<const Descriptor*> done, active;
    std::function<void(const Set&)> visit = [&](const Set& s) {
      if (done.count(s.desc) || active.count(s.desc)) return;
      active.insert(s.desc);
      for (const schema::AttrSpec& a : s.attrs) {
        if (a.nested == nullptr || Boxed(s, a)) continue;
        auto it = by_desc_.find(a.nested);
        if (it != by_desc_.end()) visit(*it->second);
      }
      active.erase(s.desc);
      done.insert(s.desc);
      out.push_back(&s);
    };
    for (const Set& s : sets_) visit(s);
    return out;
  }

  std::string Member(const Set& s, const schema::AttrSpec& a) const {
    const FieldDescriptor& f = *a.field;
    const std::string name = FieldName(&f);
    const std::string type = ValueType(f);
    std::string decl;
    switch (a.nla) {
      case nl::FLAG:
        decl = absl::StrCat("bool ", name, " = false;");
        break;
      case nl::NESTED:
        decl = Boxed(s, a) ? absl::StrCat("::kuchan::Boxed<", type, "> ", name, ";")
                           : absl::StrCat("std::optional<", type, "> ", name, ";");
        break;
      case nl::MULTI_NESTED:
      case nl::NESTED_ARRAY:
        decl = absl::StrCat("std::vector<", type, "> ", name, ";");
        break;
      default:
        decl = absl::StrCat("std::optional<", type, "> ", name, ";");
        break;
    }
    std::string out = CommentLines(schema::LeadingComment(f), "  ");
    std::string note;
    if (const auto* o = f.containing_oneof(); o != nullptr)
      note = absl::StrCat("  // oneof ", o->name(), ": at most one is set");
    absl::StrAppend(&out, "  ", decl, note, "\n");
    return out;
  }

  std::string Struct(const Set& s) const {
    std::string out = CommentLines(schema::LeadingComment(*s.desc), "");
    absl::StrAppend(&out, "// The attribute set \"", schema::SetName(*s.desc),
                    "\" (", s.desc->full_name(), ").\nstruct ",
                    MsgTypeName(s.desc), " {\n");
    for (const schema::AttrSpec& a : s.attrs) {
      if (a.nla == nl::PAD) continue;  // the kernel's alignment, no value
      absl::StrAppend(&out, Member(s, a));
    }
    absl::StrAppend(&out, "};\n");
    return out;
  }

  // Attributes in type order, as the reflection codec encodes them.
  static std::vector<const schema::AttrSpec*> ByType(const Set& s) {
    std::vector<const schema::AttrSpec*> out;
    for (const schema::AttrSpec& a : s.attrs) out.push_back(&a);
    std::sort(out.begin(), out.end(),
              [](const schema::AttrSpec* x, const schema::AttrSpec* y) {
                return x->type < y->type;
              });
    return out;
  }

  // The bound checks of an integer (value `v`), "" when it has none.
  static std::string IntChecks(const schema::AttrSpec& a, const std::string& k) {
    // An enum's bounds are its values, which the kernel's policy enforces;
    // a reader keeps a value a newer module added, as the codec does.
    if (a.field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) return "";
    if (IsSigned(a.nla)) {
      if (!a.min && !a.max) return "";
      return absl::StrCat(
          "    RETURN_IF_ERROR(::kuchan::CheckSigned(", k, ", v, ",
          a.min ? absl::StrCat("INT64_C(", *a.min, ")")
                : "std::numeric_limits<int64_t>::min()",
          ", ",
          a.max ? absl::StrCat("INT64_C(", *a.max, ")")
                : "std::numeric_limits<int64_t>::max()",
          "));\n");
    }
    if (!(a.min && *a.min > 0) && !a.max) return "";
    return absl::StrCat("    RETURN_IF_ERROR(::kuchan::CheckUnsigned(", k,
                        ", v, INT64_C(", a.min.value_or(0), "), ",
                        a.max ? "true" : "false", ", INT64_C(",
                        a.max.value_or(0), ")));\n");
  }

  static std::string LengthCheck(const schema::AttrSpec& a, const std::string& k,
                                 const char* what) {
    if (!a.min_len && !a.max_len) return "";
    return absl::StrCat("    RETURN_IF_ERROR(::kuchan::CheckLength(", k,
                        ", v, \"", what, "\", ", a.min_len.value_or(0), "u, ",
                        a.max_len ? absl::StrCat(*a.max_len, "u") : "0xffffffffu",
                        "));\n");
  }

  std::string EncodeField(const Set& s, const schema::AttrSpec& a) const {
    const FieldDescriptor& f = *a.field;
    const std::string m = absl::StrCat("m.", FieldName(&f));
    const std::string k = NameConst(*s.desc, f);
    const std::string type = absl::StrCat(a.type);
    std::string out;
    switch (a.nla) {
      case nl::U8: case nl::U16: case nl::U32: case nl::U64: {
        const char* wire = CppInt(a.nla);
        absl::StrAppend(&out, "  if (", m, ") {\n", "    const uint64_t v = ",
                        f.cpp_type() == FieldDescriptor::CPPTYPE_ENUM
                            ? absl::StrCat("static_cast<uint32_t>(*", m, ")")
                            : absl::StrCat("*", m),
                        ";\n");
        if (a.nla == nl::U8 || a.nla == nl::U16) {
          absl::StrAppend(&out, "    if (v > ", a.nla == nl::U8 ? "0xff" : "0xffff",
                          ") return ::kuchan::DoesNotFit(", k, ", v, \"",
                          a.nla == nl::U8 ? "u8" : "u16", "\");\n");
        }
        absl::StrAppend(&out, IntChecks(a, k), "    const ", wire, " w = static_cast<",
                        wire, ">(v);\n", "    ::kuchan::AppendNla(out, ", type,
                        ", &w, sizeof(w));\n  }\n");
        break;
      }
      case nl::S32: case nl::S64: {
        const char* wire = CppInt(a.nla);
        absl::StrAppend(&out, "  if (", m, ") {\n", "    const int64_t v = *", m,
                        ";\n", IntChecks(a, k), "    const ", wire,
                        " w = static_cast<", wire, ">(v);\n",
                        "    ::kuchan::AppendNla(out, ", type,
                        ", &w, sizeof(w));\n  }\n");
        break;
      }
      case nl::FLAG:
        absl::StrAppend(&out, "  if (", m, ") ::kuchan::AppendNla(out, ", type,
                        ", nullptr, 0);\n");
        break;
      case nl::NUL_STRING:
        absl::StrAppend(
            &out, "  if (", m, ") {\n", "    const std::string& v = *", m, ";\n",
            "    if (const size_t nul = v.find('\\0'); nul != std::string::npos)\n",
            "      return ::kuchan::StringHasNul(", k, ", v, nul);\n",
            LengthCheck(a, k, "string"),
            "    if (v.size() + 1 > ::kuchan::kMaxNlaPayload)\n",
            "      return ::kuchan::TooLong(", k, ", v.size() + 1);\n",
            "    ::kuchan::AppendNla(out, ", type, ", v.c_str(), v.size() + 1);\n",
            "  }\n");
        break;
      case nl::BINARY:
        absl::StrAppend(
            &out, "  if (", m, ") {\n", "    const std::string& v = *", m, ";\n",
            LengthCheck(a, k, "payload"),
            "    if (v.size() > ::kuchan::kMaxNlaPayload)\n",
            "      return ::kuchan::TooLong(", k, ", v.size());\n",
            "    ::kuchan::AppendNla(out, ", type, ", v.data(), v.size());\n",
            "  }\n");
        break;
      case nl::NESTED:
        absl::StrAppend(
            &out, "  if (", m, ") {\n",
            "    const size_t at = ::kuchan::BeginNla(out, ", type, ");\n",
            "    RETURN_IF_ERROR(::kuchan::InNest(EncodeSet(*", m, ", out), ", k,
            ", -1));\n",
            "    RETURN_IF_ERROR(::kuchan::CloseNest(", k, ", out, at));\n",
            "  }\n");
        break;
      case nl::MULTI_NESTED:
      case nl::NESTED_ARRAY: {
        const bool array = a.nla == nl::NESTED_ARRAY;
        absl::StrAppend(&out, "  if (!", m, ".empty()) {\n");
        if (a.max_count) {
          absl::StrAppend(&out, "    if (", m, ".size() > ", *a.max_count, "u)\n",
                          "      return ::kuchan::TooManyMembers(", k, ", ", m,
                          ".size(), ", *a.max_count, "u);\n");
        }
        if (array) {
          absl::StrAppend(&out, "    if (", m, ".size() > ::kuchan::kNlaTypeMask)\n",
                          "      return ::kuchan::MoreThanMemberTypes(", k, ", ",
                          m, ".size());\n",
                          "    const size_t at = ::kuchan::BeginNla(out, ", type,
                          ");\n");
        }
        absl::StrAppend(
            &out, "    for (size_t i = 0; i < ", m, ".size(); ++i) {\n",
            "      const size_t member = ::kuchan::BeginNla(out, ",
            array ? "static_cast<uint16_t>(i + 1)" : type, ");\n",
            "      const int index = static_cast<int>(i);\n",
            "      RETURN_IF_ERROR(::kuchan::InNest(EncodeSet(", m, "[i], out), ", k,
            ", index));\n",
            "      RETURN_IF_ERROR(\n          ::kuchan::InNest(::kuchan::CloseNest(",
            k, ", out, member), ", k, ", index));\n", "    }\n");
        if (array)
          absl::StrAppend(&out, "    RETURN_IF_ERROR(::kuchan::CloseNest(", k,
                          ", out, at));\n");
        absl::StrAppend(&out, "  }\n");
        break;
      }
      default:
        break;
    }
    return out;
  }

  std::string EncodeBody(const Set& s) const {
    const std::string t = MsgTypeName(s.desc);
    std::string out = absl::StrCat("absl::Status EncodeSet(const ", t, "& ",
                                   s.attrs.empty() ? "" : "m",
                                   ", std::string* ",
                                   s.attrs.empty() ? "" : "out", ") {\n");
    // Two members of a oneof: refused, as the kernel would refuse them.
    for (int i = 0; i < s.desc->oneof_decl_count(); ++i) {
      const auto* o = s.desc->oneof_decl(i);
      absl::StrAppend(&out, "  {\n    const AttrName* set = nullptr;\n");
      for (int j = 0; j < o->field_count(); ++j) {
        const FieldDescriptor* f = o->field(j);
        const std::string k = NameConst(*s.desc, *f);
        absl::StrAppend(&out, "    if (m.", FieldName(f), ") {\n");
        if (j > 0) {
          absl::StrAppend(&out, "      if (set != nullptr)\n",
                          "        return ::kuchan::OneofConflict(", k,
                          ", *set, \"", o->name(), "\");\n");
        }
        absl::StrAppend(&out, "      set = &", k, ";\n    }\n");
      }
      absl::StrAppend(&out, "    (void)set;\n  }\n");
    }
    for (const schema::AttrSpec* a : ByType(s))
      absl::StrAppend(&out, EncodeField(s, *a));
    absl::StrAppend(&out, "  return absl::OkStatus();\n}\n");
    return out;
  }

  std::string DecodeField(const Set& s, const schema::AttrSpec& a) const {
    const FieldDescriptor& f = *a.field;
    const std::string m = absl::StrCat("m->", FieldName(&f));
    const std::string k = NameConst(*s.desc, f);
    std::string out;
    switch (a.nla) {
      case nl::U8: case nl::U16: case nl::U32: case nl::U64:
      case nl::S32: case nl::S64: {
        const size_t size = WireSize(a.nla);
        const char* wire = CppInt(a.nla);
        absl::StrAppend(
            &out, "        if (a.payload.size() != ", size, ")\n",
            "          return ::kuchan::ExpectSize(", k, ", a.payload.size(), ",
            size, ");\n", "        ", wire, " w;\n",
            "        std::memcpy(&w, a.payload.data(), sizeof(w));\n",
            "        const ", IsSigned(a.nla) ? "int64_t" : "uint64_t", " v = w;\n");
        std::string checks = IntChecks(a, k);
        absl::StrAppend(&out, absl::StrReplaceAll(checks, {{"    ", "        "}}));
        absl::StrAppend(&out, "        ", m, " = static_cast<", ValueType(f),
                        ">(v);\n");
        break;
      }
      case nl::FLAG:
        absl::StrAppend(&out, "        if (!a.payload.empty())\n",
                        "          return ::kuchan::FlagWithPayload(", k,
                        ", a.payload.size());\n", "        ", m, " = true;\n");
        break;
      case nl::NUL_STRING:
        absl::StrAppend(
            &out,
            "        const absl::string_view raw(\n"
            "            reinterpret_cast<const char*>(a.payload.data()), "
            "a.payload.size());\n",
            "        if (raw.empty() || raw.back() != '\\0')\n",
            "          return ::kuchan::LacksNul(", k, ", raw);\n",
            "        const absl::string_view v = raw.substr(0, raw.size() - 1);\n",
            "        if (const size_t nul = v.find('\\0'); nul != v.npos)\n",
            "          return ::kuchan::StringHasNul(", k, ", raw, nul);\n",
            absl::StrReplaceAll(LengthCheck(a, k, "string"), {{"    ", "        "}}),
            "        ::kuchan::nlgen::Assign(&", m, ", v);\n");
        break;
      case nl::BINARY:
        absl::StrAppend(
            &out,
            "        const absl::string_view v(\n"
            "            reinterpret_cast<const char*>(a.payload.data()), "
            "a.payload.size());\n",
            absl::StrReplaceAll(LengthCheck(a, k, "payload"), {{"    ", "        "}}),
            "        ::kuchan::nlgen::Assign(&", m, ", v);\n");
        break;
      case nl::NESTED:
        absl::StrAppend(
            &out, "        if (depth >= ::kuchan::kMaxNestDepth)\n",
            "          return ::kuchan::NestedTooDeep(", k, ");\n",
            "        RETURN_IF_ERROR(::kuchan::InNest(\n",
            "            DecodeSet(a.payload, &::kuchan::nlgen::Slot(&", m,
            "), depth + 1),\n            ", k, ", -1));\n");
        break;
      case nl::MULTI_NESTED:
        absl::StrAppend(&out, "        if (depth >= ::kuchan::kMaxNestDepth)\n",
                        "          return ::kuchan::NestedTooDeep(", k, ");\n");
        if (a.max_count) {
          absl::StrAppend(&out, "        if (", Count(f), " >= ", *a.max_count,
                          "u)\n", "          return ::kuchan::MoreThanMaxCount(",
                          k, ", ", *a.max_count, "u);\n");
        }
        absl::StrAppend(
            &out, "        const int index = static_cast<int>(", Count(f), ");\n",
            "        RETURN_IF_ERROR(::kuchan::InNest(\n",
            "            DecodeSet(a.payload, &::kuchan::nlgen::Slot(&", m, ", &",
            Count(f), "),\n                      depth + 1),\n            ", k,
            ", index));\n");
        break;
      case nl::NESTED_ARRAY:
        absl::StrAppend(
            &out, "        if (depth >= ::kuchan::kMaxNestDepth)\n",
            "          return ::kuchan::NestedTooDeep(", k, ");\n",
            "        ::kuchan::NlaReader members(a.payload);\n",
            "        ::kuchan::Nla member;\n",
            "        for (uint32_t i = 0; members.Next(&member); ++i) {\n");
        if (a.max_count) {
          absl::StrAppend(&out, "          if (i >= ", *a.max_count, "u)\n",
                          "            return ::kuchan::MoreThanMaxCount(", k,
                          ", ", *a.max_count, "u);\n");
        }
        absl::StrAppend(
            &out, "          if (member.type != i + 1)\n",
            "            return ::kuchan::MemberType(", k, ", i, member.type);\n",
            "          RETURN_IF_ERROR(::kuchan::InNest(\n",
            "              DecodeSet(member.payload,\n",
            "                        &::kuchan::nlgen::Slot(&", m, ", &", Count(f),
            "), depth + 1),\n              ", k, ",\n",
            "              static_cast<int>(i)));\n", "        }\n",
            "        if (!members.ok())\n",
            "          return members.error(\"", f.full_name(), " (attr ", a.type,
            ")\");\n");
        break;
      default:
        break;
    }
    return out;
  }

  std::string DecodeBody(const Set& s) const {
    const std::string t = MsgTypeName(s.desc);
    bool nests = false;
    uint32_t max_type = 0;
    bool fields = false;
    for (const schema::AttrSpec& a : s.attrs) {
      nests |= a.nested != nullptr;
      max_type = std::max<uint32_t>(max_type, a.type);
      fields |= a.nla != nl::PAD;
    }
    std::string out = absl::StrCat(
        "absl::Status DecodeSet(absl::Span<const uint8_t> data, ", t,
        fields ? "* m" : "*", ", int", nests ? " depth" : "", ") {\n");
    if (!s.attrs.empty()) {
      absl::StrAppend(&out, "  ::kuchan::nlgen::Seen<", max_type / 64 + 1,
                      "> seen;\n");
    }
    for (int i = 0; i < s.desc->oneof_decl_count(); ++i) {
      absl::StrAppend(&out, "  const AttrName* ", s.desc->oneof_decl(i)->name(),
                      "_set = nullptr;\n");
    }
    for (const schema::AttrSpec& a : s.attrs) {
      if (a.nla == nl::MULTI_NESTED || a.nla == nl::NESTED_ARRAY)
        absl::StrAppend(&out, "  size_t ", Count(*a.field), " = 0;\n");
    }
    absl::StrAppend(&out, "  ::kuchan::NlaReader reader(data);\n",
                    "  ::kuchan::Nla a;\n", "  while (reader.Next(&a)) {\n");
    if (!s.attrs.empty()) absl::StrAppend(&out, "    switch (a.type) {\n");
    for (const schema::AttrSpec& a : s.attrs) {
      const FieldDescriptor& f = *a.field;
      absl::StrAppend(&out, "      case ", a.type, ": {  // ", f.name(), ": ",
                      absl::AsciiStrToLower(nl::AttrType_Name(a.nla)), "\n");
      if (a.nla == nl::PAD) {
        // Alignment, wherever it is needed, with nothing to read.
        absl::StrAppend(&out, "        seen.First(", a.type, ");\n",
                        "        break;\n      }\n");
        continue;
      }
      const std::string k = NameConst(*s.desc, f);
      if (a.nla == nl::MULTI_NESTED) {
        absl::StrAppend(&out, "        seen.First(", a.type, ");\n");
      } else {
        absl::StrAppend(&out, "        if (!seen.First(", a.type, "))\n",
                        "          return ::kuchan::AppearsTwice(", k, ");\n");
      }
      if (const auto* o = f.containing_oneof(); o != nullptr) {
        absl::StrAppend(&out, "        if (", o->name(), "_set != nullptr)\n",
                        "          return ::kuchan::OneofConflict(", k, ", *",
                        o->name(), "_set, \"", o->name(), "\");\n", "        ",
                        o->name(), "_set = &", k, ";\n");
      }
      absl::StrAppend(&out, DecodeField(s, a), "        break;\n      }\n");
    }
    if (!s.attrs.empty()) {
      absl::StrAppend(&out,
                      "      default:\n"
                      "        break;  // Unknown attribute types are skipped.\n"
                      "    }\n");
    }
    absl::StrAppend(&out, "  }\n");
    // What the stream did not hold, as a fresh struct has it (Slot()).
    for (const schema::AttrSpec& a : s.attrs) {
      const std::string m = absl::StrCat("m->", FieldName(a.field));
      if (a.nla == nl::PAD) continue;
      if (a.nla == nl::MULTI_NESTED || a.nla == nl::NESTED_ARRAY)
        absl::StrAppend(&out, "  ", m, ".resize(", Count(*a.field), ");\n");
      else
        absl::StrAppend(&out, "  if (!seen.Has(", a.type, ")) ", m, " = {};\n");
    }
    absl::StrAppend(&out, "  return reader.error(\"", s.desc->full_name(),
                    "\");\n}\n");
    return out;
  }

  // The local that counts a list's members while its set is decoded.
  static std::string Count(const FieldDescriptor& f) {
    return absl::StrCat(FieldName(&f), "_n");
  }

  // The codec's DescribeAttrAt() for one set: the path below it to the
  // attribute holding byte `off`, the first component spelled in full at
  // the top; members of a list by index.
  std::string DescribeBody(const Set& s) const {
    const std::string t = MsgTypeName(s.desc);
    const std::string full = s.desc->full_name();
    std::string out = absl::StrCat(
        "std::string Describe", t,
        "(absl::Span<const uint8_t> data, size_t off, bool top,\n    int depth) {\n",
        "  ::kuchan::NlaReader reader(data);\n  ::kuchan::Nla a;\n");
    std::vector<const schema::AttrSpec*> multi;
    for (const schema::AttrSpec& a : s.attrs)
      if (a.nla == nl::MULTI_NESTED) multi.push_back(&a);
    for (const schema::AttrSpec* a : multi)
      absl::StrAppend(&out, "  int members_", a->type, " = 0;\n");
    absl::StrAppend(&out, "  while (reader.Next(&a)) {\n",
                    "    const size_t end = a.offset + ::kuchan::kNlaHeaderLen + "
                    "a.payload.size();\n");
    if (!multi.empty()) {
      absl::StrAppend(&out, "    int member = 0;\n");
      for (const schema::AttrSpec* a : multi) {
        absl::StrAppend(&out, "    if (a.type == ", a->type, ") member = members_",
                        a->type, "++;\n");
      }
    }
    absl::StrAppend(&out, "    if (off < a.offset || off >= end) continue;\n",
                    "    std::string name;\n    switch (a.type) {\n");
    bool nests = false;
    for (const schema::AttrSpec& a : s.attrs) {
      const FieldDescriptor& f = *a.field;
      absl::StrAppend(&out, "      case ", a.type, ":\n",
                      "        name = top ? \"", f.full_name(), "\" : \"", f.name(),
                      "\";\n");
      if (a.nla == nl::MULTI_NESTED)
        absl::StrAppend(&out, "        absl::StrAppend(&name, \"[\", member, \"]\");\n");
      if (a.nested == nullptr) {
        absl::StrAppend(&out, "        return name;\n");
        continue;
      }
      nests = true;
      const std::string sub = MsgTypeName(a.nested);
      absl::StrAppend(
          &out,
          "        if (off - a.offset < ::kuchan::kNlaHeaderLen ||\n"
          "            depth >= ::kuchan::kMaxNestDepth)\n"
          "          return name;\n");
      if (a.nla == nl::NESTED_ARRAY) {
        absl::StrAppend(
            &out,
            "        {\n"
            "          const size_t inner = off - a.offset - ::kuchan::kNlaHeaderLen;\n"
            "          ::kuchan::NlaReader array(a.payload);\n"
            "          ::kuchan::Nla m;\n"
            "          for (int i = 0; array.Next(&m); ++i) {\n"
            "            const size_t mend = m.offset + ::kuchan::kNlaHeaderLen + "
            "m.payload.size();\n"
            "            if (inner < m.offset || inner >= mend) continue;\n"
            "            absl::StrAppend(&name, \"[\", i, \"]\");\n"
            "            if (inner - m.offset < ::kuchan::kNlaHeaderLen) return name;\n"
            "            const std::string sub = Describe", sub,
            "(m.payload,\n"
            "                inner - m.offset - ::kuchan::kNlaHeaderLen, false, "
            "depth + 1);\n"
            "            return sub.empty() ? name : absl::StrCat(name, \".\", sub);\n"
            "          }\n"
            "        }\n"
            "        return name;\n");
      } else {
        absl::StrAppend(
            &out, "        {\n          const std::string sub = Describe", sub,
            "(a.payload,\n"
            "              off - a.offset - ::kuchan::kNlaHeaderLen, false, depth + 1);\n"
            "          return sub.empty() ? name : absl::StrCat(name, \".\", sub);\n"
            "        }\n");
      }
    }
    absl::StrAppend(
        &out, "      default:\n",
        "        return top ? absl::StrCat(\"", full, ".<attr \", a.type, \">\")\n",
        "                   : absl::StrCat(\"<attr \", a.type, \">\");\n",
        "    }\n  }\n", nests ? "" : "  (void)depth;\n", "  return \"\";\n}\n");
    return out;
  }

  // JsonName() of an enum: userspace/kuchan/message_json.cc's
  // EnumJsonName(), worked out here once.
  static std::string EnumJsonName(const EnumDescriptor& e) {
    std::string common = e.value(0)->name();
    for (int i = 1; i < e.value_count(); ++i) {
      const std::string& n = e.value(i)->name();
      size_t k = 0;
      while (k < common.size() && k < n.size() && common[k] == n[k]) ++k;
      common.resize(k);
    }
    const size_t cut = common.rfind('_');
    std::string out = absl::StrCat("const char* JsonName(", MsgTypeName(&e),
                                   " v) {\n  switch (v) {\n");
    std::set<int> seen;
    for (int i = 0; i < e.value_count(); ++i) {
      const auto* v = e.value(i);
      if (!seen.insert(v->number()).second) continue;  // an alias
      absl::StrAppend(&out, "    case ", v->name(), ":\n      return \"",
                      absl::AsciiStrToLower(v->name().substr(
                          cut == std::string::npos ? 0 : cut + 1)),
                      "\";\n");
    }
    absl::StrAppend(&out, "  }\n  return nullptr;\n}\n");
    return out;
  }

  // One value of field `a`, `v` an expression of its C++ type, as lines
  // indented by `in`.
  static std::string JsonValue(const schema::AttrSpec& a, const std::string& v,
                               const std::string& in) {
    switch (a.field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_BOOL:
        return absl::StrCat(in, "*out += ", v, " ? \"true\" : \"false\";\n");
      case FieldDescriptor::CPPTYPE_ENUM:
        return absl::StrCat(
            in, "if (const char* name = JsonName(", v, "))\n", in,
            "  *out += ::kuchan::JsonString(name);\n", in, "else\n", in,
            "  absl::StrAppend(out, static_cast<uint32_t>(", v, "));\n");
      case FieldDescriptor::CPPTYPE_STRING:
        return absl::StrCat(in, "*out += ::kuchan::JsonString(", v, ");\n");
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return absl::StrCat(in, "AppendJson(", v, ", out);\n");
      default:
        return absl::StrCat(in, "absl::StrAppend(out, ", v, ");\n");
    }
  }

  std::string JsonBody(const Set& s) const {
    std::vector<const schema::AttrSpec*> fields;
    for (const schema::AttrSpec& a : s.attrs)
      if (a.nla != nl::PAD) fields.push_back(&a);
    std::sort(fields.begin(), fields.end(),
              [](const schema::AttrSpec* x, const schema::AttrSpec* y) {
                return x->field->number() < y->field->number();
              });
    std::string out = absl::StrCat("void AppendJson(const ", MsgTypeName(s.desc),
                                   fields.empty() ? "&" : "& m",
                                   ", std::string* out) {\n");
    if (fields.empty()) return absl::StrCat(out, "  *out += \"{}\";\n}\n");
    absl::StrAppend(&out, "  const char* sep = \"{\";\n");
    for (const schema::AttrSpec* a : fields) {
      const FieldDescriptor& f = *a->field;
      const std::string m = absl::StrCat("m.", FieldName(&f));
      const std::string key = absl::StrCat(
          "    absl::StrAppend(out, sep, \"\\\"", f.name(), "\\\":\");\n",
          "    sep = \",\";\n");
      if (a->nla == nl::FLAG) {
        absl::StrAppend(&out, "  if (", m, ") {\n", key,
                        "    *out += \"true\";\n  }\n");
      } else if (a->nla == nl::MULTI_NESTED || a->nla == nl::NESTED_ARRAY) {
        absl::StrAppend(&out, "  if (!", m, ".empty()) {\n", key,
                        "    for (size_t i = 0; i < ", m, ".size(); ++i) {\n",
                        "      *out += i == 0 ? '[' : ',';\n",
                        JsonValue(*a, absl::StrCat(m, "[i]"), "      "),
                        "    }\n    *out += ']';\n  }\n");
      } else {
        absl::StrAppend(&out, "  if (", m, ") {\n", key,
                        JsonValue(*a, absl::StrCat("*", m), "    "), "  }\n");
      }
    }
    absl::StrAppend(&out, "  *out += *sep == '{' ? \"{}\" : \"}\";\n}\n");
    return out;
  }

  const FileDescriptor& file_;
  std::vector<Set> sets_;
  std::map<const Descriptor*, const Set*> by_desc_;
};

}  // namespace

absl::StatusOr<Files> GenerateCppMessages(const FileDescriptor& file,
                                          const CppOptions& options) {
  absl::StatusOr<std::vector<Set>> sets = ReadSets(file, options.skip_invalid);
  if (!sets.ok()) return sets.status();
  Writer w(file, std::move(*sets));
  if (absl::Status st = w.Check(); !st.ok()) return st;
  const std::string base = Base(file);
  const std::string h_path = absl::StrCat(options.prefix, base, ".msg.h");
  const std::string banner = Banner(file);
  Files files;
  files[absl::StrCat(base, ".msg.h")] = absl::StrCat(
      banner,
      "//\n"
      "// The typed codec of this file's attribute sets (gen/msg_gen.h): a "
      "plain\n// struct per set and its encoder and decoder, without "
      "protobuf.\n",
      w.Header(Guard(h_path)));
  files[absl::StrCat(base, ".msg.cc")] = absl::StrCat(
      banner, "#include \"", h_path, "\"\n\n", w.Source());
  return files;
}

}  // namespace kuchan::gen
