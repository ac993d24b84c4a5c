// SPDX-License-Identifier: GPL-2.0
//
// What every kuchanctl subcommand provides, and the exit codes they share.
// A subcommand lives in its own file (cli/info.cc): its options, its set-up,
// its run. To add one, define its Subcommand there, declare it below and
// list it in kuchanctl.cc's table.
#ifndef KUCHAN_CLI_SUBCOMMAND_H_
#define KUCHAN_CLI_SUBCOMMAND_H_

#include <ostream>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace kuchan::cli {

// Exit codes, as wg(8) and most tools: 2 is reserved for usage errors so
// scripts can tell "you called me wrong" from "it did not work".
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct Subcommand {
  const char* name;
  // One line for `kuchanctl help`.
  const char* summary;
  // The text of `kuchanctl NAME --help`: usage, description, examples.
  const char* usage;
  // argv[0] is the subcommand's name. Returns the exit code.
  int (*run)(int argc, char** argv, std::ostream& out, std::ostream& err);
};

// "kuchanctl[ CMD]: <what>" and a pointer to the help on `err`; kExitUsage.
int UsageError(std::ostream& err, absl::string_view command,
               absl::string_view what);

// "kuchanctl: <status message>" on `err`; kExitFailure.
int Failure(std::ostream& err, const absl::Status& status);

// Whether `arg` asks for help (-h, --help).
bool IsHelp(absl::string_view arg);

// UsageError() for an argument a command does not take: "unknown option
// `-x'" or "unexpected argument `x'".
int BadArgument(std::ostream& err, absl::string_view command,
                absl::string_view arg);

// The arguments of a command whose only option is --json (and --help,
// which prints `usage`): sets *json. Returns -1 to go on, or the exit code.
int ParseJsonOnly(int argc, char** argv, absl::string_view command,
                  const char* usage, std::ostream& out, std::ostream& err,
                  bool* json);

extern const Subcommand kInfo;
extern const Subcommand kMonitor;
extern const Subcommand kEmit;
extern const Subcommand kStats;
extern const Subcommand kSignal;
extern const Subcommand kHelper;
extern const Subcommand kSubscribe;

}  // namespace kuchan::cli

#endif  // KUCHAN_CLI_SUBCOMMAND_H_
