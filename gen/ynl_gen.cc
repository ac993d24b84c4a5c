// SPDX-License-Identifier: GPL-2.0
#include "gen/ynl_gen.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace kuchan::gen {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using schema::AttrSpec;

// "start_time" -> "start-time", "EventType" -> "event-type".
std::string Dashed(absl::string_view name) {
  std::string out;
  for (char c : name) {
    if (absl::ascii_isupper(c) && !out.empty() && out.back() != '-') out += '-';
    out += c == '_' ? '-' : absl::ascii_tolower(c);
  }
  return out;
}


// A block scalar for `key` at `indent`, or "" when there is no text.
std::string Doc(const std::string& text, const std::string& indent,
                const char* key = "doc") {
  std::string t(absl::StripAsciiWhitespace(text));
  if (t.empty()) return "";
  std::string out = absl::StrCat(indent, key, ": |\n");
  for (absl::string_view line : absl::StrSplit(t, '\n')) {
    line = absl::StripTrailingAsciiWhitespace(line);
    absl::ConsumePrefix(&line, " ");
    if (line.empty())
      absl::StrAppend(&out, "\n");
    else
      absl::StrAppend(&out, indent, "  ", line, "\n");
  }
  return out;
}

const char* YnlType(nl::AttrType t) {
  switch (t) {
    case nl::U8: return "u8";
    case nl::U16: return "u16";
    case nl::U32: return "u32";
    case nl::U64: return "u64";
    case nl::S32: return "s32";
    case nl::S64: return "s64";
    case nl::FLAG: return "flag";
    case nl::NUL_STRING: return "string";
    case nl::BINARY: return "binary";
    case nl::NESTED:
    case nl::MULTI_NESTED: return "nest";
    case nl::NESTED_ARRAY: return "indexed-array";
    case nl::PAD: return "pad";
    default: return nullptr;
  }
}

std::vector<AttrSpec> Attrs(const Descriptor& m) {
  std::vector<AttrSpec> v;
  for (int i = 0; i < m.field_count(); i++)
    v.push_back(*schema::DeriveAttr(*m.field(i)));  // checked by ReadFamily
  std::sort(v.begin(), v.end(),
            [](const AttrSpec& a, const AttrSpec& b) { return a.type < b.type; });
  return v;
}

// An enum value's YNL name: without the prefix all the enum's values share
// (EVENT_, ORIGIN_), as the kernel's name tables spell them, dashed.
std::vector<std::string> EntryNames(const EnumDescriptor& e) {
  std::string common = e.value_count() ? e.value(0)->name() : "";
  for (int i = 1; i < e.value_count(); i++) {
    const std::string& n = e.value(i)->name();
    size_t k = 0;
    while (k < common.size() && k < n.size() && common[k] == n[k]) k++;
    common.resize(k);
  }
  common.resize(common.rfind('_') == std::string::npos ? 0 : common.rfind('_') + 1);
  std::vector<std::string> names;
  for (int i = 0; i < e.value_count(); i++)
    names.push_back(Dashed(absl::AsciiStrToLower(e.value(i)->name().substr(common.size()))));
  return names;
}

class Writer {
 public:
  explicit Writer(const schema::Family& f)
      : fam_(f), prefix_(Dashed(f.options.c_prefix())) {}

  absl::StatusOr<std::string> Run();

 private:
  absl::Status Attribute(const AttrSpec& a, std::string* out) const;
  absl::Status Op(const schema::Op& op, std::string* out) const;

  const schema::Family& fam_;
  std::string prefix_;
};

