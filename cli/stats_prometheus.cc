// SPDX-License-Identifier: GPL-2.0
#include "cli/stats_prometheus.h"

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "userspace/kuchan/events.h"

namespace kuchan::cli {
namespace {

struct Sample {
  std::string labels;  // `{reason="nomem"}`, or empty
  uint64_t value;
};

void Metric(std::string* out, const char* name, const char* type,
            const char* help, const std::vector<Sample>& samples) {
  absl::StrAppend(out, "# HELP ", name, " ", help, "\n# TYPE ", name, " ",
                  type, "\n");
  for (const Sample& s : samples)
    absl::StrAppend(out, name, s.labels, " ", s.value, "\n");
}

std::string Label(const char* key, const std::string& value) {
  // The label values here are the schema's type names and fixed reasons:
  // letters, digits and '_', nothing the format would need escaped.
  return absl::StrCat("{", key, "=\"", value, "\"}");
}

}  // namespace

std::string StatsPrometheus(const Stats& st) {
  std::string o;
  Metric(&o, "kuchan_events_raised_total", "counter",
         "Events raised since the module was loaded (EMIT, SIGNAL, helper "
         "changes and runs, kernel callers).",
         {{"", st.raised()}});
  std::vector<Sample> per_type;
  for (const TypeStats& t : st.per_type())
    per_type.push_back({Label("type", EventTypeName(t.type())), t.raised()});
  Metric(&o, "kuchan_events_raised_by_type_total", "counter",
         "Events raised since the module was loaded, by event type.",
         per_type);
  Metric(&o, "kuchan_events_multicast_total", "counter",
         "Events sent to the monitor multicast group.",
         {{"", st.multicast()}});
  Metric(&o, "kuchan_multicast_batches_total", "counter",
         "Datagrams multicast to the monitor group, each holding one or "
         "more events.",
         {{"", st.batches()}});
  Metric(&o, "kuchan_events_dropped_total", "counter",
         "Events not delivered, by reason: no_listener (nobody subscribed, "
         "not an error), nomem, rate_limited (an unprivileged user's "
         "requests beyond user_event_rate), buffer_full (a CPU's event "
         "buffer had no room).",
         {{Label("reason", "no_listener"), st.dropped_no_listener()},
          {Label("reason", "nomem"), st.dropped_nomem()},
          {Label("reason", "rate_limited"), st.dropped_rate_limited()},
          {Label("reason", "buffer_full"), st.dropped_buffer_full()}});
  Metric(&o, "kuchan_helper_runs_dropped_total", "counter",
         "Usermode helper runs dropped, by reason: queue_full, user_share "
         "(the requesting user's share of the queue used), nomem.",
         {{Label("reason", "queue_full"), st.helper_dropped_queue_full()},
          {Label("reason", "user_share"), st.helper_dropped_user_share()},
          {Label("reason", "nomem"), st.helper_dropped_nomem()}});
  Metric(&o, "kuchan_subscription_signals_dropped_total", "counter",
         "Signals to subscribed processes dropped because the signalling "
         "queue was full.",
         {{"", st.subscription_signals_dropped()}});
  Metric(&o, "kuchan_subscriptions_revoked_total", "counter",
         "Signal subscriptions ended because their process's credentials "
         "changed.",
         {{"", st.subscriptions_revoked()}});
  Metric(&o, "kuchan_last_event_seq", "gauge",
         "The sequence number of the last event numbered (0: none yet); it "
         "starts again at 0 when the module is loaded again.",
         {{"", st.last_seq()}});
  return o;
}

}  // namespace kuchan::cli
