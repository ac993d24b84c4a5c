// SPDX-License-Identifier: GPL-2.0
//
// `kuchanctl emit CODE [KEY=VALUE ...]`: raise a custom event (CMD_EMIT).
// Uses no protobuf: the `kuchanctl` program runs it itself.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "cli/subcommand.h"
#include "kernel/uapi/kuchan.h"
#include "userspace/kuchan/connection.h"
#include "userspace/kuchan/kuchan.ops.h"

namespace kuchan::cli {
namespace {

constexpr char kUsage[] =
    "usage: kuchanctl emit CODE [KEY=VALUE ...]\n"
    "\n"
    "Raises a custom event: every subscriber of the monitor group (kuchanctl\n"
    "monitor, daemons) receives it with this process as its actor. Needs\n"
    "CAP_NET_ADMIN (run as root).\n"
    "\n"
    "  CODE        a 32-bit number, decimal or 0x-hexadecimal, yours to define\n"
    "  KEY=VALUE   at most 8 pairs; keys 1-31 bytes, values at most 127\n"
    "\n"
    "Options:\n"
    "  -h, --help  show this help\n"
    "\n"
    "Examples:\n"
    "  kuchanctl emit 42\n"
    "  kuchanctl emit 0x100 backup=done files=1200\n";

constexpr size_t kMaxPairs = KUCHAN_A_CUSTOM_DATA_MAX_COUNT, kMaxKey = 31,
                 kMaxValue = 127;

int RunEmit(int argc, char** argv, std::ostream& out, std::ostream& err) {
  std::vector<absl::string_view> args;
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (IsHelp(arg)) {
      out << kUsage;
      return kExitOk;
    }
    if (arg == "--") {
      for (++i; i < argc; ++i) args.push_back(argv[i]);
      break;
    }
    if (arg.size() > 1 && arg[0] == '-' && args.empty()) {
      return UsageError(err, "emit", absl::StrFormat("unknown option `%s'", arg));
    }
    args.push_back(arg);
  }
  if (args.empty()) return UsageError(err, "emit", "missing event code");
  uint32_t code = 0;
  const absl::string_view c = args[0];
  const bool ok = (c.size() > 2 && (c.substr(0, 2) == "0x" || c.substr(0, 2) == "0X"))
                      ? absl::SimpleHexAtoi(c.substr(2), &code)
                      : absl::SimpleAtoi(c, &code);
  if (!ok) {
    return UsageError(err, "emit",
                      absl::StrFormat("invalid event code `%s' (a number from "
                                      "0 to 4294967295)", c));
  }
  msg::CustomEvent event;
  event.code = code;
  for (size_t i = 1; i < args.size(); ++i) {
    const absl::string_view a = args[i];
    const size_t eq = a.find('=');
    if (eq == a.npos || eq == 0) {
      return UsageError(err, "emit",
                        absl::StrFormat("invalid pair `%s' (KEY=VALUE)", a));
    }
    if (eq > kMaxKey) {
      return UsageError(err, "emit", absl::StrFormat(
          "key `%s' is longer than %d bytes", a.substr(0, eq), kMaxKey));
    }
    if (a.size() - eq - 1 > kMaxValue) {
      return UsageError(err, "emit", absl::StrFormat(
          "value of `%s' is longer than %d bytes", a.substr(0, eq), kMaxValue));
    }
    event.data.push_back(
        {std::string(a.substr(0, eq)), std::string(a.substr(eq + 1))});
  }
  if (event.data.size() > kMaxPairs) {
    return UsageError(err, "emit", absl::StrFormat(
        "%d key/value pairs, at most %d", event.data.size(), kMaxPairs));
  }
  absl::StatusOr<Connection> conn = Connection::Open();
  if (!conn.ok()) return Failure(err, conn.status());
  if (absl::Status st = msg::Emit(*conn, event); !st.ok()) {
    if (absl::IsPermissionDenied(st)) {
      return Failure(err, absl::PermissionDeniedError(absl::StrCat(
          st.message(), " (raising events needs CAP_NET_ADMIN)")));
    }
    return Failure(err, st);
  }
  return kExitOk;
}

}  // namespace

const Subcommand kEmit = {
    "emit",
    "raise a custom event",
    kUsage,
    RunEmit,
};

}  // namespace kuchan::cli
