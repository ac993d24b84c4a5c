// SPDX-License-Identifier: GPL-2.0
//
// kuchanctl: the command people and scripts run. It runs `signal`,
// `helper`, `emit`, `subscribe`, `stats` and `info` itself, in a program that
// links no protobuf (they speak the typed codec generated from the schema,
// kuchan.msg.h), and hands every other command to kuchanctl-full, which it
// execs from its own directory with the same arguments.
//
// Why two programs: a program linking protobuf's full runtime spends ~0.65 M
// instructions before main() registering libprotobuf's own descriptors,
// which made `kuchanctl signal` 1.6x kill(1) as a whole process, against a
// bound of 1.5x (docs/benchmarks.md). Signalling is what scripts and
// helpers run most; monitor still uses protobuf's messages and pays one
// exec more (issue 13: until it moves to the typed codec).
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <iostream>
#include <string>

#include "cli/subcommand.h"

namespace {

// kuchanctl-full beside this program, found through /proc/self/exe so that
// it works from the build tree, an installed prefix and the test VM alike.
std::string FullProgram() {
  char self[4096];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof(self));
  // No /proc, or a path that may have been cut: execvp() searches PATH.
  if (n <= 0 || static_cast<size_t>(n) >= sizeof(self)) return "kuchanctl-full";
  std::string dir(self, static_cast<size_t>(n));
  dir.erase(dir.rfind('/') + 1);
  return dir + "kuchanctl-full";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2) {
    for (const kuchan::cli::Subcommand* c :
         {&kuchan::cli::kSignal, &kuchan::cli::kHelper, &kuchan::cli::kEmit,
          &kuchan::cli::kSubscribe, &kuchan::cli::kStats,
          &kuchan::cli::kInfo}) {
      if (argv[1] == std::string(c->name))
        return c->run(argc - 1, argv + 1, std::cout, std::cerr);
    }
  }
  const std::string full = FullProgram();
  execvp(full.c_str(), argv);
  std::cerr << "kuchanctl: cannot run " << full << ": " << strerror(errno)
            << "\n";
  return 127;
}
