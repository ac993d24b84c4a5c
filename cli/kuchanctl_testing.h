// SPDX-License-Identifier: GPL-2.0
//
// Runs kuchanctl in-process for the CLI's host tests, as a shell would:
// argv[0] "kuchanctl", a null after the last argument.
#ifndef KUCHAN_CLI_KUCHANCTL_TESTING_H_
#define KUCHAN_CLI_KUCHANCTL_TESTING_H_

#include <sstream>
#include <string>
#include <vector>

#include "cli/kuchanctl.h"

namespace kuchan::cli::test_support {

struct Result {
  int code;
  std::string out, err;
};

inline Result Kuchanctl(std::vector<std::string> args) {
  args.insert(args.begin(), "kuchanctl");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::ostringstream out, err;
  const int code = Run(static_cast<int>(args.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

}  // namespace kuchan::cli::test_support

#endif  // KUCHAN_CLI_KUCHANCTL_TESTING_H_