absl::Status Writer::Attribute(const AttrSpec& a, std::string* out) const {
  const char* type = YnlType(a.nla);
  if (type == nullptr)
    return absl::InvalidArgumentError(
        absl::StrCat(a.field->full_name(), ": no YNL type"));
  absl::StrAppend(out, "      -\n        name: ", Dashed(a.field->name()),
                  "\n        type: ", type, "\n        value: ", a.type, "\n");
  absl::StrAppend(out, Doc(schema::LeadingComment(*a.field), "        "));
  if (a.nested != nullptr)
    absl::StrAppend(out, "        nested-attributes: ",
                    Dashed(schema::SetName(*a.nested)), "\n");
  if (a.nla == nl::MULTI_NESTED) absl::StrAppend(out, "        multi-attr: true\n");
  if (a.nla == nl::NESTED_ARRAY) absl::StrAppend(out, "        sub-type: nest\n");
  if (a.field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
    // The enum says which values there are; no checks beside it.
    absl::StrAppend(out, "        enum: ", Dashed(a.field->enum_type()->name()), "\n");
    return absl::OkStatus();
  }
  std::vector<std::string> checks;
  if ((a.min && *a.min < 0) || (a.max && *a.max < 0))
    return absl::InvalidArgumentError(absl::StrCat(
        a.field->full_name(), ": YNL checks take no negative bound"));
  if (a.min) checks.push_back(absl::StrCat("min: ", *a.min));
  if (a.max) checks.push_back(absl::StrCat("max: ", *a.max));
  if (a.min_len) checks.push_back(absl::StrCat("min-len: ", *a.min_len));
  if (a.max_len) checks.push_back(absl::StrCat("max-len: ", *a.max_len));
  if (!checks.empty()) {
    absl::StrAppend(out, "        checks:\n");
    for (const std::string& c : checks) absl::StrAppend(out, "          ", c, "\n");
  }
  return absl::OkStatus();
}

absl::Status Writer::Op(const schema::Op& op, std::string* out) const {
  const Descriptor* set = op.request ? op.request : op.reply;
  if (set == nullptr && !op.options.attribute_set().empty()) {
    set = fam_.file->pool()->FindMessageTypeByName(op.options.attribute_set());
    if (set == nullptr || schema::SetName(*set).empty())
      return absl::InvalidArgumentError(absl::StrCat(
          op.value->full_name(), ": attribute_set `",
          op.options.attribute_set(), "' is not an attribute set"));
  }
  if (set == nullptr)
    return absl::InvalidArgumentError(absl::StrCat(
        op.value->full_name(),
        ": YNL calls only ops with an attribute set: give it (nl.op).attribute_set"));
  const std::string name = Dashed(schema::ShortName(*op.value));
  std::string doc = schema::LeadingComment(*op.value);
  if (absl::StripAsciiWhitespace(doc).empty())
    doc = absl::StrCat("The ", op.value->name(), " command.");
  absl::StrAppend(out, "    -\n      name: ", name, "\n");
  absl::StrAppend(out, Doc(doc, "      "));
  absl::StrAppend(out, "      value: ", op.value->number(), "\n");
  absl::StrAppend(out, "      attribute-set: ", Dashed(schema::SetName(*set)), "\n");
  if (op.options.permission() == nl::ADMIN)
    absl::StrAppend(out, "      flags: [ admin-perm ]\n");
  else if (op.options.permission() == nl::UNS_ADMIN)
    return absl::InvalidArgumentError(absl::StrCat(
        op.value->full_name(), ": genetlink.yaml has no uns-admin-perm"));

  auto names = [](const std::vector<AttrSpec>& attrs) {
    std::vector<std::string> v;
    for (const AttrSpec& a : attrs)
      if (a.nla != nl::PAD) v.push_back(Dashed(a.field->name()));
    return absl::StrCat("[ ", absl::StrJoin(v, ", "), " ]");
  };
  if (op.options.notify()) {
    absl::StrAppend(out, "      event:\n        attributes: ", names(Attrs(*set)),
                    "\n");
    for (const auto& g : fam_.groups)  // the family's groups carry its events
      absl::StrAppend(out, "      mcgrp: ", schema::ShortName(*g.value), "\n");
    return absl::OkStatus();
  }
  std::string mode;
  if (op.request != nullptr)
    absl::StrAppend(&mode, "        request:\n          attributes: ",
                    names(op.request_attrs), "\n");
  // YNL gives an op one attribute-set: a reply from another set than the
  // request's cannot be told (the schema avoids them). A reply of the
  // request's own set carries its reply-only attributes.
  if (op.reply != nullptr && op.reply != set)
    return absl::InvalidArgumentError(absl::StrCat(
        op.value->full_name(), ": YNL wants the reply of the request's set"));
  if (op.reply != nullptr) {
    std::vector<AttrSpec> reply;
    for (const AttrSpec& a : Attrs(*op.reply))
      if (op.request == nullptr || a.reply_only) reply.push_back(a);
    absl::StrAppend(&mode, "        reply:\n          attributes: ", names(reply),
                    "\n");
  }
  absl::StrAppend(out, op.options.dump() ? "      dump:" : "      do:",
                  mode.empty() ? " {}\n" : absl::StrCat("\n", mode));
  return absl::OkStatus();
}

