// SPDX-License-Identifier: GPL-2.0
//
// `kuchanctl helper set|get|clear`: the usermode helper the kernel runs on
// events (CMD_HELPER_SET, CMD_HELPER_GET, CMD_HELPER_CLEAR). See
// docs/helper.md. Uses no protobuf: the `kuchanctl` program runs it itself
// (connection.h says why).
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "cli/subcommand.h"
#include "userspace/kuchan/connection.h"
#include "userspace/kuchan/event_types.h"
#include "userspace/kuchan/kuchan.ops.h"

namespace kuchan::cli {
namespace {

constexpr char kUsage[] =
    "usage: kuchanctl helper set [--type TYPE]... PATH [ARG...]\n"
    "       kuchanctl helper get\n"
    "       kuchanctl helper clear\n"
    "\n"
    "The kernel runs the helper, as root in the initial namespaces, for each\n"
    "event: argv is PATH and the ARGs exactly as given (no shell splits\n"
    "them), the environment holds only HOME=/, a fixed PATH, and the event\n"
    "as KUCHAN_EVENT, KUCHAN_SEQ, KUCHAN_TIME and KUCHAN_* fields (see\n"
    "docs/helper.md). At most 4 run at once; a run is reported on the\n"
    "monitor group (kuchanctl monitor) as helper_ran.\n"
    "\n"
    "set and clear need CAP_SYS_ADMIN and the initial PID and network\n"
    "namespaces; get needs CAP_NET_ADMIN.\n"
    "\n"
    "  PATH         absolute, at most 255 bytes, no `..' component\n"
    "  ARG          at most 16, each at most 255 bytes\n"
    "\n"
    "Options:\n"
    "  --type TYPE  run only for events of TYPE (repeatable): signal_sent,\n"
    "               helper_changed, custom; default: all\n"
    "  -h, --help   show this help\n"
    "\n"
    "Examples:\n"
    "  kuchanctl helper set /usr/local/sbin/on-kuchan-event\n"
    "  kuchanctl helper set --type custom /usr/local/bin/notify \"two words\"\n"
    "  kuchanctl helper get\n"
    "  kuchanctl helper clear\n";

int Set(const std::vector<std::string>& args, std::ostream& err) {
  msg::HelperConfig config;
  uint64_t mask = 0;
  size_t i = 0;
  for (; i < args.size(); i++) {
    const std::string& a = args[i];
    if (a == "--") {
      i++;
      break;
    }
    if (a != "--type" && a.rfind("--type=", 0) != 0) break;
    std::string name;
    if (a == "--type") {
      if (++i == args.size())
        return UsageError(err, "helper", "--type needs an event type");
      name = args[i];
    } else {
      name = a.substr(7);
    }
    absl::StatusOr<msg::EventType> type = ParseEventType(name);
    if (!type.ok()) return UsageError(err, "helper", type.status().message());
    mask |= uint64_t{1} << *type;
  }
  if (i == args.size()) return UsageError(err, "helper", "missing helper PATH");
  if (args[i].size() > 1 && args[i][0] == '-')
    return UsageError(err, "helper",
                      absl::StrFormat("unknown option `%s'", args[i]));
  config.path = args[i];
  for (i++; i < args.size(); i++) config.args.push_back({args[i]});
  if (mask) config.event_mask = mask;

  absl::StatusOr<Connection> conn = Connection::Open();
  if (!conn.ok()) return Failure(err, conn.status());
  if (absl::Status st = msg::HelperSet(*conn, config); !st.ok())
    return Failure(err, st);
  return kExitOk;
}

int Get(std::ostream& out, std::ostream& err) {
  absl::StatusOr<Connection> conn = Connection::Open();
  if (!conn.ok()) return Failure(err, conn.status());
  msg::HelperConfig config;
  if (absl::Status st = msg::HelperGet(*conn, &config); !st.ok())
    return Failure(err, st);
  if (!config.path) {
    out << "no helper set\n";
    return kExitOk;
  }
  out << "path: " << *config.path << "\n";
  for (const msg::HelperArg& arg : config.args)
    out << "arg: " << arg.value.value_or("") << "\n";
  out << "types: " << EventMaskNames(config.event_mask.value_or(0)) << "\n";
  if (config.static_path)
    out << "static_path: " << *config.static_path
        << " (CONFIG_STATIC_USERMODEHELPER: the kernel runs this instead)\n";
  return kExitOk;
}

int Clear(std::ostream& err) {
  absl::StatusOr<Connection> conn = Connection::Open();
  if (!conn.ok()) return Failure(err, conn.status());
  if (absl::Status st = msg::HelperClear(*conn); !st.ok()) return Failure(err, st);
  return kExitOk;
}

int RunHelper(int argc, char** argv, std::ostream& out, std::ostream& err) {
  if (argc < 2) return UsageError(err, "helper", "missing set, get or clear");
  const std::string verb = argv[1];
  if (IsHelp(verb)) {
    out << kUsage;
    return kExitOk;
  }
  std::vector<std::string> args(argv + 2, argv + argc);
  for (const std::string& a : args) {
    if (a == "--") break;
    if (IsHelp(a)) {
      out << kUsage;
      return kExitOk;
    }
  }
  if (verb == "set") return Set(args, err);
  if (!args.empty())
    return UsageError(err, "helper",
                      absl::StrFormat("unexpected argument `%s'", args[0]));
  if (verb == "get") return Get(out, err);
  if (verb == "clear") return Clear(err);
  return UsageError(err, "helper", absl::StrFormat(
      "unknown action `%s' (set, get or clear)", verb));
}

}  // namespace

const Subcommand kHelper = {
    "helper",
    "set, show or clear the helper the kernel runs on events",
    kUsage,
    RunHelper,
};

}  // namespace kuchan::cli
