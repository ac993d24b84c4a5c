// SPDX-License-Identifier: GPL-2.0
//
// What subcommands share (subcommand.h), apart from kuchanctl.cc's table of
// them, so that the signal command links without the others.
#include "cli/subcommand.h"

namespace kuchan::cli {

int UsageError(std::ostream& err, absl::string_view command,
               absl::string_view what) {
  if (command.empty()) {
    err << "kuchanctl: " << what << "\n"
        << "Run `kuchanctl help' for the commands.\n";
  } else {
    err << "kuchanctl " << command << ": " << what << "\n"
        << "Run `kuchanctl " << command << " --help' for its usage.\n";
  }
  return kExitUsage;
}

int Failure(std::ostream& err, const absl::Status& status) {
  err << "kuchanctl: " << status.message() << "\n";
  return kExitFailure;
}

bool IsHelp(absl::string_view arg) { return arg == "-h" || arg == "--help"; }

}  // namespace kuchan::cli
