// SPDX-License-Identifier: GPL-2.0
//
// kuchan_event_bench: event delivery, in the VM (bench/events/vm-bench.sh runs it;
// docs/benchmarks.md has the figures). Root, kuchan loaded, and
// kuchan_test_raise available to modprobe.
//
// One measurement: S receivers join the monitor group, each on its own
// thread; `modprobe kuchan_test_raise burst=N` raises N events back to back
// from process context; each receiver counts what it got and when, until
// the stream has been idle for 2 s. A receiver's rate is events received
// / (time of its last event - time of its first), the rate at which it
// drained a queue the kernel kept full. Receivers:
//   raw   recv() of one datagram at a time into a buffer, count messages of
//         the family (the floor: no decoding, nothing checked)
//   lib   kuchan::Subscriber::Dispatch(): recvmmsg, decode into kuchan::Event,
//         gap tracking
// (the stream counts as ended after 2 s without an event)
// Measurements of different kinds are interleaved rep by rep, so ratios
// compare the same stretch of time (TCG drifts by tens of percent).
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <x86intrin.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "userspace/kuchan/client.h"
#include "userspace/kuchan/subscriber.h"

namespace {

constexpr uint32_t kBurstCode = 0xb5;
constexpr size_t kBig = 8 << 20;

struct Result {
  uint64_t received = 0;
  uint64_t lost = 0;          // gaps (lib) or by seq (raw)
  uint64_t first_gap_at = 0;  // events received before the first loss
  double rate = 0;            // events/s
};

// A receiver waits this long for the burst to start (modprobe under TCG
// takes a while), then stops when its queue has stayed empty for Idle().
int FirstWaitMs() { return 30000; }
int IdleMs() { return 2000; }

// Per-event timestamps come from the TSC: reading the clock through
// clock_gettime() can cost a system call in the VM, as much as a receive.
// The TSC's rate is calibrated against the clock over each measurement.
struct Clock {
  absl::Time t0 = absl::Now();
  uint64_t c0 = __rdtsc();
  double Seconds(uint64_t from, uint64_t to) const {
    const double per_sec =
        (__rdtsc() - c0) / absl::ToDoubleSeconds(absl::Now() - t0);
    return (to - from) / per_sec;
  }
};

// The raw receiver: what a minimal C program does.
class Raw {
 public:
  Raw(uint32_t group, size_t buffer) {
    fd_ = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
    // Bound, or the kernel's multicasts skip it (an unbound socket's port
    // id 0 is the kernel's own).
    sockaddr_nl local = {};
    local.nl_family = AF_NETLINK;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local))) {
      perror("raw: bind");
      exit(1);
    }
    if (buffer) setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof(int));
    int g = static_cast<int>(group);
    if (setsockopt(fd_, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g))) {
      perror("raw: join");
      exit(1);
    }
  }
  ~Raw() { close(fd_); }
  Result Run(uint16_t family) {
    Result r;
    std::vector<char> buf(16384);
    Clock clock;
    uint64_t first = 0, last = 0;
    uint64_t last_seq = 0;
    for (;;) {
      pollfd p = {fd_, POLLIN, 0};
      if (poll(&p, 1, r.received ? IdleMs() : FirstWaitMs()) <= 0) break;
      const ssize_t n = recv(fd_, buf.data(), buf.size(), MSG_DONTWAIT);
      if (n < 0) continue;  // ENOBUFS: read on
      const auto* h = reinterpret_cast<const nlmsghdr*>(buf.data());
      if (n < static_cast<ssize_t>(sizeof(*h)) || h->nlmsg_type != family)
        continue;
      const uint64_t now = __rdtsc();
      if (r.received == 0) first = now;
      last = now;
      ++r.received;
      // The first attribute is the sequence number (u64): events.c puts it
      // first. Read it only to find where loss starts.
      uint64_t seq;
      std::memcpy(&seq, buf.data() + NLMSG_HDRLEN + GENL_HDRLEN + 4, 8);
      if (last_seq && seq != last_seq + 1) {
        if (!r.lost) r.first_gap_at = r.received - 1;
        r.lost += seq - last_seq - 1;
      }
      last_seq = seq;
    }
    if (r.received > 1) r.rate = (r.received - 1) / clock.Seconds(first, last);
    return r;
  }

 private:
  int fd_;
};

