// SPDX-License-Identifier: GPL-2.0
#include "gen/kernel_gen.h"

#include <algorithm>
#include <functional>
#include <set>
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

// "EventType" -> "event_type".
std::string Snake(absl::string_view camel) {
  std::string out;
  for (char c : camel) {
    if (absl::ascii_isupper(c) && !out.empty()) out += '_';
    out += absl::ascii_tolower(c);
  }
  return out;
}

// Generated C never depends on anything but the schema, so that a second
// run gives the same bytes: the drift test compares them.
class Writer {
 public:
  explicit Writer(const schema::Family& f)
      : fam_(f),
        prefix_(f.options.c_prefix()),
        upper_(absl::AsciiStrToUpper(prefix_)) {}

  absl::StatusOr<Files> Run();

 private:
  std::string Banner(const char* spdx) const;
  std::string SetEnumName(const Descriptor& m) const {
    return absl::StrCat(prefix_, "_a_", schema::SetName(m));
  }
  std::string AttrName(const Descriptor& m, const FieldDescriptor& f) const {
    return absl::StrCat(upper_, "_A_", absl::AsciiStrToUpper(schema::SetName(m)),
                        "_", absl::AsciiStrToUpper(f.name()));
  }
  std::string SetMax(const Descriptor& m) const {
    return absl::StrCat(upper_, "_A_", absl::AsciiStrToUpper(schema::SetName(m)),
                        "_MAX");
  }
  std::string PolicyName(const Descriptor& m) const {
    return absl::StrCat(prefix_, "_", schema::SetName(m), "_nl_policy");
  }
  // An op's own request policy, as YNL names it: it admits the op's
  // request_attrs alone, up to the highest of them (OpMaxAttr()).
  std::string OpPolicyName(const schema::Op& op) const {
    return absl::StrCat(prefix_, "_", schema::ShortName(*op.value), "_nl_policy");
  }
  std::string OpMaxAttr(const schema::Op& op) const {
    return op.request_attrs.empty()
               ? SetMax(*op.request)
               : AttrName(*op.request, *op.request_attrs.back().field);
  }
  std::string EnumValueName(const google::protobuf::EnumValueDescriptor& v) const {
    return absl::StrCat(upper_, "_", v.name());
  }
  // The table of an enum's value names (NameTable()), and its C size.
  std::string NamesName(const EnumDescriptor& e) const {
    return absl::StrCat(prefix_, "_", Snake(e.name()), "_names");
  }
  std::string NamesSize(const EnumDescriptor& e) const {
    return absl::StrCat("__", upper_, "_", absl::AsciiStrToUpper(Snake(e.name())),
                        "_MAX");
  }
  std::string NameTable(const EnumDescriptor& e) const;
  std::string CmdName(const schema::Op& op) const {
    return EnumValueName(*op.value);
  }
  std::string Handler(const schema::Op& op) const {
    return absl::StrCat(prefix_, "_nl_", schema::ShortName(*op.value),
                        op.options.dump() ? "_dumpit" : "_doit");
  }

  std::string Uapi();
  std::string GenH();
  absl::StatusOr<std::string> GenC();

  void Tree(const Descriptor& m, int depth, bool request, std::string* out) const;
  void Tree(const Descriptor& m, const std::vector<AttrSpec>& attrs, int depth,
            bool request, std::string* out) const;
  std::string Describe(const AttrSpec& a, bool padded) const;
  absl::Status Policy(const Descriptor& m, std::set<const Descriptor*>* done,
                      std::string* out);
  absl::Status Entries(const Descriptor& m, const std::vector<AttrSpec>& attrs,
                       std::set<const Descriptor*>* done, std::string* ranges,
                       std::string* body);
  absl::Status OpPolicy(const schema::Op& op, std::set<const Descriptor*>* done,
                        std::string* out);
  absl::StatusOr<std::string> PolicyEntry(const Descriptor& m,
                                          const AttrSpec& a,
                                          std::string* ranges);

  const schema::Family& fam_;
  std::string prefix_, upper_;
};

// Leading comment of a schema element, as C comment lines ("\t * ...").
std::string Doc(const std::string& leading, const std::string& indent) {
  std::string text(absl::StripAsciiWhitespace(leading));
  if (text.empty()) return "";
  std::string out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripTrailingAsciiWhitespace(line);
    absl::ConsumePrefix(&line, " ");
    if (line.empty())
      absl::StrAppend(&out, indent, " *\n");
    else
      absl::StrAppend(&out, indent, " * ", line, "\n");
  }
  return out;
}


