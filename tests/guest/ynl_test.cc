// SPDX-License-Identifier: GPL-2.0
//
// Suite "Ynl": the kernel's own netlink CLI (tools/net/ynl/cli.py from
// Debian's linux-source-6.12) drives the module with nothing but
// kernel/kuchan.yaml, the YNL spec the schema generates: what protocol
// version 2 is shaped for (docs/protocol.md). Every answer is the real
// module's; cli.py prints replies and notifications as JSON
// (--output-json), and a refused request as the netlink error with its
// extended ACK.
//
// The VM has cli.py, its lib/ and the spec in /usr/local/share/kuchan/ynl
// with python3 and PyYAML (tests/vm/mkinitramfs --ynl); the suite skips
// when they are not there (no linux-source-6.12 on the building host).
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "kernel/uapi/kuchan.h"
#include "tests/guest/guest_util.h"
#include "tests/guest/receiver.h"

namespace kuchan::guest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const char kYnlDir[] = "/usr/local/share/kuchan/ynl";

// Root's alone, as the module wants a helper's directory to be.
const char kHelperDir[] = "/run/kuchan-ynl";

// cli.py with the spec and `args`; --no-schema: the guest has no
// jsonschema (the host test ynl_spec_valid validates the spec).
CommandResult Ynl(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {
      "python3", absl::StrCat(kYnlDir, "/cli.py"), "--spec",
      absl::StrCat(kYnlDir, "/kuchan.yaml"), "--no-schema", "--output-json"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = RunCommand(argv);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : CommandResult{};
}

class YnlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    struct stat st;
    if (stat(absl::StrCat(kYnlDir, "/cli.py").c_str(), &st) != 0)
      GTEST_SKIP() << "no YNL CLI in this VM (no linux-source-6.12 on the host)";
    ASSERT_TRUE(ModuleLoaded());
  }
};

// SIGNAL from a plain spec: the targets multi-attr, as YNL builds it.
TEST_F(YnlTest, SignalReachesTheProcessAsKill) {
  Receiver rx;
  const std::vector<std::string> args = {
      "--do", "signal", "--json",
      absl::StrCat(R"({"targets": [{"pid": )", rx.pid(), R"(}], "signal": )",
                   SIGUSR1, "}")};
  CommandResult r = Ynl(args);
  ASSERT_EQ(r.exit_status, 0) << Describe(args, r);
  Seen s;
  ASSERT_TRUE(rx.Next(&s));
  EXPECT_EQ(s.signo, SIGUSR1);
  EXPECT_EQ(s.code, SI_USER);  // kill(2)'s, from the requester
  EXPECT_EQ(s.uid, 0u);
  EXPECT_GT(s.pid, 0);
  EXPECT_NE(s.pid, getpid());  // the python3 that ran cli.py
}

