// SPDX-License-Identifier: GPL-2.0
#include "gen/ops_gen.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gen/cpp_sets.h"
#include "gen/schema.h"

namespace kuchan::gen {
namespace {

// CMD_GET_STATS -> "GetStats".
std::string FunctionName(const schema::Op& op) {
  std::string out;
  for (absl::string_view word : absl::StrSplit(schema::ShortName(*op.value), '_')) {
    if (word.empty()) continue;
    std::string w(word);
    w[0] = absl::ascii_toupper(w[0]);
    absl::StrAppend(&out, w);
  }
  return out;
}

// The parameters after the connection: the request, then the reply.
std::string Params(const schema::Op& op, bool defaults) {
  std::string out;
  if (op.request != nullptr)
    absl::StrAppend(&out, ", const ", MsgTypeName(op.request), "& request");
  if (op.reply != nullptr) {
    absl::StrAppend(&out, ", ", MsgTypeName(op.reply), "* reply",
                    defaults ? " = nullptr" : "");
  }
  return out;
}

std::string Declaration(const schema::Family& fam, const schema::Op& op) {
  std::string doc = CommentLines(schema::LeadingComment(*op.value), "");
  absl::StrAppend(&doc, "// ", op.value->name(), " (", op.value->number(), "): ");
  if (op.request != nullptr)
    absl::StrAppend(&doc, "sends `request`");
  else
    absl::StrAppend(&doc, "sends no attributes");
  if (op.reply != nullptr) {
    absl::StrAppend(&doc, "; *reply (when not null) is replaced by the reply,\n"
                          "// or left empty when none came or it broke the "
                          "schema (DataLoss)");
    if (op.request == op.reply && op.request != nullptr)
      absl::StrAppend(&doc, ";\n// `reply` may be `&request`");
  }
  absl::StrAppend(&doc, ".\n");
  (void)fam;
  return absl::StrCat(doc, "absl::Status ", FunctionName(op),
                      "(::kuchan::Connection& conn", Params(op, true), ");\n");
}

std::string Definition(const schema::Family& fam, const schema::Op& op) {
  const std::string context =
      absl::StrCat(fam.options.name(), " ", schema::ShortName(*op.value));
  std::string out = absl::StrCat("absl::Status ", FunctionName(op),
                                 "(::kuchan::Connection& conn", Params(op, false),
                                 ") {\n");
  const bool reply = op.reply != nullptr;
  // With a reply set, the reply is decoded into *reply as it comes
  // (Decode() reuses what *reply holds: a caller that keeps it allocates
  // nothing), and emptied afterwards when none came. Not before sending:
  // SIGNAL's request and reply are of one set, and a caller may pass the
  // same object for both.
  if (reply) absl::StrAppend(&out, "  bool replied = false;\n");
  absl::StrAppend(&out, reply ? "  const absl::Status st = conn.Do(\n"
                              : "  return conn.Do(\n",
                  "      ", op.value->number(), ", \"", context, "\",\n");
  if (op.request != nullptr) {
    absl::StrAppend(&out, "      [&](std::string* out) { return Encode(request, out); },\n",
                    "      &DescribeAttr<", MsgTypeName(op.request), ">,\n");
  } else {
    absl::StrAppend(&out,
                    "      [](std::string*) { return absl::OkStatus(); }, nullptr,\n");
  }
  if (reply) {
    absl::StrAppend(
        &out, "      [&](absl::Span<const uint8_t> attrs) -> absl::Status {\n",
        "        if (reply == nullptr) return absl::OkStatus();\n",
        "        replied = true;\n",
        "        return ::kuchan::BadReply(\"", context, "\", Decode(attrs, reply));\n",
        "      });\n",
        "  if (reply != nullptr && !replied) *reply = ", MsgTypeName(op.reply),
        "();\n  return st;\n");
  } else {
    // A reply the schema does not announce is read and skipped.
    absl::StrAppend(&out,
                    "      [](absl::Span<const uint8_t>) { return absl::OkStatus(); });\n");
  }
  absl::StrAppend(&out, "}\n");
  return out;
}

}  // namespace

absl::StatusOr<Files> GenerateCppOps(const google::protobuf::FileDescriptor& file,
                                     const CppOptions& options) {
  std::vector<schema::Op> ops;
  schema::Family fam;
  if (file.options().HasExtension(nl::family)) {
    absl::StatusOr<schema::Family> read = schema::ReadFamily(file);
    if (!read.ok()) return read.status();
    fam = std::move(*read);
    for (const schema::Op& op : fam.ops) {
      if (op.options.notify()) continue;
      if (op.options.dump()) {
        return absl::UnimplementedError(absl::StrCat(
            op.value->full_name(), ": a dump op; the op calls send \"do\" "
                                   "requests only"));
      }
      ops.push_back(op);
    }
  }
  const std::string base = Base(file);
  const std::string h_path = absl::StrCat(options.prefix, base, ".ops.h");
  const std::string ns = MsgNamespace(file);
  const std::string banner = Banner(file);

  std::string h = absl::StrCat(
      banner,
      "//\n// The call of every op of the family (gen/ops_gen.h): the typed "
      "request\n// (", base, ".msg.h) through Connection::Do(), the reply "
      "decoded.\n#ifndef ", Guard(h_path), "\n#define ", Guard(h_path), "\n\n");
  std::string cc = absl::StrCat(banner, "#include \"", h_path, "\"\n\n");
  if (!ops.empty()) {
    absl::StrAppend(&h, "#include \"absl/status/status.h\"\n",
                    "#include \"userspace/kuchan/connection.h\"\n", "#include \"",
                    options.prefix, base, ".msg.h\"\n\n");
    absl::StrAppend(&cc, "#include <cstdint>\n#include <string>\n\n",
                    "#include \"absl/types/span.h\"\n\n");
  }
  absl::StrAppend(&h, "namespace ", ns, " {\n");
  absl::StrAppend(&cc, "namespace ", ns, " {\n");
  for (const schema::Op& op : ops) {
    absl::StrAppend(&h, "\n", Declaration(fam, op));
    absl::StrAppend(&cc, "\n", Definition(fam, op));
  }
  absl::StrAppend(&h, "\n}  // namespace ", ns, "\n\n#endif  // ", Guard(h_path),
                  "\n");
  absl::StrAppend(&cc, "\n}  // namespace ", ns, "\n");

  Files files;
  files[absl::StrCat(base, ".ops.h")] = h;
  files[absl::StrCat(base, ".ops.cc")] = cc;
  return files;
}

}  // namespace kuchan::gen