std::vector<AttrSpec> Attrs(const Descriptor& m) {
  std::vector<AttrSpec> v;
  for (int i = 0; i < m.field_count(); i++)
    v.push_back(*schema::DeriveAttr(*m.field(i)));  // checked by ReadFamily
  std::sort(v.begin(), v.end(),
            [](const AttrSpec& a, const AttrSpec& b) { return a.type < b.type; });
  return v;
}

std::string Writer::Banner(const char* spdx) const {
  return absl::StrCat(
      spdx,
      "/*\n"
      " * Do not edit: generated from proto/", fam_.file->name(),
      " by gen/ (protoc-gen-kuchan-kernel).\n"
      " * Regenerate with: cmake --build build --target regen\n"
      " */\n\n");
}

// `padded`: the set has a PAD, so its 64-bit attributes are aligned.
std::string Writer::Describe(const AttrSpec& a, bool padded) const {
  std::string s = a.nla == nl::PAD
                      ? std::string("pad")
                      : absl::StrReplaceAll(
                            absl::AsciiStrToLower(schema::KernelTypeName(a.nla) + 4),
                            {{"_", " "}});
  if (a.nla == nl::MULTI_NESTED) absl::StrAppend(&s, ", multi-attr");
  if (a.min && a.max)
    absl::StrAppend(&s, ", ", *a.min, "..", *a.max);
  else if (a.min)
    absl::StrAppend(&s, ", >= ", *a.min);
  else if (a.max)
    absl::StrAppend(&s, ", <= ", *a.max);
  if (a.min_len && a.max_len)
    absl::StrAppend(&s, ", ", *a.min_len, "..", *a.max_len, " bytes");
  else if (a.max_len)
    absl::StrAppend(&s, ", at most ", *a.max_len, " bytes");
  else if (a.min_len)
    absl::StrAppend(&s, ", at least ", *a.min_len, " bytes");
  if (a.nla == nl::MULTI_NESTED && a.max_count)
    absl::StrAppend(&s, ", at most ", *a.max_count, " times");
  if (a.nla == nl::NESTED_ARRAY && a.max_count)
    absl::StrAppend(&s, ", at most ", *a.max_count, " entries");
  if (padded && (a.nla == nl::U64 || a.nla == nl::S64))
    absl::StrAppend(&s, ", 8-byte aligned");
  if (a.field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM)
    absl::StrAppend(&s, ", enum ", prefix_, "_", Snake(a.field->enum_type()->name()));
  return s;
}

void Writer::Tree(const Descriptor& m, int depth, bool request,
                  std::string* out) const {
  const std::string pad = absl::StrCat(" *", std::string(2 * depth + 1, ' '));
  if (depth > 8) {
    absl::StrAppend(out, pad, "...\n");
    return;
  }
  Tree(m, Attrs(m), depth, request, out);
}

// `request`: the tree of what a request may carry. Its policy refuses the
// pad attribute, so a request's 64-bit attributes are not said to be aligned.
void Writer::Tree(const Descriptor& m, const std::vector<AttrSpec>& attrs,
                  int depth, bool request, std::string* out) const {
  const std::string pad = absl::StrCat(" *", std::string(2 * depth + 1, ' '));
  for (const AttrSpec& a : attrs) {
    absl::StrAppend(out, pad, AttrName(m, *a.field), ": ",
                    Describe(a, !request && schema::PadOf(m) != nullptr), "\n");
    if (a.nla == nl::NESTED_ARRAY) {
      absl::StrAppend(out, pad, "  0..n: NLA_NESTED\n");
      Tree(*a.nested, depth + 2, request, out);
    } else if (a.nested != nullptr) {
      Tree(*a.nested, depth + 1, request, out);
    }
  }
}

