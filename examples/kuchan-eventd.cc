// SPDX-License-Identifier: GPL-2.0
//
// kuchan-eventd: an example daemon built on kuchan::Subscriber and epoll.
//
// It logs every signal sent through kuchan (who sent which signal to whom,
// and whether it was delivered) and every custom event: to the systemd
// journal through its native protocol, one entry per event with every field
// its own journal field and a MESSAGE_ID per type (eventd_journal.h), or
// one line each on stdout. It acts on one thing: a custom
// event with code 0x5ca1e ("rescan") makes it re-read its configuration
// file. It runs no commands: a daemon that acts on events named by other
// processes must not let them choose what it runs.
//
// Lost events are logged with their count; module unload and reload are
// followed. SIGTERM or SIGINT stops it; SIGHUP re-reads the configuration.
// Under systemd it is Type=notify: READY=1 once subscribed, RELOADING=1
// around a reload, STOPPING=1 at the end.
//
//   kuchan-eventd [--config FILE] [--buffer BYTES] [--output journal|stdout]
//                 [--metrics ADDRESS]
//
// --metrics (or `metrics = ADDRESS` in the configuration) serves Prometheus
// metrics on http://ADDRESS/metrics: the module's counters, read at each
// scrape, and the daemon's own (eventd_metrics.h).
// --output defaults to journal when systemd connected stdout to the journal
// ($JOURNAL_STREAM is set), else stdout.
//
// The configuration file holds one event type name per line (signal_sent,
// custom, ...): the types to log (empty or missing: signal_sent and custom),
// and optionally `metrics = ADDRESS`.
#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "examples/eventd_journal.h"
#include "examples/eventd_metrics.h"
#include "userspace/kuchan/event_types.h"
#include "userspace/kuchan/subscriber.h"

namespace {

constexpr uint32_t kRescanCode = 0x5ca1e;

// The configuration file: one event type name per line (the types to log),
// `output = journal|stdout` and `metrics = ADDRESS` (the Prometheus
// endpoint's address); # starts a comment. The command line's options win;
// output and metrics are read at start only, the types at each reload.
struct Config {
  std::set<int> types;
  std::string metrics;
  std::optional<bool> journal;  // `output = journal|stdout`
};

Config LoadConfig(const std::string& path) {
  Config c;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view v = absl::StripAsciiWhitespace(line);
    if (v.empty() || v[0] == '#') continue;
    if (const size_t eq = v.find('='); eq != absl::string_view::npos) {
      const absl::string_view key = absl::StripAsciiWhitespace(v.substr(0, eq));
      const absl::string_view value =
          absl::StripAsciiWhitespace(v.substr(eq + 1));
      if (key == "metrics") {
        c.metrics = std::string(value);
      } else if (key == "output" && (value == "journal" || value == "stdout")) {
        c.journal = value == "journal";
      } else {
        std::cerr << "kuchan-eventd: " << path << ": unknown setting `" << key
                  << "', ignored\n";
      }
      continue;
    }
    kuchan::msg::EventType t;
    if (kuchan::ParseEventTypeName(v, &t)) {
      c.types.insert(static_cast<kuchan::msg::EventType>(t));
    } else {
      std::cerr << "kuchan-eventd: " << path << ": unknown event type `" << v
                << "', ignored\n";
    }
  }
  if (c.types.empty())
    c.types = {kuchan::msg::EVENT_SIGNAL_SENT, kuchan::msg::EVENT_CUSTOM};
  std::cout << "kuchan-eventd: logging " << c.types.size() << " event types\n";
  return c;
}

bool to_journal = false;

// Logs an entry to the journal; says so on stderr (once) when it cannot.
void Journal(const std::vector<std::string>& entry) {
  static bool warned = false;
  const absl::Status st = kuchan::eventd::SendToJournal(entry);
  if (!st.ok() && !warned) {
    std::cerr << "kuchan-eventd: " << st.message() << "\n";
    warned = true;
  }
}

void Notice(kuchan::eventd::Notice n, uint64_t lost, const std::string& line) {
  if (to_journal) {
    Journal(kuchan::eventd::NoticeEntry(n, lost));
  } else {
    std::cout << "kuchan-eventd: " << line << "\n";
  }
}

