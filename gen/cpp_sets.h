// SPDX-License-Identifier: GPL-2.0
//
// What protoc-gen-kuchan-cpp's writers share: the attribute sets of a schema
// file that C++ can be written for, and how protoc spells C++ names.
#ifndef KUCHAN_GEN_CPP_SETS_H_
#define KUCHAN_GEN_CPP_SETS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gen/schema.h"
#include "google/protobuf/descriptor.h"

namespace kuchan::gen {

// protoc's C++ naming, for what these sets use (libprotoc's own helpers
// are not installed usably: cpp/helpers.h includes an uninstalled header).
// A type is its name without the package, nested types joined by '_'
// (MsgTypeName(): also the typed codec's name inside <package>::msg),
// qualified by the package as namespaces (QualifiedClassName()); a field's
// accessors are its lower-case name, '_'-suffixed when that is a C++
// keyword.
template <typename D>
std::string MsgTypeName(const D* d) {
  const std::string& package = d->file()->package();
  std::string name = d->full_name().substr(package.empty() ? 0 : package.size() + 1);
  for (char& c : name)
    if (c == '.') c = '_';
  return name;
}

template <typename D>
std::string QualifiedClassName(const D* d) {
  const std::string ns = absl::StrReplaceAll(d->file()->package(), {{".", "::"}});
  return absl::StrCat("::", ns, ns.empty() ? "" : "::", MsgTypeName(d));
}

// A field's accessor name, as protoc spells it.
std::string FieldName(const google::protobuf::FieldDescriptor* f);

struct Set {
  const google::protobuf::Descriptor* desc = nullptr;
  std::vector<schema::AttrSpec> attrs;  // in field order
};

// The sets of `file` whose code can be written: every field derives
// (schema.h) and every nested set is written too. With skip_invalid the
// others are dropped, else the first is an error.
absl::StatusOr<std::vector<Set>> ReadSets(
    const google::protobuf::FileDescriptor& file, bool skip_invalid);

// The file's name without directory and ".proto": "kuchan".
std::string Base(const google::protobuf::FileDescriptor& file);

// The C++ integer type of a fixed-size wire type; null for the others.
const char* CppInt(nl::AttrType t);

// An include guard for `path`.
std::string Guard(const std::string& path);

// The first lines of every file the plugin writes for `file`.
std::string Banner(const google::protobuf::FileDescriptor& file);

// "kuchan::msg" for package kuchan.
std::string MsgNamespace(const google::protobuf::FileDescriptor& file);

// A schema comment as C++ comment lines, each indented by `indent`.
std::string CommentLines(const std::string& text, const std::string& indent);

}  // namespace kuchan::gen

#endif  // KUCHAN_GEN_CPP_SETS_H_
