// SPDX-License-Identifier: GPL-2.0
#include "cli/stats_prometheus.h"

#include <set>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace kuchan::cli {
namespace {

msg::Stats Sample() {
  msg::Stats st;
  st.raised = 12;
  st.multicast = 10;
  st.dropped_no_listener = 2;
  st.dropped_rate_limited = 5;
  st.dropped_buffer_full = 7;
  st.helper_dropped_user_share = 3;
  st.batches = 4;
  st.last_seq = 18446744073709551615u;
  st.per_type.push_back({msg::EVENT_CUSTOM, 9});
  st.per_type.push_back({msg::EVENT_SIGNAL_SENT, 3});
  return st;
}

TEST(StatsPrometheus, SamplesCarryTheCounters) {
  const std::string out = StatsPrometheus(Sample());
  for (const char* line : {
           "kuchan_events_raised_total 12\n",
           "kuchan_events_raised_by_type_total{type=\"custom\"} 9\n",
           "kuchan_events_raised_by_type_total{type=\"signal_sent\"} 3\n",
           "kuchan_events_multicast_total 10\n",
           "kuchan_multicast_batches_total 4\n",
           "kuchan_events_dropped_total{reason=\"no_listener\"} 2\n",
           "kuchan_events_dropped_total{reason=\"nomem\"} 0\n",
           "kuchan_events_dropped_total{reason=\"rate_limited\"} 5\n",
           "kuchan_events_dropped_total{reason=\"buffer_full\"} 7\n",
           "kuchan_helper_runs_dropped_total{reason=\"user_share\"} 3\n",
           "kuchan_subscription_signals_dropped_total 0\n",
           "kuchan_subscriptions_revoked_total 0\n",
           "kuchan_last_event_seq 18446744073709551615\n",
       }) {
    EXPECT_TRUE(absl::StrContains(out, line)) << line << "in:\n" << out;
  }
}

// The exposition format's rules: every sample's metric has exactly one
// HELP and one TYPE line before its first sample; counters end in _total;
// every line ends with a newline.
TEST(StatsPrometheus, WellFormed) {
  const std::string out = StatsPrometheus(Sample());
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  std::set<std::string> helped, typed, counters;
  for (absl::string_view line : absl::StrSplit(out, '\n', absl::SkipEmpty())) {
    const std::vector<std::string> f =
        absl::StrSplit(line, absl::MaxSplits(' ', 3));
    if (absl::StartsWith(line, "# HELP ")) {
      ASSERT_GE(f.size(), 4u) << line;
      EXPECT_TRUE(helped.insert(f[2]).second) << "two HELP for " << f[2];
    } else if (absl::StartsWith(line, "# TYPE ")) {
      ASSERT_EQ(f.size(), 4u) << line;
      EXPECT_TRUE(typed.insert(f[2]).second) << "two TYPE for " << f[2];
      EXPECT_TRUE(f[3] == "counter" || f[3] == "gauge") << line;
      if (f[3] == "counter") counters.insert(f[2]);
    } else {
      const std::string name(line.substr(0, line.find_first_of("{ ")));
      EXPECT_TRUE(helped.count(name) && typed.count(name)) << line;
      EXPECT_TRUE(absl::StartsWith(name, "kuchan_")) << line;
    }
  }
  for (const std::string& c : counters)
    EXPECT_TRUE(absl::EndsWith(c, "_total")) << c;
  EXPECT_EQ(helped, typed);
}

}  // namespace
}  // namespace kuchan::cli
