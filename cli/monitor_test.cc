// SPDX-License-Identifier: GPL-2.0
//
// kuchanctl monitor, emit and stats on the host (no kuchan module here):
// formats, command lines, and the not-loaded message. The VM suite
// (tests/guest/monitor_test.cc) runs them against the module.
#include "cli/monitor.h"

#include <sstream>
#include <string>
#include <vector>

#include "cli/kuchanctl.h"
#include "cli/kuchanctl_testing.h"
#include "gtest/gtest.h"
#include "userspace/kuchan/connection.h"

namespace kuchan::cli {
namespace {

using test_support::Kuchanctl;
using test_support::Result;

msg::Event Custom() {
  msg::Event e;
  e.seq = 7;
  e.timestamp_ns = 1'700'000'000'123'456'789;
  e.type = msg::EVENT_CUSTOM;
  e.actor = msg::Process{401, 401, 0, "kuchanctl", std::nullopt};
  e.custom = msg::CustomEvent{0x7e57, {msg::KeyValue{"ctx", "hardirq"}}};
  return e;
}

TEST(MonitorFormat, Text) {
  EXPECT_EQ(FormatEventText(Custom(), TimestampMode::kWall, 0),
            "2023-11-14T22:13:20.123456789Z seq=7 custom code=0x7e57 "
            "ctx=hardirq actor=401/kuchanctl uid=0");
  EXPECT_EQ(FormatEventText(Custom(), TimestampMode::kRelative,
                            1'700'000'000'000'000'000),
            "+0.123456 seq=7 custom code=0x7e57 ctx=hardirq "
            "actor=401/kuchanctl uid=0");
  msg::Event u = Custom();
  u.origin = msg::ORIGIN_USER;
  EXPECT_EQ(FormatEventText(u, TimestampMode::kRelative,
                            1'700'000'000'000'000'000),
            "+0.123456 seq=7 custom code=0x7e57 ctx=hardirq "
            "actor=401/kuchanctl uid=0 origin=user");
  u.origin = msg::ORIGIN_KERNEL;
  EXPECT_NE(FormatEventText(u, TimestampMode::kWall, 0).find(" origin=kernel"),
            std::string::npos);
  msg::Event d;
  d.type = msg::EVENT_HELPER_DROPPED;
  d.helper_dropped.emplace();
  d.helper_dropped->count = 3;
  d.helper_dropped->user_share = 3;
  d.helper_dropped->rate_limited = 40;
  EXPECT_EQ(FormatEventText(d, TimestampMode::kRelative, 0),
            "+0.000000 seq=0 helper_dropped count=3 queue_full=0 user_share=3 "
            "nomem=0 rate_limited=40");
  msg::Event s;
  s.seq = 8;
  s.type = msg::EVENT_SIGNAL_SENT;
  s.signal_sent.emplace();
  s.signal_sent->signal = 10;
  s.signal_sent->target.emplace();
  s.signal_sent->target->pid = 412;
  s.signal_sent->error = 3;
  EXPECT_EQ(FormatEventText(s, TimestampMode::kRelative, 0),
            "+0.000000 seq=8 signal_sent signal=10/SIGUSR1 target=412 "
            "error=3/ESRCH");
}

// Integers are JSON numbers (jq compares them as such), enums their names.
TEST(MonitorFormat, JsonNumbersAndNames) {
  EXPECT_EQ(FormatEventJson(Custom()),
            "{\"seq\":7,\"timestamp_ns\":1700000000123456789,\"type\":\"custom\","
            "\"actor\":{\"pid\":401,\"tgid\":401,\"uid\":0,\"comm\":\"kuchanctl\"},"
            "\"custom\":{\"code\":32343,\"data\":[{\"key\":\"ctx\","
            "\"value\":\"hardirq\"}]}}");
}

TEST(MonitorCli, UsageErrors) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"monitor", "--count", "x"},
           {"monitor", "--count"},
           {"monitor", "--type", "bogus"},
           {"monitor", "--timestamp", "local"},
           {"monitor", "extra"},
           {"emit"},
           {"emit", "12x"},
           {"emit", "1", "novalue"},
           {"emit", "1", "=v"},
           {"emit", "1", "a=1", "b=2", "c=3", "d=4", "e=5", "f=6", "g=7",
            "h=8", "i=9"},
           {"stats", "--bogus"},
       }) {
    Result r = Kuchanctl(args);
    EXPECT_EQ(r.code, kExitUsage) << args[0] << " " << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("--help"), std::string::npos) << r.err;
  }
  Result r = Kuchanctl({"monitor", "--type", "bogus"});
  EXPECT_NE(r.err.find("unknown event type `bogus' (types: signal_sent"),
            std::string::npos) << r.err;
}

TEST(MonitorCli, HelpHasExamples) {
  for (const char* c : {"monitor", "emit", "stats"}) {
    Result r = Kuchanctl({c, "--help"});
    EXPECT_EQ(r.code, kExitOk);
    EXPECT_NE(r.out.find("Examples:"), std::string::npos) << c;
    EXPECT_NE(r.out.find(std::string("kuchanctl ") + c), std::string::npos);
  }
}

// The host has no kuchan module.
TEST(MonitorCli, NotLoaded) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"monitor"}, {"emit", "1"}, {"stats"}}) {
    Result r = Kuchanctl(args);
    EXPECT_EQ(r.code, kExitFailure);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "kuchanctl: " + ModuleNotLoadedMessage() + "\n");
  }
}

}  // namespace
}  // namespace kuchan::cli