absl::StatusOr<std::string> Writer::Run() {
  if (fam_.groups.size() > 1)
    return absl::InvalidArgumentError(
        "the YNL writer gives every event the one multicast group there is");
  std::string o = absl::StrCat(
      "# SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR "
      "BSD-3-Clause)\n"
      "#\n"
      "# Do not edit: generated from proto/", fam_.file->name(),
      " by gen/ (protoc-gen-kuchan-kernel).\n"
      "# Regenerate with: cmake --build build --target regen\n\n"
      "name: ", fam_.options.name(), "\n"
      "protocol: genetlink\n"
      "doc: |\n"
      "  The ", fam_.options.name(), " generic netlink family, protocol version ",
      fam_.options.version(), " (the family's\n"
      "  version). Generated from proto/", fam_.file->name(),
      ", which says everything\n"
      "  more; docs/protocol.md says how it travels.\n\n");

  absl::StrAppend(&o, "definitions:\n");
  for (const EnumDescriptor* e : fam_.enums) {
    absl::StrAppend(&o, "  -\n    type: enum\n    name: ", Dashed(e->name()), "\n");
    absl::StrAppend(&o, Doc(schema::LeadingComment(*e), "    "));
    absl::StrAppend(&o, "    entries:\n");
    const std::vector<std::string> names = EntryNames(*e);
    for (int i = 0; i < e->value_count(); i++) {
      absl::StrAppend(&o, "      -\n        name: ", names[i],
                      "\n        value: ", e->value(i)->number(), "\n");
      absl::StrAppend(&o, Doc(schema::LeadingComment(*e->value(i)), "        "));
    }
  }

  absl::StrAppend(&o, "\nattribute-sets:\n");
  for (const Descriptor* m : fam_.sets) {
    const std::string set = schema::SetName(*m);
    absl::StrAppend(&o, "  -\n    name: ", Dashed(set), "\n");
    // The C names of kernel/uapi/kuchan.h: KUCHAN_A_TARGET_PID, ...
    absl::StrAppend(&o, "    name-prefix: ", prefix_, "-a-", Dashed(set), "-\n");
    absl::StrAppend(&o, "    enum-name: ", fam_.options.c_prefix(), "_a_", set, "\n");
    absl::StrAppend(&o, Doc(schema::LeadingComment(*m), "    "));
    absl::StrAppend(&o, "    attributes:\n");
    for (const AttrSpec& a : Attrs(*m)) {
      absl::Status s = Attribute(a, &o);
      if (!s.ok()) return s;
    }
  }

  absl::StrAppend(&o, "\noperations:\n  name-prefix: ", prefix_, "-cmd-\n",
                  "  enum-name: ", fam_.options.c_prefix(), "_cmd\n  list:\n");
  for (const schema::Op& op : fam_.ops) {
    absl::Status s = Op(op, &o);
    if (!s.ok()) return s;
  }

  if (!fam_.groups.empty()) {
    absl::StrAppend(&o, "\nmcast-groups:\n  list:\n");
    for (const auto& g : fam_.groups)
      absl::StrAppend(&o, "    -\n      name: ", schema::ShortName(*g.value), "\n");
  }
  return o;
}

}  // namespace

absl::StatusOr<std::string> GenerateYnl(const schema::Family& family) {
  return Writer(family).Run();
}

}  // namespace kuchan::gen
