// SPDX-License-Identifier: GPL-2.0
//
// kuchanctl's entry point as a function, so tests run the tool in-process
// with their own streams: `kuchanctl SUBCOMMAND [OPTIONS]`, modelled on
// wg(8).
#ifndef KUCHAN_CLI_KUCHANCTL_H_
#define KUCHAN_CLI_KUCHANCTL_H_

#include <ostream>

#include "absl/types/span.h"
#include "cli/subcommand.h"

namespace kuchan::cli {

// Runs kuchanctl with `argv` (argv[0] is the program). Output goes to
// `out`, diagnostics to `err`. Returns the exit code: kExitOk, kExitFailure
// (the command ran and failed) or kExitUsage (bad command line).
int Run(int argc, char** argv, std::ostream& out, std::ostream& err);

// Every subcommand, in the order `kuchanctl help` lists them.
absl::Span<const Subcommand* const> Subcommands();

}  // namespace kuchan::cli

#endif  // KUCHAN_CLI_KUCHANCTL_H_
