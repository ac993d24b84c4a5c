// SPDX-License-Identifier: GPL-2.0
//
// kuchan-eventd's Prometheus endpoint (prometheus-cpp's Exposer): on each
// scrape, the module's counters read fresh with GET_STATS (the names and
// help texts `kuchanctl stats --prometheus` prints: cli/stats_prometheus.h),
// whether the module answered (kuchan_module_up), and the daemon's own
// counters: events received, events lost by its socket, module reloads
// followed.
#ifndef KUCHAN_EXAMPLES_EVENTD_METRICS_H_
#define KUCHAN_EXAMPLES_EVENTD_METRICS_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "prometheus/collectable.h"
#include "prometheus/exposer.h"
#include "userspace/kuchan/kuchan.msg.h"

namespace kuchan::eventd {

// What the main loop counts; read by scrapes on the server's threads.
struct DaemonCounters {
  std::atomic<uint64_t> received{0};
  std::atomic<uint64_t> lost{0};
  std::atomic<uint64_t> reloads{0};
};

// The families a scrape returns, from `stats` (none when the module did
// not answer) and the daemon's counters.
std::vector<prometheus::MetricFamily> EventdMetricFamilies(
    const msg::Stats* stats, const DaemonCounters& daemon);

class MetricsServer {
 public:
  // Serves /metrics on `address` ("127.0.0.1:9563", "[::1]:9563"; a bare
  // port listens on every address). InvalidArgument with the server's
  // reason when it cannot listen there.
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(
      const std::string& address, const DaemonCounters* daemon);
  ~MetricsServer();

  // The port it listens on (for an address with port 0).
  int port() const;

 private:
  MetricsServer() = default;
  std::shared_ptr<prometheus::Collectable> collector_;
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace kuchan::eventd

#endif  // KUCHAN_EXAMPLES_EVENTD_METRICS_H_
