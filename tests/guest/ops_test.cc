// SPDX-License-Identifier: GPL-2.0
//
// The op calls protoc-gen-kuchan-cpp writes (kuchan.ops.h), against the
// real module: every op that is not a notification, its request encoded
// and its reply decoded by the generated typed codec; the reply compared
// with what the reflection codec (the test oracle) reads; the kernel's
// refusals carried back with the attribute they name.
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/kuchan.pb.h"
#include "tests/guest/guest_util.h"
#include "userspace/kuchan/codec.h"
#include "userspace/kuchan/connection.h"
#include "userspace/kuchan/extack.h"
#include "userspace/kuchan/kuchan.ops.h"

namespace kuchan {
namespace {

using ::testing::HasSubstr;

uint64_t Bit(msg::EventType t) { return uint64_t{1} << t; }

// Raw bytes of a typed message and of a protobuf one, to compare them.
template <typename T>
std::string Typed(const T& m) {
  std::string out;
  EXPECT_TRUE(Encode(m, &out).ok());
  return out;
}
std::string Reflected(const google::protobuf::Message& m) {
  std::string out;
  EXPECT_TRUE(EncodeAttrs(m, &out).ok());
  return out;
}

// A request without attributes whose reply the reflection codec decodes
// into *reply, over the connection's one request path.
absl::Status ReflectedRead(Connection& conn, uint8_t cmd,
                           google::protobuf::Message* reply) {
  return conn.Do(
      cmd, "reflected read", [](std::string*) { return absl::OkStatus(); },
      AttrNamer(), [reply](absl::Span<const uint8_t> attrs) {
        return DecodeAttrs(attrs, reply);
      });
}

// The next `sig` within `ms` milliseconds (it must be blocked), or 0.
int Wait(int sig, int ms, siginfo_t* si) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  const timespec ts{ms / 1000, (ms % 1000) * 1000000L};
  return sigtimedwait(&set, si, &ts) == sig ? sig : 0;
}

class OpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(guest::ModuleLoaded());
    absl::StatusOr<Connection> c = Connection::Open("ops_test");
    ASSERT_TRUE(c.ok()) << c.status();
    conn_.emplace(std::move(*c));
  }
  Connection& conn() { return *conn_; }

 private:
  std::optional<Connection> conn_;
};

TEST_F(OpsTest, GetStatsReadsWhatTheCodecReads) {
  // An event still on its way from an earlier test (a helper's report,
  // late on a slow kernel) may be counted between two reads: the reflected
  // read is compared with typed reads on both sides of it that agree.
  msg::Stats typed, after;
  Stats reflected;
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(msg::GetStats(conn(), &typed).ok());
    const absl::Status st = ReflectedRead(conn(), CMD_GET_STATS, &reflected);
    ASSERT_TRUE(st.ok()) << st;
    ASSERT_TRUE(msg::GetStats(conn(), &after).ok());
    if (Typed(typed) == Typed(after)) break;
  }
  EXPECT_EQ(Typed(typed), Reflected(reflected));
  ASSERT_TRUE(typed.raised.has_value());
  EXPECT_FALSE(typed.per_type.empty());
}

TEST_F(OpsTest, EmitRaisesOneCustomEvent) {
  msg::Stats before, after;
  ASSERT_TRUE(msg::GetStats(conn(), &before).ok());
  msg::CustomEvent ev;
  ev.code = 0x0b5;
  ev.data.push_back({"door", "open"});
  ASSERT_TRUE(msg::Emit(conn(), ev).ok());
  ASSERT_TRUE(msg::GetStats(conn(), &after).ok());
  EXPECT_EQ(after.raised.value_or(0), before.raised.value_or(0) + 1);
  const auto custom = [](const msg::Stats& s) -> uint64_t {
    for (const msg::TypeStats& t : s.per_type)
      if (t.type == msg::EVENT_CUSTOM) return t.raised.value_or(0);
    return 0;
  };
  EXPECT_EQ(custom(after), custom(before) + 1);
}

