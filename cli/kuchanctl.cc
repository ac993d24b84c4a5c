// SPDX-License-Identifier: GPL-2.0
//
// The subcommand table and the few options that come before a subcommand.
//
// Arguments are parsed by hand rather than with absl::flags: absl's flags
// are process-wide globals parsed once, while kuchanctl has per-subcommand
// options and its tests call Run() many times in one process. Each
// subcommand's handful of options is a short loop.
#include "cli/kuchanctl.h"

#include <cstring>

#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "userspace/kuchan/schema_constants.h"

#ifndef KUCHAN_VERSION
#define KUCHAN_VERSION "unknown"
#endif

namespace kuchan::cli {
namespace {

// Every subcommand; `kuchanctl help` lists them in this order.
constexpr const Subcommand* kSubcommands[] = {
    &kInfo,
    &kMonitor,
    &kEmit,
    &kStats,
    &kSignal,
    &kHelper,
    &kSubscribe,
};

constexpr char kUsageHead[] =
    "usage: kuchanctl <command> [<options>]\n"
    "\n"
    "Talks to the kuchan kernel module over generic netlink.\n"
    "\n"
    "Commands:\n";

constexpr char kUsageTail[] =
    "\n"
    "Options:\n"
    "  -h, --help     show this help; `kuchanctl <command> --help' shows a\n"
    "                 command's own\n"
    "  --version      show kuchanctl's version and protocol version\n"
    "\n"
    "Examples:\n"
    "  kuchanctl info\n"
    "  kuchanctl help info\n"
    "\n"
    "Exit status: 0 on success, 1 when the command failed, 2 for a bad\n"
    "command line.\n";

void PrintUsage(std::ostream& os) {
  os << kUsageHead;
  for (const Subcommand* c : kSubcommands) {
    os << absl::StreamFormat("  %-12s %s\n", c->name, c->summary);
  }
  os << kUsageTail;
}

const Subcommand* Find(absl::string_view name) {
  for (const Subcommand* c : kSubcommands) {
    if (name == c->name) return c;
  }
  return nullptr;
}

// `kuchanctl help [COMMAND]`.
int Help(int argc, char** argv, std::ostream& out, std::ostream& err) {
  if (argc < 2) {
    PrintUsage(out);
    return kExitOk;
  }
  if (argc > 2) return UsageError(err, "help", absl::StrFormat(
                                                   "unexpected argument `%s'",
                                                   argv[2]));
  const Subcommand* c = Find(argv[1]);
  if (c == nullptr) {
    return UsageError(err, "",
                      absl::StrFormat("unknown command `%s'", argv[1]));
  }
  out << c->usage;
  return kExitOk;
}

}  // namespace

absl::Span<const Subcommand* const> Subcommands() { return kSubcommands; }

int Run(int argc, char** argv, std::ostream& out, std::ostream& err) {
  if (argc < 2) {
    PrintUsage(err);
    return kExitUsage;
  }
  const absl::string_view first = argv[1];
  if (IsHelp(first)) {
    PrintUsage(out);
    return kExitOk;
  }
  if (first == "--version") {
    out << "kuchanctl " << KUCHAN_VERSION << " (protocol version "
        << SchemaVersion() << ")\n";
    return kExitOk;
  }
  if (first == "help") return Help(argc - 1, argv + 1, out, err);
  if (!first.empty() && first[0] == '-') {
    return UsageError(err, "", absl::StrFormat("unknown option `%s'", first));
  }
  const Subcommand* c = Find(first);
  if (c == nullptr) {
    return UsageError(err, "", absl::StrFormat("unknown command `%s'", first));
  }
  return c->run(argc - 1, argv + 1, out, err);
}

}  // namespace kuchan::cli
