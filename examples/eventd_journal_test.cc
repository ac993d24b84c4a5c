// SPDX-License-Identifier: GPL-2.0
//
// kuchan-eventd's journal entries: the fields each event type gives, the
// names the journal accepts, MESSAGE_IDs that are well-formed and
// distinct. The VM suite (tests/guest/journal_test.cc) reads them back
// from a real journald.
#include "examples/eventd_journal.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "proto/kuchan.pb.h"
#include "userspace/kuchan/test_messages.h"

namespace kuchan::eventd {
namespace {

std::multimap<std::string, std::string> Fields(
    const std::vector<std::string>& entry) {
  std::multimap<std::string, std::string> m;
  for (const std::string& f : entry) {
    const size_t eq = f.find('=');
    EXPECT_NE(eq, std::string::npos) << f;
    m.emplace(f.substr(0, eq), f.substr(eq + 1));
  }
  return m;
}

// An event written in text format, as the daemon reads it from the wire.
msg::Event Parse(const char* text) {
  return wire::ParseTyped<Event, msg::Event>(text);
}

// The journal's rule for a field name (journal-fields(7), sd_journal_print).
bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 64 || name[0] == '_' ||
      (name[0] >= '0' && name[0] <= '9'))
    return false;
  for (char c : name) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  }
  return true;
}

TEST(EventdJournal, CustomEventFields) {
  const auto f = Fields(EventEntry(Parse(R"pb(
      seq: 41 timestamp_ns: 1795355096770205753 type: EVENT_CUSTOM
      origin: ORIGIN_USER
      actor { pid: 172 tgid: 172 uid: 1000 comm: "door-bot" start_time: 4242 }
      custom { code: 0x7e57 data { key: "door" value: "open" }
               data { key: "room-no.7" value: "a b" } })pb")));
  const std::multimap<std::string, std::string> want = {
      {"MESSAGE",
       "kuchan event 41: pid 172 (door-bot) uid 1000 raised custom event "
       "0x7e57 door=open room-no.7=a b"},
      {"MESSAGE_ID", EventMessageId(EVENT_CUSTOM)},
      {"PRIORITY", "6"},
      {"KUCHAN_SEQ", "41"},
      {"KUCHAN_EVENT", "custom"},
      {"KUCHAN_EVENT_TYPE", "4"},
      {"KUCHAN_TIME", "1795355096.770205753"},
      {"KUCHAN_ORIGIN", "user"},
      {"KUCHAN_ACTOR_PID", "172"},
      {"KUCHAN_ACTOR_TGID", "172"},
      {"KUCHAN_ACTOR_UID", "1000"},
      {"KUCHAN_ACTOR_COMM", "door-bot"},
      {"KUCHAN_ACTOR_START_TIME", "4242"},
      {"KUCHAN_CODE", "32343"},
      {"KUCHAN_DATA_DOOR", "open"},
      {"KUCHAN_DATA_ROOM_NO_7", "a b"},
  };
  EXPECT_EQ(f, want);
}

TEST(EventdJournal, SignalSentAndLost) {
  auto f = Fields(EventEntry(Parse(R"pb(
      seq: 2 timestamp_ns: 5 type: EVENT_SIGNAL_SENT origin: ORIGIN_USER
      actor { pid: 173 tgid: 173 uid: 0 comm: "kuchanctl" }
      signal_sent { target { pid: 412 tgid: 412 uid: 1000 comm: "sleep" }
                    signal: 10 error: 1 })pb")));
  EXPECT_EQ(f.find("KUCHAN_TARGET_PID")->second, "412");
  EXPECT_EQ(f.find("KUCHAN_TARGET_COMM")->second, "sleep");
  EXPECT_EQ(f.find("KUCHAN_SIGNAL")->second, "10");
  EXPECT_EQ(f.find("KUCHAN_ERROR")->second, "1");
  EXPECT_EQ(f.find("KUCHAN_TIME")->second, "0.000000005");
  EXPECT_EQ(f.find("MESSAGE")->second,
            "kuchan event 2: pid 173 (kuchanctl) uid 0 sent signal 10 to pid "
            "412 (sleep) uid 1000: Operation not permitted");

  f = Fields(EventEntry(Parse(R"pb(
      seq: 9 type: EVENT_LOST origin: ORIGIN_KERNEL lost { count: 12 cpu: 1 })pb")));
  EXPECT_EQ(f.find("PRIORITY")->second, "4");
  EXPECT_EQ(f.find("KUCHAN_ORIGIN")->second, "kernel");
  EXPECT_EQ(f.find("KUCHAN_COUNT")->second, "12");
  EXPECT_EQ(f.find("KUCHAN_CPU")->second, "1");
  EXPECT_EQ(f.count("KUCHAN_ACTOR_PID"), 0u);
}

TEST(EventdJournal, EveryFieldNameIsOneTheJournalTakes) {
  for (const char* text : {
           R"pb(type: EVENT_CUSTOM custom { code: 1 data { key: "x-y" value: "" }
                                            data { key: "lower" value: "1" } })pb",
           R"pb(type: EVENT_HELPER_CHANGED actor { pid: 1 }
                helper_changed { helper { path: "/x" args { value: "a" } } })pb",
           R"pb(type: EVENT_HELPER_RAN helper_ran { path: "/x" event_seq: 3
                                                   exit_status: 256 })pb",
           R"pb(type: EVENT_HELPER_DROPPED helper_dropped { count: 3 })pb",
       }) {
    for (const auto& [name, value] : Fields(EventEntry(Parse(text))))
      EXPECT_TRUE(ValidName(name)) << name << " in " << text;
  }
  for (Notice n : {Notice::kLost, Notice::kModuleUnloaded,
                   Notice::kModuleLoaded}) {
    for (const auto& [name, value] : Fields(NoticeEntry(n, 3)))
      EXPECT_TRUE(ValidName(name)) << name;
  }
}

TEST(EventdJournal, MessageIdsAreDistinct128BitIds) {
  std::set<std::string> ids;
  for (int t = 0; t <= EventType_MAX; ++t) ids.insert(EventMessageId(t));
  EXPECT_EQ(EventMessageId(EventType_MAX + 1), EventMessageId(0));
  for (Notice n : {Notice::kLost, Notice::kModuleUnloaded,
                   Notice::kModuleLoaded})
    ids.insert(NoticeMessageId(n));
  EXPECT_EQ(ids.size(), static_cast<size_t>(EventType_MAX + 1 + 3));
  for (const std::string& id : ids) {
    EXPECT_EQ(id.size(), 32u) << id;
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos)
        << id;
  }
}

}  // namespace
}  // namespace kuchan::eventd
