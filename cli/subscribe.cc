// SPDX-License-Identifier: GPL-2.0
//
// `kuchanctl subscribe --signal SIG [--type TYPE]... -- COMMAND [ARG...]`:
// subscribes this process to signal SIG on events (CMD_SUBSCRIBE), then
// becomes COMMAND (execvp), which keeps the subscription. See docs/helper.md.
// Uses no protobuf: the `kuchanctl` program runs it itself.
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/signames.h"
#include "cli/subcommand.h"
#include "userspace/kuchan/event_types.h"
#include "userspace/kuchan/subscription.h"

namespace kuchan::cli {
namespace {

constexpr char kUsage[] =
    "usage: kuchanctl subscribe --signal SIG [--type TYPE]... -- COMMAND [ARG...]\n"
    "\n"
    "Subscribes this process to signal SIG for every event (or every event of\n"
    "the given types), then runs COMMAND in its place (exec, same PID), which\n"
    "receives the signals: si_code SI_ASYNCIO, with the event's sequence\n"
    "number in si_addr (the number the monitor group and the helper's\n"
    "KUCHAN_SEQ carry). The subscription lasts as long as COMMAND's process,\n"
    "or until it closes the descriptor named by $KUCHAN_SUBSCRIPTION_FD. It\n"
    "ends when the process changes credentials (a setuid or file-capability\n"
    "program, setuid(2)): COMMAND must not be one that gains privileges.\n"
    "\n"
    "Standard signals do not queue: use a real-time one (RTMIN, RTMIN+3) to\n"
    "get one signal per event. The default action of most signals ends the\n"
    "process: COMMAND should catch, block or ignore SIG before events come.\n"
    "\n"
    "Options:\n"
    "  --signal SIG   the signal: USR1, USR2, IO or a real-time one (RTMIN,\n"
    "                 RTMAX-2, ...); the module refuses every other\n"
    "  --type TYPE    only events of TYPE (repeatable): signal_sent,\n"
    "                 helper_changed, helper_ran, custom, helper_dropped, lost\n"
    "  -h, --help     show this help\n"
    "\n"
    "Examples:\n"
    "  kuchanctl subscribe --signal USR1 --type custom -- \\\n"
    "      sh -c 'trap \"echo event\" USR1; while :; do sleep 1; done'\n"
    "  kuchanctl subscribe --signal RTMIN -- ./my-daemon\n";

int RunSubscribe(int argc, char** argv, std::ostream& out, std::ostream& err) {
  int sig = 0;
  uint64_t mask = 0;
  int i = 1;
  for (; i < argc; i++) {
    const std::string a = argv[i];
    if (IsHelp(a)) {
      out << kUsage;
      return kExitOk;
    }
    if (a == "--") {
      i++;
      break;
    }
    std::string value;
    if (a == "--signal" || a == "--type") {
      if (i + 1 == argc)
        return UsageError(err, "subscribe", absl::StrCat(a, " needs a value"));
      value = argv[++i];
    } else if (a.rfind("--signal=", 0) == 0 || a.rfind("--type=", 0) == 0) {
      value = a.substr(a.find('=') + 1);
    } else {
      return UsageError(err, "subscribe",
                        absl::StrFormat("unexpected `%s' (the command comes "
                                        "after --)", a));
    }
    if (a.rfind("--signal", 0) == 0) {
      absl::StatusOr<int> s = ParseSignal(value);
      if (!s.ok()) return UsageError(err, "subscribe", s.status().message());
      if (*s == 0)
        return UsageError(err, "subscribe", "signal 0 sends nothing");
      sig = *s;
    } else {
      absl::StatusOr<msg::EventType> type = ParseEventType(value);
      if (!type.ok()) return UsageError(err, "subscribe", type.status().message());
      mask |= uint64_t{1} << *type;
    }
  }
  if (sig == 0) return UsageError(err, "subscribe", "missing --signal SIG");
  if (i == argc) return UsageError(err, "subscribe", "missing -- COMMAND");

  absl::StatusOr<int> fd = SubscribeSelf(sig, mask);
  if (!fd.ok()) return Failure(err, fd.status());
  setenv("KUCHAN_SUBSCRIPTION_FD", absl::StrCat(*fd).c_str(), 1);
  out.flush();
  err.flush();
  execvp(argv[i], argv + i);
  const int e = errno;
  err << absl::StrFormat("kuchanctl subscribe: cannot run `%s': %s\n", argv[i],
                         strerror(e));
  close(*fd);
  return e == ENOENT ? 127 : 126;
}

}  // namespace

const Subcommand kSubscribe = {
    "subscribe",
    "run a command that is signalled on events",
    kUsage,
    RunSubscribe,
};

}  // namespace kuchan::cli
