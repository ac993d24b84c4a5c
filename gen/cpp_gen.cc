// SPDX-License-Identifier: GPL-2.0
#include "gen/cpp_gen.h"

#include <set>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gen/cpp_sets.h"
#include "gen/schema.h"

namespace kuchan::gen {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;

std::string Signature(const Descriptor& d, bool named_depth) {
  return absl::StrCat("bool Decode(absl::Span<const uint8_t> attrs, ",
                      QualifiedClassName(&d), "* m, int",
                      named_depth ? " depth" : "", ")");
}

bool IsSigned(nl::AttrType t) { return t == nl::S32 || t == nl::S64; }

// The conditions under which an integer breaks its bounds, " || "-joined;
// "" when the type's own range is all the bound there is.
std::string IntBounds(const schema::AttrSpec& a) {
  std::vector<std::string> c;
  if (IsSigned(a.nla)) {
    if (a.min && *a.min > schema::TypeMin(a.nla))
      c.push_back(absl::StrCat("v < INT64_C(", *a.min, ")"));
    if (a.max && *a.max < static_cast<int64_t>(schema::TypeMax(a.nla)))
      c.push_back(absl::StrCat("v > INT64_C(", *a.max, ")"));
  } else {
    if (a.min && *a.min > 0)
      c.push_back(absl::StrCat("v < UINT64_C(", *a.min, ")"));
    if (a.max && static_cast<uint64_t>(*a.max) < schema::TypeMax(a.nla))
      c.push_back(absl::StrCat("v > UINT64_C(", *a.max, ")"));
  }
  std::string out;
  for (const std::string& s : c) absl::StrAppend(&out, " || ", s);
  return out;
}

// The body of one `case`: reads the attribute, checks it, sets the field.
// Every failure is "return false".
std::string Case(const schema::AttrSpec& a) {
  const FieldDescriptor& f = *a.field;
  const std::string name = FieldName(&f);
  // Each attribute once; one member per oneof.
  std::string first = absl::StrCat("!seen.First(", a.type, ")");
  std::string s = absl::StrCat("      case ", a.type, ": {  // ", f.name(), ": ",
                               absl::AsciiStrToLower(nl::AttrType_Name(a.nla)),
                               "\n");
  if (const auto* oneof = f.containing_oneof(); oneof != nullptr) {
    absl::StrAppend(&s, "        if (", oneof->name(), "_set) return false;\n");
    absl::StrAppend(&s, "        ", oneof->name(), "_set = true;\n");
  }
  switch (a.nla) {
    case nl::U8: case nl::U16: case nl::U32: case nl::U64:
    case nl::S32: case nl::S64: {
      absl::StrAppend(&s, "        ", CppInt(a.nla), " v;\n",
                      "        if (", first,
                      " ||\n            !::kuchan::nlgen::Fixed(a.payload, &v)",
                      IntBounds(a), ")\n          return false;\n");
      if (f.cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
        const std::string e = QualifiedClassName(f.enum_type());
        // Values the enum lacks become unknown fields (proto2): the
        // reflection codec does that.
        absl::StrAppend(&s, "        if (!", e, "_IsValid(static_cast<int>(v)))",
                        " return false;\n", "        m->set_", name,
                        "(static_cast<", e, ">(v));\n");
      } else {
        absl::StrAppend(&s, "        m->set_", name, "(v);\n");
      }
      break;
    }
    case nl::FLAG:
      absl::StrAppend(&s, "        if (", first,
                      " || !::kuchan::nlgen::Flag(a.payload))\n"
                      "          return false;\n",
                      "        m->set_", name, "(true);\n");
      break;
    case nl::NUL_STRING:
    case nl::BINARY:
      absl::StrAppend(
          &s, "        absl::string_view v;\n", "        if (", first,
          " ||\n            !::kuchan::nlgen::",
          a.nla == nl::NUL_STRING ? "NulString" : "Binary", "(a.payload, ",
          a.min_len.value_or(0), "u, ",
          a.max_len ? absl::StrCat(*a.max_len, "u") : "0xffffffffu",
          ", &v))\n          return false;\n", "        m->set_", name,
          "(v.data(), v.size());\n");
      break;
    case nl::NESTED:
      absl::StrAppend(&s, "        if (", first,
                      " || depth >= ::kuchan::kMaxNestDepth ||\n"
                      "            !Decode(a.payload, m->mutable_",
                      name, "(), depth + 1))\n          return false;\n");
      break;
    case nl::NESTED_ARRAY: {
      std::string count;
      if (a.max_count) count = absl::StrCat("i >= ", *a.max_count, "u || ");
      absl::StrAppend(
          &s, "        if (", first,
          " || depth >= ::kuchan::kMaxNestDepth) return false;\n",
          "        m->clear_", name, "();  // keeps the members for reuse\n",
          "        ::kuchan::NlaReader members(a.payload);\n",
          "        ::kuchan::Nla member;\n",
          "        for (uint32_t i = 0; members.Next(&member); ++i) {\n",
          "          if (", count, "member.type != i + 1 ||\n",
          "              !Decode(member.payload, m->add_", name,
          "(), depth + 1))\n", "            return false;\n", "        }\n",
          "        if (!members.ok()) return false;\n");
      break;
    }
    case nl::MULTI_NESTED: {
      // One member per attribute. The first clears what an earlier decode
      // into *m left (clear_x() keeps the members' storage for reuse).
      std::string count;
      if (a.max_count)
        count = absl::StrCat("m->", name, "_size() >= ", *a.max_count, " || ");
      absl::StrAppend(
          &s, "        if (seen.First(", a.type, ")) m->clear_", name, "();\n",
          "        if (", count, "depth >= ::kuchan::kMaxNestDepth ||\n",
          "            !Decode(a.payload, m->add_", name,
          "(), depth + 1))\n          return false;\n");
      break;
    }
    case nl::PAD:
      absl::StrAppend(&s, "        // alignment, nothing to read\n");
      break;
    default:
      break;
  }
  absl::StrAppend(&s, "        break;\n      }\n");
  return s;
}

// What a stream did not carry is cleared at the end, not at the start:
// clear_x() keeps a sub-message's (and string's) storage, so decoding event
// after event into one message allocates nothing once it has seen each
// kind, where Clear() would free a oneof's message every time.
std::string ClearUnseen(const Set& set) {
  std::string s;
  std::set<const google::protobuf::OneofDescriptor*> oneofs;
  for (const schema::AttrSpec& a : set.attrs) {
    if (const auto* o = a.field->containing_oneof(); o != nullptr) {
      oneofs.insert(o);
      continue;
    }
    if (a.nla == nl::PAD) continue;  // never set
    absl::StrAppend(&s, "  if (!seen.Has(", a.type, ")) m->clear_",
                    FieldName(a.field), "();\n");
  }
  for (int i = 0; i < set.desc->oneof_decl_count(); ++i) {
    const auto* o = set.desc->oneof_decl(i);
    if (oneofs.count(o) == 0) continue;
    absl::StrAppend(&s, "  if (!", o->name(), "_set) m->clear_", o->name(),
                    "();\n");
  }
  // The reflection codec keeps unknown enum values there.
  absl::StrAppend(&s,
                  "  if (!m->unknown_fields().empty()) "
                  "m->mutable_unknown_fields()->Clear();\n");
  return s;
}

std::string Body(const Set& set) {
  const Descriptor& d = *set.desc;
  bool nests = false;
  uint32_t max_type = 0;
  for (const schema::AttrSpec& a : set.attrs) {
    nests |= a.nested != nullptr;
    max_type = std::max<uint32_t>(max_type, a.type);
  }
  std::string s = absl::StrCat(Signature(d, nests), " {\n");
  if (set.attrs.empty()) {
    absl::StrAppend(&s, "  ::kuchan::NlaReader reader(attrs);\n",
                    "  ::kuchan::Nla a;\n", "  while (reader.Next(&a)) {\n",
                    "  }\n  if (!reader.ok()) return false;\n",
                    ClearUnseen(set), "  return true;\n}\n");
    return s;
  }
  absl::StrAppend(&s, "  ::kuchan::nlgen::Seen<", max_type / 64 + 1,
                  "> seen;\n");
  for (int i = 0; i < d.oneof_decl_count(); ++i)
    absl::StrAppend(&s, "  bool ", d.oneof_decl(i)->name(), "_set = false;\n");
  absl::StrAppend(&s, "  ::kuchan::NlaReader reader(attrs);\n",
                  "  ::kuchan::Nla a;\n", "  while (reader.Next(&a)) {\n",
                  "    switch (a.type) {\n");
  for (const schema::AttrSpec& a : set.attrs) absl::StrAppend(&s, Case(a));
  absl::StrAppend(&s,
                  "      default:\n"
                  "        break;  // Unknown attribute types are skipped.\n"
                  "    }\n  }\n  if (!reader.ok()) return false;\n",
                  ClearUnseen(set), "  return true;\n}\n");
  return s;
}

}  // namespace