std::string Writer::Uapi() {
  const std::string guard = absl::StrCat("_UAPI_LINUX_", upper_, "_H");
  std::string o = Banner(
      "/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR "
      "BSD-3-Clause) */\n");
  absl::StrAppend(&o, "#ifndef ", guard, "\n#define ", guard, "\n\n");
  absl::StrAppend(&o, "#define ", upper_, "_FAMILY_NAME\t\"",
                  fam_.options.name(), "\"\n");
  absl::StrAppend(&o, "#define ", upper_, "_FAMILY_VERSION\t",
                  fam_.options.version(), "\n");
  for (const auto& g : fam_.groups)
    absl::StrAppend(&o, "#define ", upper_, "_MCGRP_", g.value->name(), "\t\"",
                    schema::ShortName(*g.value), "\"\n");

  // The protocol at a glance, as WireGuard's header draws it.
  absl::StrAppend(&o, "\n/*\n * Commands and their attributes\n"
                      " * =============================\n");
  for (const auto& op : fam_.ops) {
    std::vector<std::string> how;
    how.push_back(op.options.notify() ? "multicast notification"
                  : op.options.dump() ? "dump"
                                      : "do");
    if (!op.options.notify())
      how.push_back(op.options.permission() == nl::ADMIN       ? "GENL_ADMIN_PERM"
                    : op.options.permission() == nl::UNS_ADMIN ? "GENL_UNS_ADMIN_PERM"
                                                                : "no core permission check");
    absl::StrAppend(&o, " *\n * ", CmdName(op), " (", absl::StrJoin(how, ", "),
                    ")\n");
    std::string doc = Doc(schema::LeadingComment(*op.value), "");
    absl::StrAppend(&o, absl::StrReplaceAll(doc, {{" * ", " *   "}}));
    if (op.request != nullptr) {
      absl::StrAppend(&o, " *   request:\n");
      Tree(*op.request, op.request_attrs, 2, true, &o);
    } else if (!op.options.notify()) {
      absl::StrAppend(&o, " *   request: no attributes\n");
    }
    if (op.reply != nullptr) {
      absl::StrAppend(&o, op.options.notify() ? " *   message:\n" : " *   reply:\n");
      // A reply of the request's own set carries its reply-only attributes.
      std::vector<AttrSpec> reply;
      for (const AttrSpec& a : Attrs(*op.reply))
        if (op.reply != op.request || a.reply_only) reply.push_back(a);
      Tree(*op.reply, reply, 2, false, &o);
    }
  }
  absl::StrAppend(&o, " */\n");

  // Commands.
  const EnumDescriptor* cmds = fam_.ops.empty() ? nullptr : fam_.ops[0].value->type();
  auto write_enum = [&](const EnumDescriptor& e, const std::string& cname,
                        bool with_max, const std::string& max_prefix) {
    absl::StrAppend(&o, "\n");
    std::string doc = Doc(schema::LeadingComment(e), "");
    if (!doc.empty()) absl::StrAppend(&o, "/*\n", doc, " */\n");
    absl::StrAppend(&o, "enum ", cname, " {\n");
    for (int i = 0; i < e.value_count(); i++) {
      const auto* v = e.value(i);
      std::string vd = Doc(schema::LeadingComment(*v), "\t");
      if (!vd.empty()) absl::StrAppend(&o, "\t/*\n", vd, "\t */\n");
      absl::StrAppend(&o, "\t", EnumValueName(*v), " = ", v->number(), ",\n");
    }
    if (with_max)
      absl::StrAppend(&o, "\n\t__", max_prefix, "_MAX,\n\t", max_prefix,
                      "_MAX = (__", max_prefix, "_MAX - 1)\n");
    absl::StrAppend(&o, "};\n");
  };
  if (cmds != nullptr)
    write_enum(*cmds, absl::StrCat(prefix_, "_cmd"), true,
               absl::StrCat(upper_, "_CMD"));
  for (const EnumDescriptor* e : fam_.enums) {
    const std::string cname = absl::StrCat(prefix_, "_", Snake(e->name()));
    write_enum(*e, cname, true, absl::AsciiStrToUpper(cname));
  }

  // Attribute sets.
  for (const Descriptor* m : fam_.sets) {
    absl::StrAppend(&o, "\n");
    std::string doc = Doc(schema::LeadingComment(*m), "");
    if (!doc.empty()) absl::StrAppend(&o, "/*\n", doc, " */\n");
    const std::string up = absl::StrCat(
        upper_, "_A_", absl::AsciiStrToUpper(schema::SetName(*m)));
    absl::StrAppend(&o, "enum ", SetEnumName(*m), " {\n\t", up, "_UNSPEC,\n");
    for (const AttrSpec& a : Attrs(*m)) {
      std::string fd = Doc(schema::LeadingComment(*a.field), "\t");
      if (!fd.empty()) absl::StrAppend(&o, "\t/*\n", fd, "\t */\n");
      absl::StrAppend(&o, "\t", AttrName(*m, *a.field), " = ", a.type, ",\n");
    }
    absl::StrAppend(&o, "\n\t__", up, "_MAX,\n\t", up, "_MAX = (__", up,
                    "_MAX - 1)\n};\n");
  }
  absl::StrAppend(&o, "\n/*\n * Most times a multi-attr may come in one message. Policies cannot count:\n"
                      " * the kernel's handlers check these.\n */\n");
  for (const Descriptor* m : fam_.sets)
    for (const AttrSpec& a : Attrs(*m))
      if (a.max_count)
        absl::StrAppend(&o, "#define ", AttrName(*m, *a.field), "_MAX_COUNT\t",
                        *a.max_count, "\n");
  absl::StrAppend(&o, "\n#endif /* ", guard, " */\n");
  return o;
}

