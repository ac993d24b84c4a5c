// SPDX-License-Identifier: GPL-2.0
//
// kuchanctl signal on the host: names, arguments and usage errors. What
// the kernel does with the request is tested in the VM
// (tests/guest/signal_cli_test.cc).
#include <signal.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli/kuchanctl.h"
#include "cli/kuchanctl_testing.h"
#include "cli/signames.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kuchan::cli {
namespace {

using ::testing::HasSubstr;

using test_support::Kuchanctl;
using test_support::Result;

TEST(SignalNames, NumbersNamesAndRealTime) {
  EXPECT_EQ(*ParseSignal("15"), SIGTERM);
  EXPECT_EQ(*ParseSignal("0"), 0);
  EXPECT_EQ(*ParseSignal("TERM"), SIGTERM);
  EXPECT_EQ(*ParseSignal("SIGTERM"), SIGTERM);
  EXPECT_EQ(*ParseSignal("sigterm"), SIGTERM);
  EXPECT_EQ(*ParseSignal("Kill"), SIGKILL);
  EXPECT_EQ(*ParseSignal("usr1"), SIGUSR1);
  EXPECT_EQ(*ParseSignal("RTMIN"), SIGRTMIN);
  EXPECT_EQ(*ParseSignal("RTMIN+3"), SIGRTMIN + 3);
  EXPECT_EQ(*ParseSignal("sigrtmin+3"), SIGRTMIN + 3);
  EXPECT_EQ(*ParseSignal("RTMAX"), SIGRTMAX);
  EXPECT_EQ(*ParseSignal("RTMAX-2"), SIGRTMAX - 2);
  EXPECT_EQ(*ParseSignal("64"), 64);
}

TEST(SignalNames, RefusesWhatIsNoSignal) {
  for (const char* bad : {"65", "-1", "", "SIG", "FOO", "RTMIN-1", "RTMAX+1",
                          "RTMIN+99", "RTMIN+", "TERM2", "1.5"}) {
    absl::StatusOr<int> s = ParseSignal(bad);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_THAT(std::string(s.status().message()),
                HasSubstr(std::string("`") + bad + "'"));
  }
}

TEST(SignalNames, NamesRoundTrip) {
  for (int sig = 1; sig < _NSIG; sig++) {
    const std::string name = SignalName(sig);
    if (name.empty()) {
      // glibc keeps the first real-time signals for itself, unnamed.
      EXPECT_LT(sig, SIGRTMIN) << sig;
      EXPECT_GT(sig, SIGSYS) << sig;
      continue;
    }
    EXPECT_EQ(*ParseSignal(name), sig) << name;
  }
}

TEST(SignalCommand, ListsSignals) {
  Result r = Kuchanctl({"signal", "-l"});
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(r.out, HasSubstr("15 TERM\n"));
  EXPECT_THAT(r.out, HasSubstr(" 9 KILL\n"));
  EXPECT_THAT(r.out, HasSubstr("RTMIN+3\n"));
}

TEST(SignalCommand, HelpHasExamples) {
  Result r = Kuchanctl({"signal", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(r.out, HasSubstr("usage: kuchanctl signal"));
  EXPECT_THAT(r.out, HasSubstr("Examples:"));
}

TEST(SignalCommand, UsageErrorsQuoteTheInput) {
  struct Case {
    std::vector<std::string> args;
    const char* says;
  } cases[] = {
      {{"signal"}, "needs at least one PID and a signal"},
      {{"signal", "1234"}, "needs at least one PID and a signal"},
      {{"signal", "abc", "TERM"}, "invalid PID `abc'"},
      {{"signal", "0", "TERM"}, "invalid PID `0'"},
      {{"signal", "--", "-5", "TERM"}, "invalid PID `-5'"},
      {{"signal", "1234", "BOGUS"}, "invalid signal `BOGUS'"},
      {{"signal", "--value", "x", "1", "TERM"}, "invalid value `x'"},
      {{"signal", "--value"}, "option `--value' needs a value"},
      {{"signal", "--frob", "1", "TERM"}, "unknown option `--frob'"},
      {{"signal", "--started-at", "5", "1", "2", "TERM"},
       "--started-at takes exactly one PID"},
  };
  for (const Case& c : cases) {
    Result r = Kuchanctl(c.args);
    EXPECT_EQ(r.code, 2) << c.says;
    EXPECT_THAT(r.err, HasSubstr(c.says));
  }
  std::vector<std::string> many = {"signal"};
  for (int i = 1; i <= 65; i++) many.push_back(std::to_string(i));
  many.push_back("0");
  Result r = Kuchanctl(many);
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("at most 64 PIDs"));
}

}  // namespace
}  // namespace kuchan::cli
