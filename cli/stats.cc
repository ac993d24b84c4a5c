// SPDX-License-Identifier: GPL-2.0
//
// `kuchanctl stats`: the module's event counters (CMD_GET_STATS).
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/json.h"
#include "cli/subcommand.h"
#include "userspace/kuchan/client.h"
#include "userspace/kuchan/events.h"

namespace kuchan::cli {
namespace {

constexpr char kUsage[] =
    "usage: kuchanctl stats [--json]\n"
    "\n"
    "Shows the module's event counters since it was loaded:\n"
    "  raised                events raised (EMIT, SIGNAL, kernel callers)\n"
    "  multicast             events sent to the monitor group\n"
    "  dropped_no_listener   events nobody was subscribed to (not an error)\n"
    "  dropped_nomem         events lost for lack of memory\n"
    "  last_seq              the number of the last event numbered\n"
    "  raised.<type>         events raised, per type\n"
    "Events lost by a slow subscriber are counted by that subscriber (its\n"
    "sequence numbers jump), not here. Needs CAP_NET_ADMIN (run as root).\n"
    "\n"
    "Options:\n"
    "  --json      one JSON object instead of lines\n"
    "  -h, --help  show this help\n"
    "\n"
    "Examples:\n"
    "  kuchanctl stats\n"
    "  kuchanctl stats --json\n";

int RunStats(int argc, char** argv, std::ostream& out, std::ostream& err) {
  bool json = false;
  if (int rc = ParseJsonOnly(argc, argv, "stats", kUsage, out, err, &json);
      rc >= 0) {
    return rc;
  }
  absl::StatusOr<Client> client = Client::Connect();
  if (!client.ok()) return Failure(err, client.status());
  absl::StatusOr<Stats> st = GetStats(*client);
  if (!st.ok()) return Failure(err, st.status());
  if (json) {
    std::string s = absl::StrFormat(
        "{\"raised\":%d,\"multicast\":%d,\"dropped_no_listener\":%d,"
        "\"dropped_nomem\":%d,\"last_seq\":%d,\"raised_per_type\":{",
        st->raised(), st->multicast(), st->dropped_no_listener(),
        st->dropped_nomem(), st->last_seq());
    const char* sep = "";
    for (const TypeStats& t : st->per_type()) {
      absl::StrAppend(&s, sep, JsonString(EventTypeName(t.type())), ":",
                      t.raised());
      sep = ",";
    }
    out << s << "}}\n";
    return kExitOk;
  }
  out << absl::StreamFormat(
      "raised: %d\nmulticast: %d\ndropped_no_listener: %d\ndropped_nomem: %d\n"
      "last_seq: %d\n",
      st->raised(), st->multicast(), st->dropped_no_listener(),
      st->dropped_nomem(), st->last_seq());
  for (const TypeStats& t : st->per_type()) {
    out << absl::StreamFormat("raised.%s: %d\n", EventTypeName(t.type()),
                              t.raised());
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