std::string Writer::GenH() {
  const std::string guard = absl::StrCat("_", upper_, "_NL_GEN_H");
  std::string o = Banner("/* SPDX-License-Identifier: GPL-2.0 */\n");
  absl::StrAppend(&o, "#ifndef ", guard, "\n#define ", guard, "\n\n");
  absl::StrAppend(&o, "#include <net/genetlink.h>\n\n#include \"uapi/", prefix_,
                  ".h\"\n\n");
  if (!fam_.groups.empty()) {
    absl::StrAppend(&o, "enum ", prefix_, "_nlgrps {\n");
    for (const auto& g : fam_.groups)
      absl::StrAppend(&o, "\t", upper_, "_NLGRP_", g.value->name(), ",\n");
    absl::StrAppend(&o, "};\n\n");
  }
  absl::StrAppend(
      &o,
      "/*\n"
      " * GENL_MCAST_CAP_NET_ADMIN makes the core refuse to let a socket without\n"
      " * CAP_NET_ADMIN join a group. Kernels older than the flag (6.1.y before\n"
      " * Debian's backport of it) cannot enforce that: there ",
      upper_, "_NL_MCAST_CAP_ENFORCED\n"
      " * is 0, and the module must not multicast on a group the schema marks\n"
      " * cap_net_admin.\n"
      " */\n"
      "#ifdef GENL_MCAST_CAP_NET_ADMIN\n"
      "#define ", upper_, "_NL_MCAST_CAP_ENFORCED\t1\n"
      "#else\n"
      "#define ", upper_, "_NL_MCAST_CAP_ENFORCED\t0\n"
      "#endif\n\n");
  // Handlers parse nests with the same policies the core validated with.
  std::vector<const Descriptor*> policies;
  std::set<const Descriptor*> seen;
  std::function<void(const Descriptor&)> walk = [&](const Descriptor& m) {
    if (!seen.insert(&m).second) return;
    for (const AttrSpec& a : Attrs(m))
      if (a.nested != nullptr && !a.reply_only) walk(*a.nested);
    policies.push_back(&m);
  };
  for (const auto& op : fam_.ops)
    for (const AttrSpec& a : op.request_attrs)
      if (a.nested != nullptr) walk(*a.nested);
  absl::StrAppend(&o, "/* The names of enum values, as user space prints them. */\n");
  for (const EnumDescriptor* e : fam_.enums)
    absl::StrAppend(&o, "extern const char * const ", NamesName(*e), "[",
                    NamesSize(*e), "];\n");
  absl::StrAppend(&o, "\n/* Policies of the sets requests nest, as the ops validate them. */\n");
  for (const Descriptor* m : policies)
    absl::StrAppend(&o, "extern const struct nla_policy ", PolicyName(*m), "[",
                    SetMax(*m), " + 1];\n");
  absl::StrAppend(&o, "\n/* Each op's request policy: its own attributes and no others. */\n");
  for (const auto& op : fam_.ops)
    if (op.request != nullptr)
      absl::StrAppend(&o, "extern const struct nla_policy ", OpPolicyName(op),
                      "[", OpMaxAttr(op), " + 1];\n");
  absl::StrAppend(&o, "\n/* Handlers, written by hand. */\n");
  for (const auto& op : fam_.ops) {
    if (op.options.notify()) continue;
    if (op.options.dump())
      absl::StrAppend(&o, "int ", Handler(op),
                      "(struct sk_buff *skb, struct netlink_callback *cb);\n");
    else
      absl::StrAppend(&o, "int ", Handler(op),
                      "(struct sk_buff *skb, struct genl_info *info);\n");
  }
  absl::StrAppend(&o, "\nextern struct genl_family ", prefix_, "_nl_family;\n");
  absl::StrAppend(&o, "\n#endif /* ", guard, " */\n");
  return o;
}

