// SPDX-License-Identifier: GPL-2.0
#include "cli/info.h"

#include <linux/genetlink.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "userspace/kuchan/json.h"
#include "cli/subcommand.h"
#include "userspace/kuchan/connection.h"

namespace kuchan::cli {
namespace {

constexpr char kUsage[] =
    "usage: kuchanctl info [--json]\n"
    "\n"
    "Shows the kuchan generic netlink family as the running kernel's\n"
    "controller reports it: its id, protocol version, header size, highest\n"
    "attribute type, every command (number, name, flags) and the multicast\n"
    "groups. Flags: do and dump (the command can be run so), haspol (the\n"
    "kernel validates it against a policy), admin (needs CAP_NET_ADMIN),\n"
    "uns_admin (needs CAP_NET_ADMIN in the network namespace's user\n"
    "namespace).\n"
    "\n"
    "Options:\n"
    "  --json      print one JSON object instead of lines\n"
    "  -h, --help  show this help\n"
    "\n"
    "Examples:\n"
    "  kuchanctl info\n"
    "  kuchanctl info --json\n";

struct FlagWord {
  uint32_t bit;
  const char* word;
};
constexpr FlagWord kFlagWords[] = {
    {GENL_CMD_CAP_DO, "do"},       {GENL_CMD_CAP_DUMP, "dump"},
    {GENL_CMD_CAP_HASPOL, "haspol"}, {GENL_ADMIN_PERM, "admin"},
    {GENL_UNS_ADMIN_PERM, "uns_admin"},
};

std::vector<const char*> Words(uint32_t flags) {
  std::vector<const char*> words;
  for (const FlagWord& f : kFlagWords) {
    if (flags & f.bit) words.push_back(f.word);
  }
  return words;
}

const std::string& OpName(const FamilyOp& op) {
  static const std::string kUnknown = "unknown";
  return op.name.empty() ? kUnknown : op.name;
}

int RunInfo(int argc, char** argv, std::ostream& out, std::ostream& err) {
  bool json = false;
  if (int rc = ParseJsonOnly(argc, argv, "info", kUsage, out, err, &json);
      rc >= 0) {
    return rc;
  }

  absl::StatusOr<Connection> conn = Connection::Open();
  if (!conn.ok()) return Failure(err, conn.status());
  absl::StatusOr<FamilyInfo> info = conn->Info();
  if (!info.ok()) return Failure(err, info.status());
  out << (json ? FormatInfoJson(*info) : FormatInfoText(*info));
  return kExitOk;
}

}  // namespace

const Subcommand kInfo = {
    "info",
    "show the kuchan family as the kernel reports it",
    kUsage,
    RunInfo,
};

std::string OpFlagWords(uint32_t flags) {
  return absl::StrJoin(Words(flags), " ");
}

std::string FormatInfoText(const FamilyInfo& info) {
  std::string s = absl::StrFormat(
      "family: %s\nid: %d\nversion: %d\nhdrsize: %d\nmaxattr: %d\n",
      info.name, info.id, info.version, info.hdrsize, info.maxattr);
  for (const FamilyOp& op : info.ops) {
    absl::StrAppendFormat(&s, "op: %d %s", op.cmd, OpName(op));
    for (const char* w : Words(op.flags)) absl::StrAppend(&s, " ", w);
    s += '\n';
  }
  for (const FamilyGroup& g : info.groups) {
    absl::StrAppendFormat(&s, "group: %d %s\n", g.id, g.name);
  }
  return s;
}

std::string FormatInfoJson(const FamilyInfo& info) {
  std::string s = absl::StrFormat(
      "{\"family\":%s,\"id\":%d,\"version\":%d,\"hdrsize\":%d,"
      "\"maxattr\":%d,\"ops\":[",
      JsonString(info.name), info.id, info.version, info.hdrsize,
      info.maxattr);
  const char* sep = "";
  for (const FamilyOp& op : info.ops) {
    std::vector<std::string> words;
    for (const char* w : Words(op.flags)) words.push_back(JsonString(w));
    absl::StrAppendFormat(&s, "%s{\"op\":%d,\"name\":%s,\"flags\":[%s]}", sep,
                          op.cmd, JsonString(OpName(op)),
                          absl::StrJoin(words, ","));
    sep = ",";
  }
  s += "],\"groups\":[";
  sep = "";
  for (const FamilyGroup& g : info.groups) {
    absl::StrAppendFormat(&s, "%s{\"id\":%d,\"name\":%s}", sep, g.id,
                          JsonString(g.name));
    sep = ",";
  }
  s += "]}\n";
  return s;
}

}  // namespace kuchan::cli
