// SPDX-License-Identifier: GPL-2.0
//
// What subcommands share (subcommand.h), apart from kuchanctl.cc's table of
// them, so that the signal command links without the others.
#include "cli/subcommand.h"

#include "absl/strings/str_format.h"

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

int BadArgument(std::ostream& err, absl::string_view command,
                absl::string_view arg) {
  if (!arg.empty() && arg[0] == '-') {
    return UsageError(err, command,
                      absl::StrFormat("unknown option `%s'", arg));
  }
  return UsageError(err, command,
                    absl::StrFormat("unexpected argument `%s'", arg));
}

int ParseJsonOnly(int argc, char** argv, absl::string_view command,
                  const char* usage, std::ostream& out, std::ostream& err,
                  bool* json) {
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (IsHelp(arg)) {
      out << usage;
      return kExitOk;
    }
    if (arg != "--json") return BadArgument(err, command, arg);
    *json = true;
  }
  return -1;
}

}  // namespace kuchan::cli
