// SPDX-License-Identifier: GPL-2.0
//
// `kuchanctl stats`: the module's event counters (CMD_GET_STATS). Uses no
// protobuf: the `kuchanctl` program runs it itself.
#include <cstdint>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/stats_prometheus.h"
#include "cli/subcommand.h"
#include "userspace/kuchan/connection.h"
#include "userspace/kuchan/event_types.h"
#include "userspace/kuchan/kuchan.ops.h"

namespace kuchan::cli {
namespace {

constexpr char kUsage[] =
    "usage: kuchanctl stats [--json | --prometheus]\n"
    "\n"
    "Shows the module's event counters since it was loaded:\n"
    "  raised                events raised (EMIT, SIGNAL, kernel callers)\n"
    "  multicast             events sent to the monitor group\n"
    "  dropped_no_listener   events nobody was subscribed to (not an error)\n"
    "  dropped_nomem         events lost for lack of memory\n"
    "  dropped_rate_limited  events unprivileged users' requests would have\n"
    "                        raised beyond their rate (module parameter\n"
    "                        user_event_rate)\n"
    "  helper_dropped_queue_full, helper_dropped_user_share,\n"
    "  helper_dropped_nomem  helper runs dropped: queue full, the requesting\n"
    "                        user's share of it used, no memory\n"
    "  subscription_signals_dropped  subscription signals dropped (queue full)\n"
    "  subscriptions_revoked subscriptions ended by a change of credentials\n"
    "  dropped_buffer_full   events a CPU's buffer had no room for (each loss\n"
    "                        is in the stream too, as a `lost' event)\n"
    "  batches               datagrams multicast (each holds one or more events)\n"
    "  last_seq              the number of the last event numbered\n"
    "  raised.<type>         events raised, per type\n"
    "Events lost by a slow subscriber are counted by that subscriber (its\n"
    "sequence numbers jump), not here. Needs CAP_NET_ADMIN (run as root).\n"
    "\n"
    "Options:\n"
    "  --json      one JSON object instead of lines: the schema's field\n"
    "              names (kuchan.Stats), integers as numbers, per_type as\n"
    "              [{\"type\":\"custom\",\"raised\":N},...]\n"
    "  --prometheus  Prometheus' text format, for node_exporter's textfile\n"
    "              collector: kuchan_events_raised_total and the others\n"
    "              (docs/fleet.md lists them)\n"
    "  -h, --help  show this help\n"
    "\n"
    "Examples:\n"
    "  kuchanctl stats\n"
    "  kuchanctl stats --json | jq .last_seq\n"
    "  cd /var/lib/prometheus/node-exporter &&\n"
    "    kuchanctl stats --prometheus > kuchan.prom.new &&\n"
    "    mv kuchan.prom.new kuchan.prom\n";

enum class Format { kText, kJson, kPrometheus };

int RunStats(int argc, char** argv, std::ostream& out, std::ostream& err) {
  Format format = Format::kText;
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (IsHelp(arg)) {
      out << kUsage;
      return kExitOk;
    }
    Format f;
    if (arg == "--json") {
      f = Format::kJson;
    } else if (arg == "--prometheus") {
      f = Format::kPrometheus;
    } else {
      return BadArgument(err, "stats", arg);
    }
    if (format != Format::kText && format != f) {
      return UsageError(err, "stats", "--json and --prometheus exclude each other");
    }
    format = f;
  }
  absl::StatusOr<Connection> conn = Connection::Open();
  if (!conn.ok()) return Failure(err, conn.status());
  msg::Stats st;
  if (absl::Status s = msg::GetStats(*conn, &st); !s.ok()) return Failure(err, s);
  // Every counter, in the order the help lists them.
  const std::pair<const char*, uint64_t> counters[] = {
      {"raised", st.raised.value_or(0)},
      {"multicast", st.multicast.value_or(0)},
      {"dropped_no_listener", st.dropped_no_listener.value_or(0)},
      {"dropped_nomem", st.dropped_nomem.value_or(0)},
      {"dropped_rate_limited", st.dropped_rate_limited.value_or(0)},
      {"helper_dropped_queue_full", st.helper_dropped_queue_full.value_or(0)},
      {"helper_dropped_user_share", st.helper_dropped_user_share.value_or(0)},
      {"helper_dropped_nomem", st.helper_dropped_nomem.value_or(0)},
      {"subscription_signals_dropped", st.subscription_signals_dropped.value_or(0)},
      {"subscriptions_revoked", st.subscriptions_revoked.value_or(0)},
      {"dropped_buffer_full", st.dropped_buffer_full.value_or(0)},
      {"batches", st.batches.value_or(0)},
      {"last_seq", st.last_seq.value_or(0)},
  };
  if (format == Format::kJson) {
    std::string json;
    msg::AppendJson(st, &json);
    out << json << "\n";
    return kExitOk;
  }
  if (format == Format::kPrometheus) {
    out << StatsPrometheus(st);
    return kExitOk;
  }
  for (const auto& [name, value] : counters)
    out << name << ": " << value << "\n";
  for (const msg::TypeStats& t : st.per_type) {
    out << absl::StreamFormat(
        "raised.%s: %d\n",
        EventTypeName(static_cast<int>(t.type.value_or(msg::EVENT_UNSPEC))),
        t.raised.value_or(0));
  }
  return kExitOk;
}

}  // namespace

const Subcommand kStats = {
    "stats",
    "show the module's event counters",
    kUsage,
    RunStats,
};

}  // namespace kuchan::cli