void Log(const kuchan::msg::Event& e) {
  if (to_journal) {
    Journal(kuchan::eventd::EventEntry(e));
    return;
  }
  const uint64_t seq = e.seq.value_or(0);
  std::string who = "the kernel";
  if (e.actor) {
    who = absl::StrFormat("pid %d (%s) uid %d", e.actor->tgid.value_or(0),
                          e.actor->comm.value_or(""), e.actor->uid.value_or(0));
  }
  if (const auto& s = e.signal_sent) {
    const kuchan::msg::Process t = s->target.value_or(kuchan::msg::Process{});
    const uint32_t error = s->error.value_or(0);
    std::cout << absl::StreamFormat(
        "seq %d: %s sent signal %d to pid %d (%s) uid %d: %s\n", seq, who,
        s->signal.value_or(0), t.pid.value_or(0), t.comm.value_or(""),
        t.uid.value_or(0),
        error == 0 ? "delivered" : strerror(static_cast<int>(error)));
  } else if (const auto& c = e.custom) {
    std::string data;
    for (const kuchan::msg::KeyValue& kv : c->data) {
      absl::StrAppend(&data, " ", kv.key.value_or(""), "=",
                      kv.value.value_or(""));
    }
    std::cout << absl::StreamFormat("seq %d: %s raised custom event %#x%s\n",
                                    seq, who, c->code.value_or(0), data);
  } else {
    std::cout << absl::StreamFormat(
        "seq %d: %s from %s\n", seq,
        kuchan::EventTypeName(static_cast<int>(
            e.type.value_or(kuchan::msg::EVENT_UNSPEC))),
        who);
  }
}

constexpr char kUsage[] =
    "usage: kuchan-eventd [--config FILE] [--buffer BYTES]\n"
    "                     [--output journal|stdout] [--metrics ADDRESS]\n"
    "\n"
    "Logs kuchan's events (the monitor group) to the systemd journal, one\n"
    "entry per event with its fields, or one line each on stdout; serves\n"
    "Prometheus metrics on request. Needs CAP_NET_ADMIN.\n"
    "\n"
    "  --config FILE      event types to log, one per line (default\n"
    "                     signal_sent and custom), `output = ...' and\n"
    "                     `metrics = ...' lines (default\n"
    "                     /etc/kuchan/eventd.conf)\n"
    "  --buffer BYTES     the socket's receive buffer (default 4 MiB)\n"
    "  --output WHERE     journal, or stdout (default: journal when systemd\n"
    "                     connected stdout to it, $JOURNAL_STREAM)\n"
    "  --metrics ADDRESS  serve http://ADDRESS/metrics (127.0.0.1:9563)\n"
    "  -h, --help         show this help\n"
    "\n"
    "SIGHUP re-reads the event types; SIGTERM stops. See kuchan-eventd(8).\n";

}  // namespace