class Lib {
 public:
  explicit Lib(size_t buffer) {
    kuchan::SubscriberOptions o;
    o.receive_buffer = buffer;
    absl::StatusOr<kuchan::Subscriber> s = kuchan::Subscriber::Connect(o);
    if (!s.ok()) {
      fprintf(stderr, "lib: %s\n", std::string(s.status().message()).c_str());
      exit(1);
    }
    sub_.emplace_back(*std::move(s));
  }
  Result Run(uint16_t) {
    Result r;
    kuchan::Subscriber& s = sub_[0];
    Clock clock;
    uint64_t first = 0, last = 0;
    for (;;) {
      pollfd p = {s.fd(), POLLIN, 0};
      if (poll(&p, 1, r.received ? IdleMs() : FirstWaitMs()) <= 0) break;
      absl::StatusOr<size_t> n = s.Dispatch([&](const kuchan::StreamItem& item) {
        if (item.kind == kuchan::StreamItem::Kind::kOverrun) {
          if (!r.lost) r.first_gap_at = r.received;
          r.lost += item.lost;
          return;
        }
        if (item.kind != kuchan::StreamItem::Kind::kEvent ||
            item.event->custom().code() != kBurstCode) {
          return;
        }
        const uint64_t now = __rdtsc();
        if (r.received == 0) first = now;
        last = now;
        ++r.received;
      });
      if (!n.ok()) {
        fprintf(stderr, "lib: %s\n", std::string(n.status().message()).c_str());
        exit(1);
      }
    }
    if (r.received > 1) r.rate = (r.received - 1) / clock.Seconds(first, last);
    return r;
  }

 private:
  std::vector<kuchan::Subscriber> sub_;
};

void Burst(unsigned n) {
  const std::string cmd =
      absl::StrFormat("modprobe kuchan_test_raise count=0 burst=%u && "
                      "rmmod kuchan_test_raise", n);
  if (system(cmd.c_str()) != 0) {
    fprintf(stderr, "bench: %s failed\n", cmd.c_str());
    exit(1);
  }
}

// S receivers of one kind on threads, one burst; results per receiver.
template <typename R>
std::vector<Result> Measure(int receivers, size_t buffer, unsigned burst,
                            uint16_t family, uint32_t group) {
  std::vector<std::unique_ptr<R>> rs;
  for (int i = 0; i < receivers; ++i) {
    if constexpr (std::is_same_v<R, Raw>) {
      rs.push_back(std::make_unique<R>(group, buffer));
    } else {
      rs.push_back(std::make_unique<R>(buffer));
    }
  }
  std::vector<Result> out(receivers);
  std::vector<std::thread> threads;
  for (int i = 0; i < receivers; ++i) {
    threads.emplace_back([&, i] { out[i] = rs[i]->Run(family); });
  }
  Burst(burst);
  for (auto& t : threads) t.join();
  return out;
}

void Print(const char* what, size_t buffer, unsigned burst,
           const std::vector<Result>& rs) {
  for (const Result& r : rs) {
    printf("BENCH %-4s buf=%-8zu burst=%u received=%llu (%.1f%%) lost=%llu "
           "first_loss_after=%llu rate=%.0f/s\n",
           what, buffer, burst, (unsigned long long)r.received,
           100.0 * r.received / burst, (unsigned long long)r.lost,
           (unsigned long long)(r.lost ? r.first_gap_at : r.received), r.rate);
  }
  fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  unsigned burst = 50000, reps = 3;
  if (argc > 1 && !absl::SimpleAtoi(argv[1], &burst)) return 2;
  if (argc > 2 && !absl::SimpleAtoi(argv[2], &reps)) return 2;
  absl::StatusOr<kuchan::Client> c = kuchan::Client::Connect();
  if (!c.ok()) {
    fprintf(stderr, "%s\n", std::string(c.status().message()).c_str());
    return 1;
  }
  const uint16_t family = c->family_id();
  const uint32_t group = c->monitor_group();
  for (unsigned rep = 0; rep < reps; ++rep) {
    printf("REP %u\n", rep);
    // 1 subscriber, 8 MiB: raw and library alternate.
    Print("raw", kBig, burst, Measure<Raw>(1, kBig, burst, family, group));
    Print("lib", kBig, burst, Measure<Lib>(1, kBig, burst, family, group));
    // Default buffer: where loss starts.
    Print("raw", 0, burst, Measure<Raw>(1, 0, burst, family, group));
    Print("lib", 0, burst, Measure<Lib>(1, 0, burst, family, group));
    // 4 library subscribers, 8 MiB each.
    Print("lib4", kBig, burst, Measure<Lib>(4, kBig, burst, family, group));
  }
  return 0;
}
