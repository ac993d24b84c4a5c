// SPDX-License-Identifier: GPL-2.0
//
// `kuchanctl monitor --json` against checked-in expectations, as the
// kernel's ovpn selftests diff a listener's JSON with golden files: a
// scripted stream of every event type, encoded as the module sends it
// (protocol version 2: multi-attrs, a pad before a u64 here and there),
// decoded by the library as monitor decodes it, printed by monitor's JSON
// formatter. The expectations are testdata/events.jsonl; when the format
// changes on purpose, run this test with KUCHAN_UPDATE_GOLDEN=1 to rewrite
// them, and read the diff.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/message_json.h"
#include "cli/monitor.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "userspace/kuchan/codec.h"
#include "userspace/kuchan/events.h"

namespace kuchan::cli {
namespace {

// The script: what the module would say, one event per entry.
const char* const kScript[] = {
    R"pb(seq: 1 timestamp_ns: 1795355096770205753 type: EVENT_CUSTOM
         origin: ORIGIN_USER
         actor { pid: 172 tgid: 172 uid: 0 comm: "kuchanctl" start_time: 4242 }
         custom { code: 9 data { key: "door" value: "closed" }
                  data { key: "room" value: "7" } })pb",
    R"pb(seq: 2 timestamp_ns: 1795355096770300000 type: EVENT_SIGNAL_SENT
         origin: ORIGIN_USER
         actor { pid: 173 tgid: 173 uid: 1000 comm: "kuchanctl" start_time: 5000 }
         signal_sent { target { pid: 412 tgid: 412 uid: 1000 comm: "sleep"
                                start_time: 4999 }
                       signal: 10 error: 0 })pb",
    R"pb(seq: 3 timestamp_ns: 1795355096771000000 type: EVENT_HELPER_CHANGED
         origin: ORIGIN_USER
         actor { pid: 1 tgid: 1 uid: 0 comm: "init" start_time: 1 }
         helper_changed { helper { path: "/usr/local/sbin/on-event"
                                   args { value: "a b" } args { value: "" }
                                   event_mask: 16 } })pb",
    R"pb(seq: 4 timestamp_ns: 1795355096772000000 type: EVENT_HELPER_RAN
         origin: ORIGIN_KERNEL
         helper_ran { path: "/usr/local/sbin/on-event" event_seq: 18446744073709551615
                      exit_status: 256 })pb",
    R"pb(seq: 5 timestamp_ns: 1795355096773000000 type: EVENT_HELPER_DROPPED
         origin: ORIGIN_KERNEL
         helper_dropped { count: 3 queue_full: 1 user_share: 1 nomem: 1
                          rate_limited: 9007199254740993 })pb",
    R"pb(seq: 6 timestamp_ns: 1795355096774000000 type: EVENT_LOST
         origin: ORIGIN_KERNEL lost { count: 12 cpu: 1 })pb",
    R"pb(seq: 7 timestamp_ns: 1795355096775000000 type: EVENT_CUSTOM
         origin: ORIGIN_KERNEL custom { code: 4294967295 })pb",
};

// A bare pad attribute of the Event set (nla_put_64bit()'s alignment),
// put first: the decoder must read through it.
std::string Pad() {
  const uint16_t hdr[2] = {4, 6};  // nla_len 4, KUCHAN_A_EVENT_PAD
  return std::string(reinterpret_cast<const char*>(hdr), sizeof(hdr));
}

std::string Golden() {
  return std::string(KUCHAN_CLI_TESTDATA) + "/events.jsonl";
}

TEST(MonitorJsonGolden, ScriptedStreamMatchesTheExpectations) {
  std::string got;
  for (const char* text : kScript) {
    Event script;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &script))
        << text;
    std::string wire = Pad();
    ASSERT_TRUE(EncodeAttrs(script, &wire).ok());
    Event e;
    absl::Status st = DecodeEvent(
        absl::Span<const uint8_t>(
            reinterpret_cast<const uint8_t*>(wire.data()), wire.size()),
        &e);
    ASSERT_TRUE(st.ok()) << st;
    got += FormatEventJson(e) + "\n";
  }
  if (getenv("KUCHAN_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(Golden()) << got;
    GTEST_SKIP() << "rewrote " << Golden();
  }
  std::ifstream in(Golden());
  ASSERT_TRUE(in) << "cannot read " << Golden();
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(got, want.str()) << "run with KUCHAN_UPDATE_GOLDEN=1 to accept";
}

}  // namespace
}  // namespace kuchan::cli