int main(int argc, char** argv) {
  std::string config = "/etc/kuchan/eventd.conf";
  size_t buffer = 4 << 20;
  std::string metrics;  // the Prometheus endpoint's address; "": none
  std::optional<bool> journal;  // --output
  for (int i = 1; i < argc; ++i) {
    const absl::string_view a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--config" && has_value) {
      config = argv[++i];
    } else if (a == "--buffer" && has_value &&
               absl::SimpleAtoi(argv[i + 1], &buffer)) {
      ++i;
    } else if (a == "--metrics" && has_value) {
      metrics = argv[++i];
    } else if (a == "--output" && has_value &&
               (absl::string_view(argv[i + 1]) == "journal" ||
                absl::string_view(argv[i + 1]) == "stdout")) {
      journal = absl::string_view(argv[++i]) == "journal";
    } else {
      std::cerr << "kuchan-eventd: bad argument `" << a << "'\n" << kUsage;
      return 2;
    }
  }
  // Blocked before any thread starts (the metrics server's inherit the
  // mask): they arrive through the signalfd below, in the main loop, and
  // never end the process on another thread.
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGHUP);
  sigprocmask(SIG_BLOCK, &mask, nullptr);
  Config cfg = LoadConfig(config);
  std::set<int> types = cfg.types;
  if (metrics.empty()) metrics = cfg.metrics;
  if (!journal) journal = cfg.journal;
  to_journal = journal ? *journal : getenv("JOURNAL_STREAM") != nullptr;
  kuchan::eventd::DaemonCounters counters;
  std::unique_ptr<kuchan::eventd::MetricsServer> server;
  if (!metrics.empty()) {
    absl::StatusOr<std::unique_ptr<kuchan::eventd::MetricsServer>> s =
        kuchan::eventd::MetricsServer::Start(metrics, &counters);
    if (!s.ok()) {
      std::cerr << "kuchan-eventd: " << s.status().message() << "\n";
      return 1;
    }
    server = *std::move(s);
    std::cout << "kuchan-eventd: metrics on " << metrics << "/metrics\n";
  }

  kuchan::SubscriberOptions o;
  o.program = "kuchan-eventd";
  o.receive_buffer = buffer;
  o.wait_for_module = true;  // started at boot, maybe before the module
  absl::StatusOr<kuchan::Subscriber> sub = kuchan::Subscriber::Connect(o);
  if (!sub.ok()) {
    std::cerr << "kuchan-eventd: " << sub.status().message() << "\n";
    return 1;
  }
  if (sub->family_id() == 0) {
    std::cout << "kuchan-eventd: waiting for the kuchan module\n";
  }
  // Subscribed (or waiting for the module, which is a running state too).
  sd_notify(0, "READY=1");

  const int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  const int ep = epoll_create1(EPOLL_CLOEXEC);
  epoll_event ev = {};
  ev.events = EPOLLIN;
  ev.data.fd = sub->fd();
  epoll_ctl(ep, EPOLL_CTL_ADD, sub->fd(), &ev);
  ev.data.fd = sfd;
  epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);

  bool rescan = false;
  for (;;) {
    epoll_event ready[2];
    const int n = epoll_wait(ep, ready, 2, -1);
    if (n < 0 && errno != EINTR) {
      perror("kuchan-eventd: epoll_wait");
      return 1;
    }
    for (int i = 0; i < n; ++i) {
      if (ready[i].data.fd == sfd) {
        signalfd_siginfo si;
        while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
          if (si.ssi_signo == SIGHUP) {
            rescan = true;
          } else {
            sd_notify(0, "STOPPING=1");
            const auto& c = sub->counters();
            std::cout << absl::StreamFormat(
                "kuchan-eventd: stopping: %d events, %d lost\n", c.events,
                c.lost);
            return 0;
          }
        }
        continue;
      }
      absl::StatusOr<size_t> got =
          sub->Dispatch([&](const kuchan::StreamItem& item) {
            using Kind = kuchan::StreamItem::Kind;
            switch (item.kind) {
              case Kind::kEvent:
                if (item.event->custom &&
                    item.event->custom->code == kRescanCode) {
                  rescan = true;
                }
                if (types.count(static_cast<int>(item.event->type.value_or(
                        kuchan::msg::EVENT_UNSPEC))))
                  Log(*item.event);
                break;
              case Kind::kOverrun:
                Notice(kuchan::eventd::Notice::kLost, item.lost,
                       absl::StrCat(item.lost,
                                    " events lost (overrun); resyncing"));
                break;
              case Kind::kModuleUnloaded:
                Notice(kuchan::eventd::Notice::kModuleUnloaded, 0,
                       kuchan::StreamItemKindName(item.kind));
                break;
              case Kind::kModuleLoaded:
                counters.reloads++;
                Notice(kuchan::eventd::Notice::kModuleLoaded, 0,
                       kuchan::StreamItemKindName(item.kind));
                break;
            }
          });
      if (!got.ok()) {
        std::cerr << "kuchan-eventd: " << got.status().message() << "\n";
        return 1;
      }
      counters.received = sub->counters().events;
      counters.lost = sub->counters().lost;
    }
    if (rescan) {
      rescan = false;
      sd_notify(0, "RELOADING=1");
      types = LoadConfig(config).types;
      sd_notify(0, "READY=1");
    }
    std::cout << std::flush;
  }
}
