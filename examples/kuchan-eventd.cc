// SPDX-License-Identifier: GPL-2.0
//
// kuchan-eventd: an example daemon built on kuchan::Subscriber and epoll.
//
// It logs every signal sent through kuchan (who sent which signal to whom,
// and whether it was delivered) and every custom event, one line each on
// stdout (the journal, under systemd), and it acts on one thing: a custom
// event with code 0x5ca1e ("rescan") makes it re-read its configuration
// file. It runs no commands: a daemon that acts on events named by other
// processes must not let them choose what it runs.
//
// Lost events are logged with their count; module unload and reload are
// followed. SIGTERM or SIGINT stops it; SIGHUP re-reads the configuration.
//
//   kuchan-eventd [--config FILE] [--buffer BYTES]
//
// The configuration file holds one event type name per line (signal_sent,
// custom, ...): the types to log. Empty or missing: signal_sent and custom.
#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "userspace/kuchan/events.h"
#include "userspace/kuchan/subscriber.h"

namespace {

constexpr uint32_t kRescanCode = 0x5ca1e;

std::set<int> LoadConfig(const std::string& path) {
  std::set<int> types;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view v = absl::StripAsciiWhitespace(line);
    if (v.empty() || v[0] == '#') continue;
    kuchan::EventType t;
    if (kuchan::ParseEventTypeName(v, &t)) {
      types.insert(t);
    } else {
      std::cerr << "kuchan-eventd: " << path << ": unknown event type `" << v
                << "', ignored\n";
    }
  }
  if (types.empty()) types = {kuchan::EVENT_SIGNAL_SENT, kuchan::EVENT_CUSTOM};
  std::cout << "kuchan-eventd: logging " << types.size() << " event types\n";
  return types;
}

void Log(const kuchan::Event& e) {
  std::string who = absl::StrFormat("pid %d (%s) uid %d", e.actor().tgid(),
                                    e.actor().comm(), e.actor().uid());
  if (!e.has_actor()) who = "the kernel";
  if (e.has_signal_sent()) {
    const kuchan::SignalSent& s = e.signal_sent();
    std::cout << absl::StreamFormat(
        "seq %d: %s sent signal %d to pid %d (%s) uid %d: %s\n", e.seq(), who,
        s.signal(), s.target().pid(), s.target().comm(), s.target().uid(),
        s.error() == 0 ? "delivered" : strerror(static_cast<int>(s.error())));
  } else if (e.has_custom()) {
    std::string data;
    for (const kuchan::KeyValue& kv : e.custom().data()) {
      absl::StrAppend(&data, " ", kv.key(), "=", kv.value());
    }
    std::cout << absl::StreamFormat("seq %d: %s raised custom event %#x%s\n",
                                    e.seq(), who, e.custom().code(), data);
  } else {
    std::cout << absl::StreamFormat("seq %d: %s from %s\n", e.seq(),
                                    kuchan::EventTypeName(e.type()), who);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string config = "/etc/kuchan/eventd.conf";
  size_t buffer = 4 << 20;
  for (int i = 1; i < argc; ++i) {
    const absl::string_view a = argv[i];
    if (a == "--config" && i + 1 < argc) {
      config = argv[++i];
    } else if (a == "--buffer" && i + 1 < argc &&
               absl::SimpleAtoi(argv[i + 1], &buffer)) {
      ++i;
    } else {
      std::cerr << "usage: kuchan-eventd [--config FILE] [--buffer BYTES]\n";
      return 2;
    }
  }
  std::set<int> types = LoadConfig(config);

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

  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGHUP);
  sigprocmask(SIG_BLOCK, &mask, nullptr);
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
                if (item.event->has_custom() &&
                    item.event->custom().code() == kRescanCode) {
                  rescan = true;
                }
                if (types.count(item.event->type())) Log(*item.event);
                break;
              case Kind::kOverrun:
                std::cout << "kuchan-eventd: " << item.lost
                          << " events lost (overrun); resyncing\n";
                break;
              case Kind::kModuleUnloaded:
              case Kind::kModuleLoaded:
                std::cout << "kuchan-eventd: "
                          << kuchan::StreamItemKindName(item.kind) << "\n";
                break;
            }
          });
      if (!got.ok()) {
        std::cerr << "kuchan-eventd: " << got.status().message() << "\n";
        return 1;
      }
    }
    if (rescan) {
      rescan = false;
      types = LoadConfig(config);
    }
    std::cout << std::flush;
  }
}