absl::StatusOr<std::string> Writer::PolicyEntry(const Descriptor& m,
                                                const AttrSpec& a,
                                                std::string* ranges) {
  const char* t = schema::KernelTypeName(a.nla);
  auto fits_s16 = [](int64_t v) { return v >= -32768 && v <= 32767; };
  switch (a.nla) {
    case nl::NESTED:
      return absl::StrCat("NLA_POLICY_NESTED(", PolicyName(*a.nested), ")");
    case nl::NESTED_ARRAY:
      return absl::StrCat("NLA_POLICY_NESTED_ARRAY(", PolicyName(*a.nested), ")");
    case nl::MULTI_NESTED:
      // Each member is validated as its own nest; the handler counts them.
      return absl::StrCat("NLA_POLICY_NESTED(", PolicyName(*a.nested), ")");
    case nl::NUL_STRING:
      // The kernel's NLA_NUL_STRING checks the NUL and the longest length;
      // a shortest length (min_len) is left to the handler, which must say
      // so in its extack message.
      if (a.max_len) return absl::StrCat("{ .type = NLA_NUL_STRING, .len = ", *a.max_len, " }");
      return std::string("{ .type = NLA_NUL_STRING }");
    case nl::BINARY:
      if (a.min_len && a.max_len)
        return absl::StrCat("NLA_POLICY_RANGE(NLA_BINARY, ", *a.min_len, ", ",
                            *a.max_len, ")");
      if (a.min_len) return absl::StrCat("NLA_POLICY_MIN_LEN(", *a.min_len, ")");
      if (a.max_len) return absl::StrCat("NLA_POLICY_MAX_LEN(", *a.max_len, ")");
      return std::string("{ .type = NLA_BINARY }");
    case nl::FLAG:
      return std::string("{ .type = NLA_FLAG }");
    default:
      break;
  }
  // Integers. The short forms hold their bounds in s16; wider bounds need a
  // range structure beside the policy.
  if (!a.min && !a.max) return absl::StrCat("{ .type = ", t, " }");
  if ((!a.min || fits_s16(*a.min)) && (!a.max || fits_s16(*a.max))) {
    if (a.min && a.max)
      return absl::StrCat("NLA_POLICY_RANGE(", t, ", ", *a.min, ", ", *a.max, ")");
    if (a.min) return absl::StrCat("NLA_POLICY_MIN(", t, ", ", *a.min, ")");
    return absl::StrCat("NLA_POLICY_MAX(", t, ", ", *a.max, ")");
  }
  const bool is_signed = a.nla == nl::S32 || a.nla == nl::S64;
  const std::string rname = absl::StrCat(prefix_, "_", schema::SetName(m), "_",
                                         a.field->name(), "_range");
  const std::string lo = a.min ? absl::StrCat(*a.min)
                               : absl::StrCat(schema::TypeMin(a.nla));
  const std::string hi = a.max ? absl::StrCat(*a.max)
                               : absl::StrCat(schema::TypeMax(a.nla));
  absl::StrAppend(ranges, "static const struct netlink_range_validation",
                  is_signed ? "_signed" : "", " ", rname, " = {\n\t.min = ", lo,
                  is_signed ? "LL" : "ULL", ",\n\t.max = ", hi,
                  is_signed ? "LL" : "ULL", ",\n};\n\n");
  return absl::StrCat(is_signed ? "NLA_POLICY_FULL_RANGE_SIGNED(" : "NLA_POLICY_FULL_RANGE(",
                      t, ", &", rname, ")");
}

