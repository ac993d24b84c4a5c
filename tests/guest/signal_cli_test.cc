// SPDX-License-Identifier: GPL-2.0
//
// Suite "SignalClient": the library's Connection::Signal() and `kuchanctl
// signal` against the real module, in the test VM: what a user of each sees.
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/guest/guest_util.h"
#include "tests/guest/receiver.h"
#include "userspace/kuchan/connection.h"
#include "userspace/kuchan/extack.h"

namespace kuchan::guest {
namespace {

using ::testing::HasSubstr;


std::string Pid(pid_t p) { return std::to_string(p); }

uint64_t StartTime(pid_t pid) { return ProcStartTime(pid).value_or(0); }

TEST(SignalClient, LibrarySignalsAndReportsErrors) {
  absl::StatusOr<Connection> c = Connection::Open("signal_cli_test");
  ASSERT_TRUE(c.ok()) << c.status();
  Receiver r;
  msg::SignalRequest req;
  req.targets.push_back({r.pid(), std::nullopt});
  req.signal = SIGUSR1;
  req.value = 99;
  ASSERT_TRUE(c->Signal(req).ok());
  Seen s;
  ASSERT_TRUE(r.Next(&s));
  EXPECT_EQ(s.code, SI_QUEUE);
  EXPECT_EQ(s.value, 99);

  // The same socket, many times: the hot path keeps its buffers.
  req.value.reset();
  for (int i = 0; i < 100; i++) ASSERT_TRUE(c->Signal(req).ok());

  msg::SignalRequest bad;
  bad.targets = {{999999, std::nullopt}, {r.pid(), std::nullopt}};
  bad.signal = 0;
  std::vector<msg::SignalResult> results;
  absl::Status st = c->Signal(bad, &results);
  EXPECT_EQ(st.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(StatusErrno(st), ESRCH);
  EXPECT_EQ(StatusKernelMessage(st), "no such process");
  EXPECT_THAT(std::string(st.message()), HasSubstr("targets[0]"));
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].pid, 999999);
  EXPECT_EQ(results[0].error, static_cast<uint32_t>(ESRCH));
  EXPECT_EQ(results[1].pid, r.pid());
  EXPECT_EQ(results[1].error, 0u);

  // A later call's results are its own: after the failure above, a call
  // that succeeds (no reply, hence no results) and one that fails without
  // a reply must not hand back the earlier outcomes.
  msg::SignalRequest good;
  good.targets = {{r.pid(), std::nullopt}, {r.pid(), std::nullopt}};
  good.signal = 0;
  ASSERT_TRUE(c->Signal(good, &results).ok());
  EXPECT_TRUE(results.empty());

  msg::SignalRequest no_signal;
  no_signal.targets.push_back({r.pid(), std::nullopt});
  ASSERT_TRUE(c->Signal(bad, &results).code() == absl::StatusCode::kNotFound);
  st = c->Signal(no_signal, &results);
  EXPECT_EQ(StatusErrno(st), EINVAL);
  EXPECT_EQ(StatusKernelMessage(st), "missing signal number");
  EXPECT_TRUE(results.empty());
}

TEST(SignalClient, CliDeliversLikeKill) {
  Receiver r;
  auto res = RunCommand({"kuchanctl", "signal", Pid(r.pid()), "usr1"});
  ASSERT_TRUE(res.ok()) << res.status();
  EXPECT_EQ(res->exit_status, 0) << Describe({"kuchanctl"}, *res);
  Seen s;
  ASSERT_TRUE(r.Next(&s));
  EXPECT_EQ(s.signo, SIGUSR1);
  EXPECT_EQ(s.code, SI_USER);
  EXPECT_EQ(s.uid, 0u);

  res = RunCommand({"kuchanctl", "signal", "--value", "-5", Pid(r.pid()),
                    "RTMIN+3"});
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->exit_status, 0) << res->err;
  ASSERT_TRUE(r.Next(&s));
  EXPECT_EQ(s.signo, SIGRTMIN + 3);
  EXPECT_EQ(s.code, SI_QUEUE);
  EXPECT_EQ(s.value, -5);

  res = RunCommand({"kuchanctl", "signal", "--started-at",
                    std::to_string(StartTime(r.pid())), Pid(r.pid()), "USR2"});
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->exit_status, 0) << res->err;
  ASSERT_TRUE(r.Next(&s));
  EXPECT_EQ(s.signo, SIGUSR2);
}

TEST(SignalClient, CliReportsEachFailedPidLikeKill) {
  Receiver r;
  auto res = RunCommand({"kuchanctl", "signal", Pid(r.pid()), "999999",
                         "999998", "USR1"});
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->exit_status, 1);
  EXPECT_EQ(res->err,
            "kuchanctl: (999999) - No such process (no such process)\n"
            "kuchanctl: (999998) - No such process\n");
  Seen s;
  EXPECT_TRUE(r.Next(&s));  // the good one still got it

  res = RunCommand({"kuchanctl", "signal", "--started-at",
                    std::to_string(StartTime(r.pid()) + 1), Pid(r.pid()), "USR1"});
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->exit_status, 1);
  EXPECT_EQ(res->err, "kuchanctl: (" + Pid(r.pid()) +
                          ") - No such process (process started at another "
                          "time: its pid was reused)\n");
}

TEST(SignalClient, CliAsUnprivilegedUser) {
  Receiver roots, mine(kTestUid);
  auto res = RunCommand({"kuchanctl", "signal", Pid(roots.pid()), "TERM"},
                        kTestUid);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->exit_status, 1);
  EXPECT_EQ(res->err, "kuchanctl: (" + Pid(roots.pid()) +
                          ") - Operation not permitted (not allowed to signal "
                          "this process)\n");

  res = RunCommand({"kuchanctl", "signal", Pid(mine.pid()), "USR1"}, kTestUid);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->exit_status, 0) << res->err;
  Seen s;
  ASSERT_TRUE(mine.Next(&s));
  EXPECT_EQ(s.uid, kTestUid);

  // A value signal is kuchanctl's own sigqueue(3): kill(2)'s rules, so its
  // own user's process, yes; root's, no.
  res = RunCommand({"kuchanctl", "signal", "--value", "1", Pid(mine.pid()),
                    "USR1"},
                   kTestUid);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->exit_status, 0) << res->err;
  ASSERT_TRUE(mine.Next(&s));
  EXPECT_EQ(s.code, SI_QUEUE);
  EXPECT_EQ(s.value, 1);
  EXPECT_EQ(s.uid, kTestUid);
  res = RunCommand({"kuchanctl", "signal", "--value", "1", Pid(roots.pid()),
                    "USR1"},
                   kTestUid);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->exit_status, 1);
  EXPECT_THAT(res->err, HasSubstr("Operation not permitted"));
}

}  // namespace
}  // namespace kuchan::guest
