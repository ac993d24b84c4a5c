// SPDX-License-Identifier: GPL-2.0
#include "gen/cpp_sets.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace kuchan::gen {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;

namespace {

void CollectMessages(const Descriptor& d, std::vector<const Descriptor*>* out) {
  out->push_back(&d);
  for (int i = 0; i < d.nested_type_count(); ++i)
    CollectMessages(*d.nested_type(i), out);
}

}  // namespace

std::string FieldName(const FieldDescriptor* f) {
  static const std::set<std::string>* const keywords = new std::set<std::string>{
      "alignas", "alignof", "and", "asm", "auto", "bool", "break", "case",
      "catch", "char", "class", "const", "constexpr", "continue", "default",
      "delete", "do", "double", "else", "enum", "explicit", "export", "extern",
      "false", "float", "for", "friend", "goto", "if", "inline", "int", "long",
      "mutable", "namespace", "new", "noexcept", "not", "nullptr", "operator",
      "or", "private", "protected", "public", "register", "return", "short",
      "signed", "sizeof", "static", "struct", "switch", "template", "this",
      "throw", "true", "try", "typedef", "typeid", "typename", "union",
      "unsigned", "using", "virtual", "void", "volatile", "while", "xor"};
  std::string name = absl::AsciiStrToLower(f->name());
  if (keywords->count(name)) name += '_';
  return name;
}


absl::StatusOr<std::vector<Set>> ReadSets(const FileDescriptor& file,
                                          bool skip_invalid) {
  std::vector<const Descriptor*> messages;
  for (int i = 0; i < file.message_type_count(); ++i)
    CollectMessages(*file.message_type(i), &messages);

  std::vector<Set> sets;
  for (const Descriptor* d : messages) {
    if (schema::SetName(*d).empty()) continue;
    Set set{d, {}};
    absl::Status bad;
    for (int j = 0; j < d->field_count() && bad.ok(); ++j) {
      absl::StatusOr<schema::AttrSpec> a = schema::DeriveAttr(*d->field(j));
      if (!a.ok()) {
        bad = a.status();
      } else if (a->nested != nullptr && a->nested->file() != &file) {
        bad = absl::InvalidArgumentError(absl::StrCat(
            d->field(j)->full_name(), ": nests a set of another file (",
            a->nested->file()->name(), "), which this generator cannot call"));
      } else {
        set.attrs.push_back(*a);
      }
    }
    if (!bad.ok()) {
      if (skip_invalid) continue;
      return bad;
    }
    sets.push_back(std::move(set));
  }

  // Drop, until none is left, the sets that nest a dropped one.
  for (bool changed = true; changed;) {
    changed = false;
    std::set<const Descriptor*> kept;
    for (const Set& s : sets) kept.insert(s.desc);
    for (auto it = sets.begin(); it != sets.end(); ++it) {
      for (const schema::AttrSpec& a : it->attrs) {
        if (a.nested != nullptr && kept.count(a.nested) == 0) {
          if (!skip_invalid) {
            return absl::InvalidArgumentError(absl::StrCat(
                a.field->full_name(), ": nests ", a.nested->full_name(),
                ", which is not a valid attribute set"));
          }
          sets.erase(it);
          changed = true;
          break;
        }
      }
      if (changed) break;
    }
  }
  return sets;
}

std::string Base(const FileDescriptor& file) {
  absl::string_view name = file.name();
  absl::ConsumeSuffix(&name, ".proto");
  const size_t slash = name.rfind('/');
  return std::string(slash == name.npos ? name : name.substr(slash + 1));
}


const char* CppInt(nl::AttrType t) {
  switch (t) {
    case nl::U8: return "uint8_t";
    case nl::U16: return "uint16_t";
    case nl::U32: return "uint32_t";
    case nl::U64: return "uint64_t";
    case nl::S32: return "int32_t";
    case nl::S64: return "int64_t";
    default: return nullptr;
  }
}


std::string Guard(const std::string& path) {
  std::string g = absl::AsciiStrToUpper(path);
  for (char& c : g)
    if (!absl::ascii_isalnum(c)) c = '_';
  return absl::StrCat(g, "_");
}


std::string MsgNamespace(const google::protobuf::FileDescriptor& file) {
  std::string ns = absl::StrReplaceAll(file.package(), {{".", "::"}});
  return ns.empty() ? "msg" : absl::StrCat(ns, "::msg");
}

std::string CommentLines(const std::string& text, const std::string& indent) {
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  std::string out;
  for (absl::string_view line : lines) absl::StrAppend(&out, indent, "//", line, "\n");
  return out;
}

}  // namespace kuchan::gen
