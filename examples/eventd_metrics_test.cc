// SPDX-License-Identifier: GPL-2.0
//
// kuchan-eventd's metrics as a scrape shows them: prometheus-cpp's text
// serializer over EventdMetricFamilies(), against the names `kuchanctl
// stats --prometheus` uses; and the server on a real socket.
#include "examples/eventd_metrics.h"

#include <string>

#include "absl/strings/match.h"
#include "cli/stats_prometheus.h"
#include "gtest/gtest.h"
#include "prometheus/text_serializer.h"

namespace kuchan::eventd {
namespace {

msg::Stats Sample() {
  msg::Stats st;
  st.raised = 12;
  st.dropped_buffer_full = 7;
  st.last_seq = 11;
  st.per_type.push_back({msg::EVENT_CUSTOM, 9});
  return st;
}

std::string Scrape(const msg::Stats* st, const DaemonCounters& d) {
  return prometheus::TextSerializer().Serialize(EventdMetricFamilies(st, d));
}

TEST(EventdMetrics, ModuleCountersUnderKuchanctlsNames) {
  DaemonCounters d;
  d.received = 5;
  d.lost = 2;
  d.reloads = 1;
  const msg::Stats st = Sample();
  const std::string out = Scrape(&st, d);
  for (const char* want : {
           "kuchan_module_up 1\n",
           "kuchan_events_raised_total 12\n",
           "kuchan_events_raised_by_type_total{type=\"custom\"} 9\n",
           "kuchan_events_dropped_total{reason=\"buffer_full\"} 7\n",
           "kuchan_last_event_seq 11\n",
           "kuchan_eventd_events_received_total 5\n",
           "kuchan_eventd_events_lost_total 2\n",
           "kuchan_eventd_module_reloads_total 1\n",
           "# TYPE kuchan_events_raised_total counter\n",
       }) {
    EXPECT_TRUE(absl::StrContains(out, want)) << want << "in:\n" << out;
  }
  EXPECT_FALSE(absl::StrContains(out, "_total_total")) << out;
  // Every metric kuchanctl prints is served, under the same name.
  for (const cli::StatsMetric& m : cli::StatsMetrics(st))
    EXPECT_TRUE(absl::StrContains(out, "\n" + m.name + " ") ||
                absl::StrContains(out, "\n" + m.name + "{"))
        << m.name;
}

TEST(EventdMetrics, WithoutTheModuleOnlyTheDaemonsAndUp) {
  const std::string out = Scrape(nullptr, DaemonCounters());
  EXPECT_TRUE(absl::StrContains(out, "kuchan_module_up 0\n")) << out;
  EXPECT_FALSE(absl::StrContains(out, "kuchan_events_raised")) << out;
  EXPECT_TRUE(absl::StrContains(out, "kuchan_eventd_events_received_total 0"))
      << out;
}

TEST(EventdMetrics, AnAddressItCannotUseIsAnError) {
  DaemonCounters d;
  absl::StatusOr<std::unique_ptr<MetricsServer>> s =
      MetricsServer::Start("256.1.1.1:1", &d);
  EXPECT_TRUE(absl::IsInvalidArgument(s.status())) << s.status();
  s = MetricsServer::Start("127.0.0.1:0", &d);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_GT((*s)->port(), 0);
}

}  // namespace
}  // namespace kuchan::eventd