// The entries for `attrs` of set `m`, after the policies they nest (each
// written once, into `ranges` ahead of the policy being built).
absl::Status Writer::Entries(const Descriptor& m,
                             const std::vector<AttrSpec>& attrs,
                             std::set<const Descriptor*>* done,
                             std::string* ranges, std::string* body) {
  for (const AttrSpec& a : attrs)
    if (a.nested != nullptr) {
      absl::Status s = Policy(*a.nested, done, ranges);
      if (!s.ok()) return s;
    }
  for (const AttrSpec& a : attrs) {
    auto e = PolicyEntry(m, a, ranges);
    if (!e.ok()) return e.status();
    absl::StrAppend(body, "\t[", AttrName(m, *a.field), "] = ", *e, ",\n");
    if (a.nla == nl::NUL_STRING && a.min_len)
      absl::StrAppend(body, "\t/* ", AttrName(m, *a.field), ": at least ",
                      *a.min_len, *a.min_len == 1 ? " byte" : " bytes",
                      ", checked by the handler */\n");
  }
  return absl::OkStatus();
}

// Emits the policy of a nested set after the policies it nests, each once.
// PAD and reply-only attributes are left NLA_UNSPEC: strict parsing
// refuses them.
absl::Status Writer::Policy(const Descriptor& m,
                            std::set<const Descriptor*>* done,
                            std::string* out) {
  if (!done->insert(&m).second) return absl::OkStatus();
  std::vector<AttrSpec> attrs;
  for (const AttrSpec& a : Attrs(m))
    if (a.nla != nl::PAD && !a.reply_only) attrs.push_back(a);
  std::string body;
  absl::Status s = Entries(m, attrs, done, out, &body);
  if (!s.ok()) return s;
  absl::StrAppend(out, "const struct nla_policy ", PolicyName(m), "[",
                  SetMax(m), " + 1] = {\n", body, "};\n\n");
  return absl::OkStatus();
}

// Emits an op's request policy: its request_attrs, sized to the highest
// of them, so that strict validation refuses every other attribute type
// ("Unknown attribute type") before the handler runs.
absl::Status Writer::OpPolicy(const schema::Op& op,
                              std::set<const Descriptor*>* done,
                              std::string* out) {
  std::string body;
  absl::Status s = Entries(*op.request, op.request_attrs, done, out, &body);
  if (!s.ok()) return s;
  for (const Descriptor* m : *done)
    if (PolicyName(*m) == OpPolicyName(op))
      return absl::InvalidArgumentError(absl::StrCat(
          op.value->full_name(), ": its policy's name ", OpPolicyName(op),
          " is a nested set's too"));
  absl::StrAppend(out, "const struct nla_policy ", OpPolicyName(op), "[",
                  OpMaxAttr(op), " + 1] = {\n", body, "};\n\n");
  return absl::OkStatus();
}

// A value's name as user space prints it: without the prefix all the
// enum's values share (EVENT_, ORIGIN_), in lower case ("signal_sent"); the
// *_UNSPEC values have none. For the kernel's own messages and the helper's
// environment, so that no hand copy of the names can drift.
std::string Writer::NameTable(const EnumDescriptor& e) const {
  std::string common = e.value_count() ? e.value(0)->name() : "";
  for (int i = 1; i < e.value_count(); i++) {
    const std::string& n = e.value(i)->name();
    size_t k = 0;
    while (k < common.size() && k < n.size() && common[k] == n[k]) k++;
    common.resize(k);
  }
  common.resize(common.rfind('_') == std::string::npos ? 0 : common.rfind('_') + 1);
  std::string o = absl::StrCat("const char * const ", NamesName(e), "[",
                               NamesSize(e), "] = {\n");
  for (int i = 0; i < e.value_count(); i++) {
    const auto* v = e.value(i);
    if (absl::EndsWith(v->name(), "_UNSPEC")) continue;
    absl::StrAppend(&o, "\t[", EnumValueName(*v), "] = \"",
                    absl::AsciiStrToLower(v->name().substr(common.size())),
                    "\",\n");
  }
  absl::StrAppend(&o, "};\n\n");
  return o;
}

