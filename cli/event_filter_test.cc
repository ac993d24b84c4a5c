// SPDX-License-Identifier: GPL-2.0
//
// `kuchanctl monitor`'s filters on the scripted stream (every event type):
// each option, alone and combined, selects exactly the events it should.
#include "cli/event_filter.h"

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "cli/event_script_testing.h"
#include "gtest/gtest.h"

namespace kuchan::cli {
namespace {

using Options = std::vector<std::pair<std::string, std::string>>;

// The sequence numbers of the scripted events `options` let through.
std::vector<uint64_t> Selected(const Options& options) {
  EventFilter f;
  for (const auto& [opt, value] : options) {
    const absl::Status st = f.Add(opt, value);
    EXPECT_TRUE(st.ok()) << opt << " " << value << ": " << st;
  }
  std::vector<uint64_t> seqs;
  for (const char* text : test_support::kEventScript) {
    const msg::Event e = test_support::ScriptEvent(text);
    if (f.Matches(e)) seqs.push_back(e.seq.value_or(0));
  }
  return seqs;
}

using Seqs = std::vector<uint64_t>;

TEST(EventFilter, NoneLetsEverythingThrough) {
  EXPECT_EQ(Selected({}), (Seqs{1, 2, 3, 4, 5, 6, 7}));
}

TEST(EventFilter, Type) {
  EXPECT_EQ(Selected({{"--type", "custom"}}), (Seqs{1, 7}));
  EXPECT_EQ(Selected({{"--type", "custom"}, {"--type", "lost"}}),
            (Seqs{1, 6, 7}));
  // --type is the one filter a lost event must pass.
  EXPECT_EQ(Selected({{"--type", "signal_sent"}}), (Seqs{2}));
}

TEST(EventFilter, PidMatchesActorOrTarget) {
  EXPECT_EQ(Selected({{"--pid", "173"}}), (Seqs{2, 6}));  // the actor
  EXPECT_EQ(Selected({{"--pid", "412"}}), (Seqs{2, 6}));  // the target
  EXPECT_EQ(Selected({{"--pid", "172"}, {"--pid", "1"}}), (Seqs{1, 3, 6}));
  EXPECT_EQ(Selected({{"--pid", "999"}}), (Seqs{6}));
}

TEST(EventFilter, Uid) {
  EXPECT_EQ(Selected({{"--uid", "1000"}}), (Seqs{2, 6}));
  // Events without a process (helper_ran, the kernel's custom) never match.
  EXPECT_EQ(Selected({{"--uid", "0"}}), (Seqs{1, 3, 6}));
}

TEST(EventFilter, CommIsAShellPattern) {
  EXPECT_EQ(Selected({{"--comm", "sleep"}}), (Seqs{2, 6}));
  EXPECT_EQ(Selected({{"--comm", "kuchan*"}}), (Seqs{1, 2, 6}));
  EXPECT_EQ(Selected({{"--comm", "in?t"}}), (Seqs{3, 6}));
  EXPECT_EQ(Selected({{"--comm", "kuchan"}}), (Seqs{6}));  // whole names
}

TEST(EventFilter, CodeAndData) {
  EXPECT_EQ(Selected({{"--code", "9"}}), (Seqs{1, 6}));
  EXPECT_EQ(Selected({{"--code", "0xffffffff"}}), (Seqs{6, 7}));
  EXPECT_EQ(Selected({{"--code", "9"}, {"--code", "0XFFFFFFFF"}}),
            (Seqs{1, 6, 7}));
  EXPECT_EQ(Selected({{"--data", "room=7"}}), (Seqs{1, 6}));
  EXPECT_EQ(Selected({{"--data", "room=8"}}), (Seqs{6}));
  EXPECT_EQ(Selected({{"--data", "door=open"}, {"--data", "door=closed"}}),
            (Seqs{1, 6}));
}

TEST(EventFilter, DifferentOptionsMustAllHold) {
  EXPECT_EQ(Selected({{"--type", "custom"}, {"--uid", "0"}}), (Seqs{1}));
  EXPECT_EQ(Selected({{"--uid", "1000"}, {"--comm", "sleep"}}), (Seqs{2, 6}));
  EXPECT_EQ(Selected({{"--uid", "0"}, {"--comm", "sleep"}}), (Seqs{6}));
  EXPECT_EQ(Selected({{"--code", "9"}, {"--data", "door=closed"},
                      {"--type", "custom"}}),
            (Seqs{1}));
}

TEST(EventFilter, BadValuesAreRefusedPlainly) {
  EventFilter f;
  const std::pair<const char*, const char*> bad[] = {
      {"--type", "bogus"}, {"--pid", "0"},       {"--pid", "-3"},
      {"--pid", "x"},      {"--uid", "root"},    {"--comm", ""},
      {"--code", "0xg"},   {"--code", "-1"},     {"--data", "novalue"},
      {"--data", "=v"},    {"--bogus", "1"},
  };
  for (const auto& [opt, value] : bad) {
    const absl::Status st = f.Add(opt, value);
    EXPECT_TRUE(absl::IsInvalidArgument(st)) << opt << " " << value;
    EXPECT_FALSE(st.message().empty());
  }
  EXPECT_EQ(std::string(f.Add("--pid", "x").message()), "invalid pid `x'");
  EXPECT_TRUE(EventFilter::IsFilterOption("--comm"));
  EXPECT_FALSE(EventFilter::IsFilterOption("--json"));
}

}  // namespace
}  // namespace kuchan::cli
