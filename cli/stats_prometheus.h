// SPDX-License-Identifier: GPL-2.0
//
// The module's counters (msg::Stats) in Prometheus' text exposition
// format, for node_exporter's textfile collector (`kuchanctl stats
// --prometheus`) and for any scraper: every metric with HELP and TYPE,
// names as Prometheus' naming practices ask (the `kuchan_` prefix, base
// units, `_total` on counters), one metric with a `reason` label where
// the module counts one thing by several causes.
#ifndef KUCHAN_CLI_STATS_PROMETHEUS_H_
#define KUCHAN_CLI_STATS_PROMETHEUS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "userspace/kuchan/kuchan.msg.h"

namespace kuchan::cli {

// One metric of the module's, as both `kuchanctl stats --prometheus` and
// kuchan-eventd's HTTP endpoint (examples/eventd_metrics.h) expose it: the
// one list of names, help texts and labels.
struct StatsMetric {
  struct Sample {
    std::string label_name;  // "" for none; at most one label
    std::string label_value;
    uint64_t value = 0;
  };
  std::string name;
  std::string help;
  bool counter = true;  // else a gauge
  std::vector<Sample> samples;
};

std::vector<StatsMetric> StatsMetrics(const msg::Stats& stats);

// The exposition, ending in a newline:
//   # HELP kuchan_events_raised_total Events raised since the module ...
//   # TYPE kuchan_events_raised_total counter
//   kuchan_events_raised_total 12
//   ...
//   kuchan_events_dropped_total{reason="no_listener"} 3
// docs/fleet.md lists every metric.
std::string StatsPrometheus(const msg::Stats& stats);

}  // namespace kuchan::cli

#endif  // KUCHAN_CLI_STATS_PROMETHEUS_H_
