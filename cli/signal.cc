// SPDX-License-Identifier: GPL-2.0
//
// kuchanctl signal: kill(1) through the kernel module, with kill(2)'s rights.
// Uses no protobuf (Connection, msg::SignalRequest): the `kuchanctl`
// executable runs this command itself and links no protobuf at all
// (userspace/kuchan/connection.h says why).
#include <string.h>

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "cli/signames.h"
#include "cli/subcommand.h"
#include "kernel/uapi/kuchan.h"
#include "userspace/kuchan/connection.h"
#include "userspace/kuchan/extack.h"

namespace kuchan::cli {
namespace {

constexpr char kUsage[] =
    "usage: kuchanctl signal [--value N] [--started-at TICKS] PID [PID...] SIG\n"
    "       kuchanctl signal -l\n"
    "\n"
    "Sends signal SIG to each PID through the kuchan module, exactly as\n"
    "kill(2) would from this process: the same permission rules apply, and\n"
    "the receiver sees SI_USER with our PID and UID. PIDs are numbered in\n"
    "this process's PID namespace; process groups (0, negative PIDs) are not\n"
    "supported. SIG is a number or a name, case-insensitive, with or without\n"
    "SIG: TERM, SIGTERM, 15, RTMIN+3, RTMAX-1. Signal 0 checks that each\n"
    "process exists and may be signalled, and sends nothing.\n"
    "\n"
    "Options:\n"
    "  --value N           send like sigqueue(3): SI_QUEUE, si_value.sival_int\n"
    "                      = N (a 32-bit integer). Sent by kuchanctl itself\n"
    "                      (pidfd_send_signal(2)), not by the module, so that\n"
    "                      every check of the kernel applies, and no event is\n"
    "                      raised.\n"
    "  --started-at TICKS  refuse (ESRCH) when PID now names a process that did\n"
    "                      not start at TICKS, field 22 of /proc/PID/stat: a\n"
    "                      guard against PID reuse. One PID only.\n"
    "  -l, --list          list signal numbers and names\n"
    "  -h, --help          show this help\n"
    "\n"
    "Prints one line per PID that could not be signalled, and exits 1 if\n"
    "any could not (as kill(1) does), 2 on a usage error.\n"
    "\n"
    "Examples:\n"
    "  kuchanctl signal 1234 TERM\n"
    "  kuchanctl signal 1234 1235 1236 SIGUSR1\n"
    "  kuchanctl signal --value 42 1234 RTMIN+3\n"
    "  kuchanctl signal --started-at \"$(cut -d' ' -f22 /proc/1234/stat)\" 1234 HUP\n"
    "  kuchanctl signal 1234 0 && echo alive\n";

int RunSignal(int argc, char** argv, std::ostream& out, std::ostream& err) {
  msg::SignalRequest req;
  std::vector<absl::string_view> words;
  bool have_start = false;
  uint64_t start = 0;
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (IsHelp(arg)) {
      out << kUsage;
      return kExitOk;
    }
    if (arg == "-l" || arg == "--list") {
      out << SignalList();
      return kExitOk;
    }
    if (arg == "--value" || arg == "--started-at") {
      if (i + 1 == argc)
        return UsageError(err, "signal",
                          absl::StrFormat("option `%s' needs a value", arg));
      const absl::string_view v = argv[++i];
      int32_t value;
      if (arg == "--value") {
        if (!absl::SimpleAtoi(v, &value))
          return UsageError(err, "signal",
                            absl::StrFormat("invalid value `%s' (a 32-bit "
                                            "integer)", v));
        req.value = value;
      } else {
        if (!absl::SimpleAtoi(v, &start))
          return UsageError(err, "signal",
                            absl::StrFormat("invalid start time `%s'", v));
        have_start = true;
      }
      continue;
    }
    if (arg == "--") {
      for (++i; i < argc; ++i) words.push_back(argv[i]);
      break;
    }
    // Negative numbers are PIDs kill(1) would take as groups: refuse them
    // as PIDs below rather than as unknown options.
    int32_t n;
    if (arg.size() > 1 && arg[0] == '-' && !absl::SimpleAtoi(arg, &n))
      return UsageError(err, "signal",
                        absl::StrFormat("unknown option `%s'", arg));
    words.push_back(arg);
  }
  if (words.size() < 2)
    return UsageError(err, "signal", "needs at least one PID and a signal");

  absl::StatusOr<int> sig = ParseSignal(words.back());
  if (!sig.ok()) return UsageError(err, "signal", sig.status().message());
  req.signal = static_cast<uint32_t>(*sig);
  words.pop_back();
  if (words.size() > KUCHAN_A_SIGNAL_TARGETS_MAX_COUNT)
    return UsageError(err, "signal",
                      absl::StrFormat("at most %d PIDs at once",
                                      KUCHAN_A_SIGNAL_TARGETS_MAX_COUNT));
  if (have_start && words.size() != 1)
    return UsageError(err, "signal", "--started-at takes exactly one PID");
  for (absl::string_view w : words) {
    int32_t pid;
    if (!absl::SimpleAtoi(w, &pid))
      return UsageError(err, "signal", absl::StrFormat("invalid PID `%s'", w));
    if (pid <= 0)
      return UsageError(err, "signal",
                        absl::StrFormat("invalid PID `%s': process groups "
                                        "and -1 are not supported", w));
    msg::SignalTarget& t = req.targets.emplace_back();
    t.pid = pid;
    if (have_start) t.start_time = start;
  }

  absl::StatusOr<Connection> conn = Connection::Open();
  if (!conn.ok()) return Failure(err, conn.status());
  std::vector<msg::SignalResult> results;
  const absl::Status status = conn->Signal(req, &results);
  if (status.ok()) return kExitOk;
  if (results.empty()) return Failure(err, status);

  // kill(1)'s format, one line per target that failed; the first failure
  // also gets the kernel's reason, which says e.g. whether the socket's
  // opener or the caller was refused.
  const std::string reason = StatusKernelMessage(status);
  bool first = true;
  for (const msg::SignalResult& r : results) {
    const uint32_t error = r.error.value_or(0);
    if (error == 0) continue;
    err << absl::StrFormat("kuchanctl: (%d) - %s", r.pid.value_or(0),
                           strerror(static_cast<int>(error)));
    if (first && !reason.empty()) err << " (" << reason << ")";
    err << "\n";
    first = false;
  }
  return kExitFailure;
}

}  // namespace

const Subcommand kSignal = {
    "signal",
    "send a signal to processes, with kill(2)'s rights",
    kUsage,
    RunSignal,
};

}  // namespace kuchan::cli