absl::StatusOr<std::string> Writer::GenC() {
  std::string o = Banner("// SPDX-License-Identifier: GPL-2.0\n");
  absl::StrAppend(&o, "#include <net/genetlink.h>\n\n#include \"", prefix_,
                  "-nl-gen.h\"\n\n");
  std::set<const Descriptor*> done;
  for (const auto& op : fam_.ops) {
    if (op.request == nullptr) continue;
    absl::Status s = OpPolicy(op, &done, &o);
    if (!s.ok()) return s;
  }
  for (const EnumDescriptor* e : fam_.enums) absl::StrAppend(&o, NameTable(*e));
  absl::StrAppend(
      &o,
      "/*\n"
      " * Every op is strictly validated (resv_start_op is 0): unknown attributes,\n"
      " * trailing data and reserved header fields are refused. An op without a\n"
      " * request set gets the core's reject-all policy.\n"
      " */\n"
      "static const struct genl_ops ", prefix_, "_nl_ops[] = {\n");
  for (const auto& op : fam_.ops) {
    if (op.options.notify()) continue;
    absl::StrAppend(&o, "\t{\n\t\t.cmd\t\t= ", CmdName(op), ",\n");
    absl::StrAppend(&o, op.options.dump() ? "\t\t.dumpit\t\t= " : "\t\t.doit\t\t= ",
                    Handler(op), ",\n");
    if (op.request != nullptr)
      absl::StrAppend(&o, "\t\t.policy\t\t= ", OpPolicyName(op),
                      ",\n\t\t.maxattr\t= ", OpMaxAttr(op), ",\n");
    if (op.options.permission() == nl::ADMIN)
      absl::StrAppend(&o, "\t\t.flags\t\t= GENL_ADMIN_PERM,\n");
    else if (op.options.permission() == nl::UNS_ADMIN)
      absl::StrAppend(&o, "\t\t.flags\t\t= GENL_UNS_ADMIN_PERM,\n");
    absl::StrAppend(&o, "\t},\n");
  }
  absl::StrAppend(&o, "};\n\n");
  if (!fam_.groups.empty()) {
    absl::StrAppend(&o, "static const struct genl_multicast_group ", prefix_,
                    "_nl_mcgrps[] = {\n");
    for (const auto& g : fam_.groups) {
      absl::StrAppend(&o, "\t[", upper_, "_NLGRP_", g.value->name(),
                      "] = {\n\t\t.name = ", upper_, "_MCGRP_", g.value->name(),
                      ",\n");
      if (g.options.cap_net_admin())
        absl::StrAppend(&o, "#ifdef GENL_MCAST_CAP_NET_ADMIN\n"
                            "\t\t.flags = GENL_MCAST_CAP_NET_ADMIN,\n#endif\n");
      absl::StrAppend(&o, "\t},\n");
    }
    absl::StrAppend(&o, "};\n\n");
  }
  absl::StrAppend(&o, "struct genl_family ", prefix_, "_nl_family __ro_after_init = {\n");
  absl::StrAppend(&o, "\t.name\t\t= ", upper_, "_FAMILY_NAME,\n");
  absl::StrAppend(&o, "\t.version\t= ", upper_, "_FAMILY_VERSION,\n");
  absl::StrAppend(&o, "\t.netnsok\t= ", fam_.options.netnsok() ? "true" : "false", ",\n");
  absl::StrAppend(&o, "\t.parallel_ops\t= true,\n");
  absl::StrAppend(&o, "\t.module\t\t= THIS_MODULE,\n");
  absl::StrAppend(&o, "\t.ops\t\t= ", prefix_, "_nl_ops,\n");
  absl::StrAppend(&o, "\t.n_ops\t\t= ARRAY_SIZE(", prefix_, "_nl_ops),\n");
  absl::StrAppend(&o, "\t.resv_start_op\t= 0,\n");
  if (!fam_.groups.empty()) {
    absl::StrAppend(&o, "\t.mcgrps\t\t= ", prefix_, "_nl_mcgrps,\n");
    absl::StrAppend(&o, "\t.n_mcgrps\t= ARRAY_SIZE(", prefix_, "_nl_mcgrps),\n");
  }
  absl::StrAppend(&o, "};\n");
  return o;
}

absl::StatusOr<Files> Writer::Run() {
  Files files;
  files[absl::StrCat("uapi/", prefix_, ".h")] = Uapi();
  files[absl::StrCat(prefix_, "-nl-gen.h")] = GenH();
  auto c = GenC();
  if (!c.ok()) return c.status();
  files[absl::StrCat(prefix_, "-nl-gen.c")] = *c;
  return files;
}

}  // namespace

absl::StatusOr<Files> GenerateKernel(const schema::Family& family) {
  return Writer(family).Run();
}

}  // namespace kuchan::gen