TEST_F(OpsTest, HelperSetGetClearRoundTrip) {
  // Root's alone: the module refuses a helper anyone else could change.
  const std::string dir = "/run/kuchan-ops", path = dir + "/helper";
  mkdir(dir.c_str(), 0755);
  std::ofstream(path) << "#!/bin/sh\nexit 0\n";
  ASSERT_EQ(chmod(path.c_str(), 0755), 0);

  msg::HelperConfig set;
  set.path = path;
  set.args = {{"one"}, {"two words"}};
  set.event_mask = Bit(msg::EVENT_CUSTOM);
  ASSERT_TRUE(msg::HelperSet(conn(), set).ok());

  msg::HelperConfig got;
  got.path = "stale";  // replaced, not merged
  ASSERT_TRUE(msg::HelperGet(conn(), &got).ok());
  EXPECT_EQ(got.path, path);
  ASSERT_EQ(got.args.size(), 2u);
  EXPECT_EQ(got.args[1].value, "two words");
  EXPECT_EQ(got.event_mask, Bit(msg::EVENT_CUSTOM));

  HelperConfig reflected;
  ASSERT_TRUE(ReflectedRead(conn(), CMD_HELPER_GET, &reflected).ok());
  EXPECT_EQ(Typed(got), Reflected(reflected));

  ASSERT_TRUE(msg::HelperClear(conn()).ok());
  ASSERT_TRUE(msg::HelperGet(conn(), &got).ok());
  EXPECT_FALSE(got.path.has_value());
  EXPECT_TRUE(got.args.empty());
}

TEST_F(OpsTest, KernelRefusalsNameTheAttribute) {
  msg::HelperConfig bad;
  bad.path = "relative/helper";
  absl::Status st = msg::HelperSet(conn(), bad);
  EXPECT_EQ(StatusErrno(st), EINVAL);
  EXPECT_THAT(std::string(st.message()), HasSubstr("kuchan helper_set"));
  EXPECT_THAT(std::string(st.message()), HasSubstr("kuchan.HelperConfig.path"));
  EXPECT_FALSE(StatusKernelMessage(st).empty());

  // A reply-only attribute in a request: HELPER_SET's own policy refuses it.
  msg::HelperConfig reply_only;
  reply_only.static_path = "/bin/true";
  st = msg::HelperSet(conn(), reply_only);
  EXPECT_FALSE(st.ok());
  EXPECT_THAT(std::string(st.message()),
              HasSubstr("kuchan.HelperConfig.static_path"));
}

// SIGNAL's request and reply are one set: the same object may be both,
// the request sent whole before the reply replaces it.
TEST_F(OpsTest, SignalReplyMayBeTheRequest) {
  msg::SignalRequest req;
  req.targets = {{999999, std::nullopt}, {getpid(), std::nullopt}};
  req.signal = 0;
  const absl::Status st = msg::Signal(conn(), req, &req);
  EXPECT_EQ(StatusErrno(st), ESRCH);
  ASSERT_EQ(req.results.size(), 2u);
  EXPECT_EQ(req.results[0].pid, 999999);
  EXPECT_EQ(req.results[0].error, static_cast<uint32_t>(ESRCH));
  EXPECT_EQ(req.results[1].error, 0u);
  EXPECT_TRUE(req.targets.empty()) << "replaced by the reply";
}

// A SIGNAL that succeeds has no reply: what *reply held before (an
// earlier call's results) does not survive it.
TEST_F(OpsTest, NoReplyLeavesTheReplyEmpty) {
  msg::SignalRequest req;
  req.targets = {{getpid(), std::nullopt}};
  req.signal = 0;
  msg::SignalRequest reply;
  reply.results = {{1, 3}};
  reply.targets = {{1, std::nullopt}};
  ASSERT_TRUE(msg::Signal(conn(), req, &reply).ok());
  EXPECT_TRUE(reply.results.empty());
  EXPECT_TRUE(reply.targets.empty());
}

TEST_F(OpsTest, EncoderRefusesWhatTheSchemaRefusesBeforeSending) {
  msg::Subscription sub;
  sub.signal = 65;  // the schema's maximum is 64
  const absl::Status st = msg::Subscribe(conn(), sub);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(st.message()),
              HasSubstr("kuchan.Subscription.signal"));
  EXPECT_EQ(StatusErrno(st), 0) << "refused here, not by the kernel";
}

TEST_F(OpsTest, SubscribeSignalsUntilUnsubscribe) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  ASSERT_EQ(sigprocmask(SIG_BLOCK, &set, nullptr), 0);
  msg::Subscription sub;
  sub.signal = SIGUSR2;
  sub.event_mask = Bit(msg::EVENT_CUSTOM);
  ASSERT_TRUE(msg::Subscribe(conn(), sub).ok());
  msg::CustomEvent ev;
  ev.code = 1;
  ASSERT_TRUE(msg::Emit(conn(), ev).ok());
  siginfo_t si{};
  ASSERT_EQ(Wait(SIGUSR2, 5000, &si), SIGUSR2);
  EXPECT_EQ(si.si_code, SI_ASYNCIO);

  ASSERT_TRUE(msg::Unsubscribe(conn()).ok());
  ASSERT_TRUE(msg::Emit(conn(), ev).ok());
  EXPECT_EQ(Wait(SIGUSR2, 300, &si), 0);
}

}  // namespace
}  // namespace kuchan
