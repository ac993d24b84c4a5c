// SPDX-License-Identifier: GPL-2.0
#include "examples/eventd_metrics.h"

#include <exception>
#include <mutex>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "cli/stats_prometheus.h"
#include "prometheus/client_metric.h"
#include "prometheus/metric_family.h"
#include "userspace/kuchan/connection.h"
#include "userspace/kuchan/kuchan.ops.h"

namespace kuchan::eventd {
namespace {

prometheus::MetricFamily Family(const std::string& name, const std::string& help,
                                prometheus::MetricType type) {
  prometheus::MetricFamily f;
  f.name = name;
  f.help = help;
  f.type = type;
  return f;
}

prometheus::ClientMetric Value(prometheus::MetricType type, double v) {
  prometheus::ClientMetric m;
  if (type == prometheus::MetricType::Counter) {
    m.counter.value = v;
  } else {
    m.gauge.value = v;
  }
  return m;
}

// Reads GET_STATS at each scrape, on the server's threads: one connection,
// opened on first use and again after a failure (the module reloaded).
class Collector : public prometheus::Collectable {
 public:
  explicit Collector(const DaemonCounters* daemon) : daemon_(daemon) {}

  std::vector<prometheus::MetricFamily> Collect() const override {
    std::lock_guard<std::mutex> lock(mu_);
    std::optional<msg::Stats> stats;
    if (!conn_) {
      absl::StatusOr<Connection> c = Connection::Open("kuchan-eventd");
      if (c.ok()) conn_.emplace(*std::move(c));
    }
    if (conn_) {
      msg::Stats st;
      if (msg::GetStats(*conn_, &st).ok()) {
        stats = std::move(st);
      } else {
        conn_.reset();
      }
    }
    return EventdMetricFamilies(stats ? &*stats : nullptr, *daemon_);
  }

 private:
  const DaemonCounters* daemon_;
  mutable std::mutex mu_;
  mutable std::optional<Connection> conn_;
};

}  // namespace

std::vector<prometheus::MetricFamily> EventdMetricFamilies(
    const msg::Stats* stats, const DaemonCounters& daemon) {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> out;
  auto up = Family("kuchan_module_up",
                   "1 when the kuchan module answered this scrape, else 0 "
                   "(not loaded; the module's metrics are then absent).",
                   MetricType::Gauge);
  up.metric.push_back(Value(MetricType::Gauge, stats != nullptr ? 1 : 0));
  out.push_back(std::move(up));
  if (stats != nullptr) {
    for (const cli::StatsMetric& m : cli::StatsMetrics(*stats)) {
      const MetricType type = m.counter ? MetricType::Counter : MetricType::Gauge;
      auto f = Family(m.name, m.help, type);
      for (const cli::StatsMetric::Sample& s : m.samples) {
        prometheus::ClientMetric cm = Value(type, static_cast<double>(s.value));
        if (!s.label_name.empty()) cm.label.push_back({s.label_name, s.label_value});
        f.metric.push_back(std::move(cm));
      }
      out.push_back(std::move(f));
    }
  }
  const std::pair<const char*, const char*> own[] = {
      {"kuchan_eventd_events_received_total",
       "Events kuchan-eventd received from the monitor group."},
      {"kuchan_eventd_events_lost_total",
       "Events kuchan-eventd lost because its socket's buffer overflowed."},
      {"kuchan_eventd_module_reloads_total",
       "Times kuchan-eventd followed the module being loaded again."},
  };
  const uint64_t values[] = {daemon.received.load(), daemon.lost.load(),
                             daemon.reloads.load()};
  for (size_t i = 0; i < 3; ++i) {
    auto f = Family(own[i].first, own[i].second, MetricType::Counter);
    f.metric.push_back(
        Value(MetricType::Counter, static_cast<double>(values[i])));
    out.push_back(std::move(f));
  }
  return out;
}

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(
    const std::string& address, const DaemonCounters* daemon) {
  std::unique_ptr<MetricsServer> s(new MetricsServer());
  s->collector_ = std::make_shared<Collector>(daemon);
  // prometheus-cpp (civetweb underneath) reports a failure to listen by
  // throwing; it goes no further than here.
  try {
    s->exposer_ = std::make_unique<prometheus::Exposer>(address, 1);
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot serve metrics on ", address, ": ", e.what()));
  }
  s->exposer_->RegisterCollectable(s->collector_);
  return s;
}

MetricsServer::~MetricsServer() = default;

int MetricsServer::port() const {
  const std::vector<int> ports = exposer_->GetListeningPorts();
  return ports.empty() ? 0 : ports[0];
}

}  // namespace kuchan::eventd
