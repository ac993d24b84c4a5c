// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/schema.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "proto/kuchan.pb.h"
#include "proto/netlink.pb.h"

namespace kuchan {
namespace {

using google::protobuf::EnumDescriptor;
using google::protobuf::FileDescriptor;

const FileDescriptor& SchemaFile() {
  // Any generated type of kuchan.proto leads to its file; the enum also
  // makes sure the schema's classes are linked in.
  return *kuchan::Command_descriptor()->file();
}

// The file's enum carrying the boolean enum option `ext` (nl.commands or
// nl.groups), or nullptr.
template <typename Ext>
const EnumDescriptor* MarkedEnum(const Ext& ext) {
  const FileDescriptor& file = SchemaFile();
  for (int i = 0; i < file.enum_type_count(); ++i) {
    if (file.enum_type(i)->options().GetExtension(ext)) {
      return file.enum_type(i);
    }
  }
  return nullptr;
}

}  // namespace

std::string ShortEnumName(absl::string_view enum_value_name) {
  std::string n = absl::AsciiStrToLower(enum_value_name);
  if (absl::StartsWith(n, "cmd_")) n.erase(0, 4);
  return n;
}

// The family's name and version come from kernel/uapi/kuchan.h, which the
// generator writes from the same (nl.family) option (the CTest
// generated_files_in_sync keeps it in step, schema_test checks they agree):
// reading them by reflection builds the schema's descriptors, a third of
// the instructions of a whole `kuchanctl signal` run.
const google::protobuf::EnumValueDescriptor* SchemaCommand(uint32_t cmd) {
  static const EnumDescriptor* commands = MarkedEnum(nl::commands);
  // Command 0 is the UNSPEC placeholder, never a command.
  if (commands == nullptr || cmd == 0 || cmd > 255) return nullptr;
  return commands->FindValueByNumber(static_cast<int>(cmd));
}

std::string SchemaCommandName(uint32_t cmd) {
  const auto* v = SchemaCommand(cmd);
  return v == nullptr ? "" : ShortEnumName(v->name());
}

std::string SchemaGroupName(int index) {
  static const EnumDescriptor* groups = MarkedEnum(nl::groups);
  if (groups == nullptr) return "";
  const auto* v = groups->FindValueByNumber(index);
  return v == nullptr ? "" : ShortEnumName(v->name());
}

}  // namespace kuchan