// cli.py --subscribe monitor, in the background: it joins the group, sleeps
// `secs`, then prints what it received. Its stdout goes to `out`.
pid_t StartYnlMonitor(int secs, const std::string& out) {
  const std::string cli = absl::StrCat(kYnlDir, "/cli.py");
  const std::string spec = absl::StrCat(kYnlDir, "/kuchan.yaml");
  const std::string sleep = absl::StrCat(secs);
  pid_t pid = fork();
  if (pid == 0) {
    FILE* f = freopen(out.c_str(), "w", stdout);
    if (f == nullptr) _exit(126);
    execlp("python3", "python3", cli.c_str(), "--spec", spec.c_str(),
           "--no-schema", "--output-json", "--subscribe", "monitor", "--sleep",
           sleep.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

// Whether the monitor group has a member yet: an event raised now is
// multicast (kuchanctl stats' `multicast' grows) rather than dropped.
bool MonitorJoined() {
  auto before = RunCommand({"kuchanctl", "stats", "--json"});
  auto emit = RunCommand({"kuchanctl", "emit", "4241"});
  auto after = RunCommand({"kuchanctl", "stats", "--json"});
  if (!before.ok() || !emit.ok() || !after.ok()) return false;
  auto multicast = [](const std::string& json) {
    const size_t at = json.find("\"multicast\":");
    return at == std::string::npos ? 0 : strtoull(json.c_str() + at + 12, nullptr, 10);
  };
  return multicast(after->out) > multicast(before->out);
}

// EMIT with the key/value multi-attr, and a monitor decoding the event
// that follows. Two runs of cli.py: one that subscribes and one that
// emits (6.12's cli.py loses track of its request when a notification comes
// in a datagram of its own before the ACK, as kuchan's events do).
TEST_F(YnlTest, EmitAndSubscribeMonitorDecodeTheEvent) {
  const std::string out = "/tmp/kuchan-ynl-monitor.json";
  const pid_t mon = StartYnlMonitor(20, out);
  ASSERT_GT(mon, 0);
  bool joined = false;
  for (int i = 0; i < 100 && !joined; i++) {
    joined = MonitorJoined();
    if (!joined) usleep(100000);
  }
  ASSERT_TRUE(joined) << "cli.py never joined the monitor group";
  const std::vector<std::string> args = {
      "--do", "emit", "--json",
      R"({"code": 4242, "data": [{"key": "door", "value": "open"},)"
      R"( {"key": "room", "value": "7"}]})"};
  CommandResult r = Ynl(args);
  ASSERT_EQ(r.exit_status, 0) << Describe(args, r);
  int status = 0;
  ASSERT_EQ(waitpid(mon, &status, 0), mon);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  auto cat = RunCommand({"cat", out});
  ASSERT_TRUE(cat.ok());
  const std::string& got = cat->out;
  EXPECT_THAT(got, HasSubstr(R"("name": "event-ntf")"));
  EXPECT_THAT(got, HasSubstr(R"("type": "custom")"));
  EXPECT_THAT(got, HasSubstr(R"("origin": "user")"));
  EXPECT_THAT(got, HasSubstr(R"("code": 4242)"));
  EXPECT_THAT(got, HasSubstr(R"("data": [{"key": "door", "value": "open"}, )"
                             R"({"key": "room", "value": "7"}])"));
  EXPECT_THAT(got, HasSubstr(R"("comm": "python3")"));  // the actor
  EXPECT_THAT(got, HasSubstr(R"("seq": )"));
}

TEST_F(YnlTest, GetStatsDecodesCountersAndPerType) {
  const std::vector<std::string> args = {"--do", "get-stats"};
  CommandResult r = Ynl(args);
  ASSERT_EQ(r.exit_status, 0) << Describe(args, r);
  EXPECT_THAT(r.out, HasSubstr(R"("raised": )"));
  EXPECT_THAT(r.out, HasSubstr(R"("last-seq": )"));
  // One per-type nest per event type, decoded as a list.
  EXPECT_THAT(r.out, HasSubstr(R"("per-type": [{"type": "signal-sent", "raised": )"));
  EXPECT_THAT(r.out, HasSubstr(R"({"type": "lost", "raised": )"));
}

// HELPER_SET, HELPER_GET (args as a multi-attr both ways), HELPER_CLEAR.
TEST_F(YnlTest, HelperSetGetClear) {
  auto rm = RunCommand({"rm", "-rf", kHelperDir});
  ASSERT_TRUE(rm.ok());
  ASSERT_EQ(mkdir(kHelperDir, 0755), 0);
  const std::string helper = absl::StrCat(kHelperDir, "/true");
  auto w = RunCommand({"sh", "-c", absl::StrCat("printf '#!/bin/sh\\nexit 0\\n' >", helper,
                                                " && chmod 0755 ", helper)});
  ASSERT_TRUE(w.ok() && w->exit_status == 0);

  std::vector<std::string> args = {
      "--do", "helper-set", "--json",
      absl::StrCat(R"({"path": ")", helper,
                   R"(", "args": [{"value": "a b"}, {"value": "c"}], "event-mask": 16})")};
  CommandResult r = Ynl(args);
  ASSERT_EQ(r.exit_status, 0) << Describe(args, r);

  args = {"--do", "helper-get"};
  r = Ynl(args);
  ASSERT_EQ(r.exit_status, 0) << Describe(args, r);
  EXPECT_THAT(r.out, HasSubstr(absl::StrCat(R"("path": ")", helper, R"(")")));
  EXPECT_THAT(r.out, HasSubstr(R"("args": [{"value": "a b"}, {"value": "c"}])"));
  EXPECT_THAT(r.out, HasSubstr(R"("event-mask": 16)"));

  args = {"--do", "helper-clear"};
  r = Ynl(args);
  ASSERT_EQ(r.exit_status, 0) << Describe(args, r);
  args = {"--do", "helper-get"};
  r = Ynl(args);
  ASSERT_EQ(r.exit_status, 0) << Describe(args, r);
  EXPECT_THAT(r.out, Not(HasSubstr(R"("path")")));
}

// Refusals come back as the netlink error with the module's extack
// message, which cli.py prints.
TEST_F(YnlTest, BadRequestsPrintTheExtack) {
  std::vector<std::string> args = {"--do", "signal", "--json",
                                   R"({"targets": [{"pid": 1}]})"};
  CommandResult r = Ynl(args);
  EXPECT_EQ(r.exit_status, 1) << Describe(args, r);
  EXPECT_THAT(r.out, HasSubstr("missing signal number")) << Describe(args, r);

  // A target that fails: the per-target results come first, in the
  // request's own set, which cli.py decodes; then the error and its extack.
  args = {"--do", "signal", "--json",
          absl::StrCat(R"({"targets": [{"pid": 4194303}, {"pid": )", getpid(),
                       R"(}], "signal": 0})")};
  r = Ynl(args);
  EXPECT_EQ(r.exit_status, 1) << Describe(args, r);
  EXPECT_THAT(r.out, HasSubstr("no such process")) << Describe(args, r);
  EXPECT_THAT(r.err, Not(HasSubstr("Traceback"))) << Describe(args, r);

  // The reply-only static path: HELPER_SET's own policy refuses it.
  args = {"--do", "helper-set", "--json",
          R"({"path": "/nonexistent", "static-path": "/x"})"};
  r = Ynl(args);
  EXPECT_EQ(r.exit_status, 1) << Describe(args, r);
  EXPECT_THAT(r.out, HasSubstr("Unknown attribute type")) << Describe(args, r);
}

}  // namespace
}  // namespace kuchan::guest