absl::StatusOr<CppOptions> ParseCppOptions(const std::string& parameter) {
  CppOptions o;
  for (absl::string_view item : absl::StrSplit(parameter, ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(item, '=');
    if (kv.first == "pb_prefix") {
      o.pb_prefix = kv.second;
    } else if (kv.first == "nl_prefix") {
      o.nl_prefix = kv.second;
    } else if (kv.first == "skip_invalid" && kv.second.empty()) {
      o.skip_invalid = true;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown parameter `", item,
                       "' (pb_prefix=DIR/, nl_prefix=DIR/, skip_invalid)"));
    }
  }
  return o;
}

absl::StatusOr<Files> GenerateCppDecoders(const FileDescriptor& file,
                                          const CppOptions& options) {
  absl::StatusOr<std::vector<Set>> sets = ReadSets(file, options.skip_invalid);
  if (!sets.ok()) return sets.status();
  const std::string base = Base(file);
  const std::string h_path = absl::StrCat(options.nl_prefix, base, ".nl.h");
  const std::string banner = Banner(file);

  std::string h = absl::StrCat(
      banner,
      "//\n"
      "// Decoders of netlink attribute streams into the sets of this file,\n"
      "// one overload per set. Each replaces the content of *m with what the\n"
      "// stream holds and returns true (reusing *m's storage: decoding into\n"
      "// one message again and again allocates nothing once warm), or\n"
      "// returns false, leaving *m half-written, as soon as the stream breaks\n"
      "// a rule of the schema or holds an enum value it does not know; the\n"
      "// caller then runs the reflection codec (userspace/kuchan/codec.h),\n"
      "// which explains the error or keeps the value as an unknown field.\n"
      "// Unknown attribute types are skipped, as the codec skips them.\n",
      "#ifndef ", Guard(h_path), "\n#define ", Guard(h_path), "\n\n",
      "#include <cstdint>\n\n#include \"absl/types/span.h\"\n#include \"",
      options.pb_prefix, base, ".pb.h\"\n\nnamespace kuchan::nlgen {\n\n");
  for (const Set& s : *sets) {
    absl::StrAppend(&h, "bool Decode(absl::Span<const uint8_t> attrs, ",
                    QualifiedClassName(s.desc), "* m, int depth = 0);\n");
  }
  absl::StrAppend(&h, "\n}  // namespace kuchan::nlgen\n\n#endif  // ",
                  Guard(h_path), "\n");

  std::string cc = absl::StrCat(
      banner, "#include \"", h_path, "\"\n\n",
      "#include <cstdint>\n\n",
      "#include \"absl/strings/string_view.h\"\n",
      "#include \"userspace/kuchan/codec.h\"\n",
      "#include \"userspace/kuchan/nl_decode.h\"\n",
      "#include \"userspace/kuchan/nla.h\"\n\n",
      "namespace kuchan::nlgen {\n");
  for (const Set& s : *sets) absl::StrAppend(&cc, "\n", Body(s));
  absl::StrAppend(&cc, "\n}  // namespace kuchan::nlgen\n");

  Files files;
  files[absl::StrCat(base, ".nl.h")] = h;
  files[absl::StrCat(base, ".nl.cc")] = cc;
  return files;
}

}  // namespace kuchan::gen
