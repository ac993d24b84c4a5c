// SPDX-License-Identifier: GPL-2.0
#include "cli/stats_prometheus.h"

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "userspace/kuchan/event_types.h"

namespace kuchan::cli {
namespace {

using Sample = StatsMetric::Sample;

Sample Plain(uint64_t v) { return {"", "", v}; }
Sample Reason(const char* r, uint64_t v) { return {"reason", r, v}; }

}  // namespace

std::vector<StatsMetric> StatsMetrics(const msg::Stats& st) {
  std::vector<Sample> per_type;
  for (const msg::TypeStats& t : st.per_type) {
    const int type = static_cast<int>(t.type.value_or(msg::EVENT_UNSPEC));
    per_type.push_back({"type", EventTypeName(type), t.raised.value_or(0)});
  }
  return {
      {"kuchan_events_raised_total",
       "Events raised since the module was loaded (EMIT, SIGNAL, helper "
       "changes and runs, kernel callers).",
       true,
       {Plain(st.raised.value_or(0))}},
      {"kuchan_events_raised_by_type_total",
       "Events raised since the module was loaded, by event type.", true,
       per_type},
      {"kuchan_events_multicast_total",
       "Events sent to the monitor multicast group.", true,
       {Plain(st.multicast.value_or(0))}},
      {"kuchan_multicast_batches_total",
       "Datagrams multicast to the monitor group, each holding one or more "
       "events.",
       true,
       {Plain(st.batches.value_or(0))}},
      {"kuchan_events_dropped_total",
       "Events not delivered, by reason: no_listener (nobody subscribed, "
       "not an error), nomem, rate_limited (an unprivileged user's requests "
       "beyond user_event_rate), buffer_full (a CPU's event buffer had no "
       "room).",
       true,
       {Reason("no_listener", st.dropped_no_listener.value_or(0)),
        Reason("nomem", st.dropped_nomem.value_or(0)),
        Reason("rate_limited", st.dropped_rate_limited.value_or(0)),
        Reason("buffer_full", st.dropped_buffer_full.value_or(0))}},
      {"kuchan_helper_runs_dropped_total",
       "Usermode helper runs dropped, by reason: queue_full, user_share (the "
       "requesting user's share of the queue used), nomem.",
       true,
       {Reason("queue_full", st.helper_dropped_queue_full.value_or(0)),
        Reason("user_share", st.helper_dropped_user_share.value_or(0)),
        Reason("nomem", st.helper_dropped_nomem.value_or(0))}},
      {"kuchan_subscription_signals_dropped_total",
       "Signals to subscribed processes dropped because the signalling queue "
       "was full.",
       true,
       {Plain(st.subscription_signals_dropped.value_or(0))}},
      {"kuchan_subscriptions_revoked_total",
       "Signal subscriptions ended because their process's credentials "
       "changed.",
       true,
       {Plain(st.subscriptions_revoked.value_or(0))}},
      {"kuchan_last_event_seq",
       "The sequence number of the last event numbered (0: none yet); it "
       "starts again at 0 when the module is loaded again.",
       false,
       {Plain(st.last_seq.value_or(0))}},
  };
}

std::string StatsPrometheus(const msg::Stats& st) {
  std::string o;
  for (const StatsMetric& m : StatsMetrics(st)) {
    absl::StrAppend(&o, "# HELP ", m.name, " ", m.help, "\n# TYPE ", m.name,
                    m.counter ? " counter\n" : " gauge\n");
    for (const Sample& s : m.samples) {
      // The label values are the schema's type names and fixed reasons:
      // letters, digits and '_', nothing the format would need escaped.
      absl::StrAppend(&o, m.name);
      if (!s.label_name.empty())
        absl::StrAppend(&o, "{", s.label_name, "=\"", s.label_value, "\"}");
      absl::StrAppend(&o, " ", s.value, "\n");
    }
  }
  return o;
}

}  // namespace kuchan::cli
