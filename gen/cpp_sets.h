// SPDX-License-Identifier: GPL-2.0
//
// What protoc-gen-kuchan-cpp's writers (the typed codec, gen/msg_gen.h, and
// the op calls, gen/ops_gen.h) share: the plugin's options, the attribute
// sets of a schema file that C++ can be written for, and how protoc spells
// C++ names.
#ifndef KUCHAN_GEN_CPP_SETS_H_
#define KUCHAN_GEN_CPP_SETS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gen/schema.h"
#include "google/protobuf/descriptor.h"

namespace kuchan::gen {

struct CppOptions {
  // How the generated files spell the includes of each other: "proto/"
  // gives "proto/kuchan.msg.h".
  std::string prefix;
  // Skip messages whose (nl.set) the schema rules refuse (test schemas hold
  // such sets on purpose) instead of failing.
  bool skip_invalid = false;
};

// Parses the plugin parameter: "prefix=proto/,skip_invalid".
absl::StatusOr<CppOptions> ParseCppOptions(const std::string& parameter);

// protoc's C++ naming, for what these sets use (libprotoc's own helpers
// are not installed usably: cpp/helpers.h includes an uninstalled header).
// A type is its name without the package, nested types joined by '_'
// (MsgTypeName(): the typed codec's name inside <package>::msg); a field is
// its lower-case name, '_'-suffixed when that is a C++ keyword.
template <typename D>
std::string MsgTypeName(const D* d) {
  const std::string& package = d->file()->package();
  std::string name = d->full_name().substr(package.empty() ? 0 : package.size() + 1);
  for (char& c : name)
    if (c == '.') c = '_';
  return name;
}

// A field's name in the typed struct, as protoc spells its accessors.
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
