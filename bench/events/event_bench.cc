// SPDX-License-Identifier: GPL-2.0
//
// kuchan_event_bench: the event path, in the VM (bench/events/vm-bench.sh
// runs it; docs/benchmarks.md has the figures). Root, kuchan loaded,
// kuchan_test_raise, kuchan_bench_base and kuchan_bench_base_raise
// available to modprobe.
//
// Everything is measured twice side by side: kuchan (per-CPU buffers, a
// worker that delivers batches) and the baseline, kuchan_bench_base: the
// old design (one skb per event, multicast at raise) on a family of its
// own, "kuchan_base", with the same payload. Kinds alternate within each
// rep (and which goes first alternates from rep to rep), so that every
// ratio compares the same stretch of time: TCG drifts by tens of percent.
//
// kuchan's side is driven by `modprobe kuchan_test_raise count=0 <knob>=N`,
// the baseline's by `modprobe kuchan_bench_base_raise <knob>=N` (the same
// knobs, tests/kmod/bench_raise.h, calling kuchan_bench_base's raise, whose
// module and family stay loaded for the whole run): both raise in
// modprobe's init, through a call into another module. In-kernel timings
// come back through /dev/kmsg. Per rep:
//   idle      3 x each: N raises nobody listens to, in-kernel ns per raise
//   irq idle  the same inside one hard-irq hrtimer callback (once each)
//   raise     one raw listener joined: raises timed in process context
//             (chunks of 256 with pauses, so that no raise meets a full
//             buffer), then in one hard-irq callback
//   delivery  a burst of B events back to back from process context to
//             1 raw receiver, 8 MiB (both); 1 library subscriber, 8 MiB,
//             and 1 raw and 1 library with the default buffer, and
//             4 library subscribers, 8 MiB each (kuchan only)
//   latency   L lone events 20 ms apart, one raw receiver (both) and one
//             library subscriber (kuchan): receipt time on CLOCK_REALTIME
//             minus the event's timestamp_ns (CLOCK_REALTIME at raise)
// A receiver's rate is events received / (last arrival - first arrival):
// the rate at which it drained a queue the kernel kept full; its end-to-end
// rate is events received / (last arrival - the first event's timestamp),
// which also charges the time events waited in kuchan's buffers before the
// first went out. Receivers:
//   raw   recv() of one datagram at a time, walks every message in it and
//         its top-level attributes (seq, timestamp, type, the custom code,
//         a loss record's count); nothing else decoded
//   lib   kuchan::Subscriber::Dispatch(): recvmmsg, decode into
//         kuchan::Event, gap tracking
// Lost means reported lost: gaps in the sequence numbers, and (kuchan)
// EVENT_LOST records for events a CPU's buffer refused; a subscriber is
// loss-free when it received the whole burst, and its count is exact when
// received + reported lost = raised. A receiver stops once the stream has
// been idle for 2 s. The summary at the end gives every issue 12 target.
//
// Arguments, key=value: burst (50000), reps (3), idle (raises per idle
// timing, 1000000), raise (per process-context timing, 10240), irq_raise
// (with a listener, in one hard-irq callback, 2000: they must fit in
// kuchan's buffer), irq_idle (the same with nobody listening, 100000), lat
// (lone events per latency run, 100), delivery_only=1 (the bursts alone,
// 8 MiB receivers only; vm-bench.sh runs that with kuchan's
// event_buffer_kb=16384).
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "kernel/uapi/kuchan.h"
#include "userspace/kuchan/connection.h"
#include "userspace/kuchan/controller.h"
#include "userspace/kuchan/kuchan.ops.h"
#include "userspace/kuchan/socket.h"
#include "userspace/kuchan/subscriber.h"

namespace {

constexpr uint32_t kRaiseCode = 0xb4;  // idle_ns, raise_ns, irq_raise_ns
constexpr uint32_t kBurstCode = 0xb5;
constexpr uint32_t kLatCode = 0x1a7;
constexpr size_t kBig = 8 << 20;
// raise_ns's chunks (tests/kmod/bench_raise.h's BENCH_CHUNK): a raise=N
// run logs "raise_steady" only when some raise is not a chunk's first.
constexpr unsigned kRaiseChunk = 256;
unsigned Chunks(unsigned raises) {
  return (raises + kRaiseChunk - 1) / kRaiseChunk;
}
constexpr char kBaseFamily[] = "kuchan_base";

struct Config {
  unsigned burst = 50000;
  unsigned reps = 3;
  unsigned idle = 1000000;      // raises per idle timing
  unsigned raise = 10240;       // raises per process-context timing
  unsigned irq_raise = 2000;    // raises in one hard-irq callback
  unsigned irq_idle = 100000;   // the same with nobody listening
  unsigned lat = 100;           // lone events per latency run
  unsigned delivery_only = 0;   // 1: the bursts only
};

struct Family {
  uint16_t id = 0;
  uint32_t group = 0;
};

struct Result {
  uint64_t received = 0;      // events of the code asked for
  uint64_t lost = 0;          // reported lost: gaps, and EVENT_LOST counts
  uint64_t lost_records = 0;  // of which EVENT_LOST (buffer full)
  uint64_t first_gap_at = 0;  // events received before the first loss
  uint64_t datagrams = 0;     // raw: datagrams that carried them
  bool overflowed = false;    // raw: the socket said ENOBUFS
  double rate = 0;            // events/s, first to last arrival
  double e2e = 0;             // events/s, first raise to last arrival
  std::vector<double> latency_us;
};

// A receiver waits this long for the stream to start (modprobe under TCG
// takes a while), then stops when its queue has stayed empty for Idle().
int FirstWaitMs() { return 30000; }
int IdleMs() { return 2000; }

// Arrival times come from the TSC: reading the clock through
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
  // The wall clock (CLOCK_REALTIME, ns) when the TSC read `tsc`.
  int64_t WallNs(uint64_t tsc) const {
    const absl::Time now = absl::Now();
    const uint64_t c = __rdtsc();
    const double per_sec = (c - c0) / absl::ToDoubleSeconds(now - t0);
    return absl::ToUnixNanos(now) - int64_t((c - tsc) / per_sec * 1e9);
  }
};

int64_t RealtimeNs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

// The end-to-end rate: events received / (last arrival - the first
// event's timestamp_ns, taken at its raise). It charges the sender for
// whatever it defers, where the arrival rate does not.
double EndToEnd(const Clock& clock, uint64_t received, uint64_t first_ts,
                uint64_t last_tsc) {
  const double s = (clock.WallNs(last_tsc) - int64_t(first_ts)) / 1e9;
  return received && s > 0 ? received / s : 0;
}

// Calls f(type, payload, len) for each attribute in [p, p + len).
template <typename F>
void WalkAttrs(const uint8_t* p, size_t len, F f) {
  while (len >= NLA_HDRLEN) {
    nlattr a;
    std::memcpy(&a, p, sizeof(a));
    if (a.nla_len < NLA_HDRLEN || a.nla_len > len) return;
    f(a.nla_type & NLA_TYPE_MASK, p + NLA_HDRLEN, a.nla_len - NLA_HDRLEN);
    const size_t step = NLA_ALIGN(a.nla_len);
    if (step >= len) return;
    p += step;
    len -= step;
  }
}

uint64_t U64(const uint8_t* p, size_t len) {
  uint64_t v = 0;
  if (len == sizeof(v)) std::memcpy(&v, p, sizeof(v));
  return v;
}

uint32_t U32(const uint8_t* p, size_t len) {
  uint32_t v = 0;
  if (len == sizeof(v)) std::memcpy(&v, p, sizeof(v));
  return v;
}

// The raw receiver: what a minimal C program does.
class Raw {
 public:
  Raw(const Family& family, size_t buffer) : family_(family.id) {
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
    int g = static_cast<int>(family.group);
    if (setsockopt(fd_, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g))) {
      perror("raw: join");
      exit(1);
    }
  }
  ~Raw() { close(fd_); }
  Result Run(uint32_t code, bool latency) {
    Result r;
    std::vector<uint8_t> buf(32768);
    Clock clock;
    uint64_t first = 0, last = 0, first_ts = 0;
    uint64_t last_seq = 0;
    for (;;) {
      pollfd p = {fd_, POLLIN, 0};
      if (poll(&p, 1, r.received ? IdleMs() : FirstWaitMs()) <= 0) break;
      const ssize_t n = recv(fd_, buf.data(), buf.size(), MSG_DONTWAIT);
      if (n < 0) {
        if (errno == ENOBUFS) r.overflowed = true;
        continue;  // read on
      }
      const uint64_t now = __rdtsc();
      const int64_t wall = latency ? RealtimeNs() : 0;
      const uint64_t before = r.received;
      int len = static_cast<int>(n);
      for (auto* h = reinterpret_cast<const nlmsghdr*>(buf.data());
           NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
        if (h->nlmsg_type != family_ ||
            h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) {
          continue;
        }
        uint64_t seq = 0, ts = 0, lost = 0;
        uint32_t type = 0, got_code = 0;
        WalkAttrs(reinterpret_cast<const uint8_t*>(h) + NLMSG_HDRLEN + GENL_HDRLEN,
                  h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
                  [&](int t, const uint8_t* v, size_t l) {
                    switch (t) {
                      case KUCHAN_A_EVENT_SEQ: seq = U64(v, l); break;
                      case KUCHAN_A_EVENT_TIMESTAMP_NS: ts = U64(v, l); break;
                      case KUCHAN_A_EVENT_TYPE: type = U32(v, l); break;
                      case KUCHAN_A_EVENT_CUSTOM:
                        WalkAttrs(v, l, [&](int t2, const uint8_t* v2, size_t l2) {
                          if (t2 == KUCHAN_A_CUSTOM_CODE) got_code = U32(v2, l2);
                        });
                        break;
                      case KUCHAN_A_EVENT_LOST:
                        WalkAttrs(v, l, [&](int t2, const uint8_t* v2, size_t l2) {
                          if (t2 == KUCHAN_A_LOST_COUNT) lost = U64(v2, l2);
                        });
                        break;
                      default: break;
                    }
                  });
        if (last_seq && seq > last_seq + 1) {
          if (!r.lost) r.first_gap_at = r.received;
          r.lost += seq - last_seq - 1;
        }
        if (seq) last_seq = seq;
        if (type == KUCHAN_EVENT_LOST) {
          if (!r.lost) r.first_gap_at = r.received;
          r.lost += lost;
          r.lost_records += lost;
        } else if (type == KUCHAN_EVENT_CUSTOM && got_code == code) {
          if (!r.received) first_ts = ts;
          ++r.received;
          if (latency) r.latency_us.push_back((wall - int64_t(ts)) / 1e3);
        }
      }
      if (r.received == before) continue;
      if (before == 0) first = now;
      last = now;
      ++r.datagrams;
    }
    if (r.received > 1) r.rate = (r.received - 1) / clock.Seconds(first, last);
    r.e2e = EndToEnd(clock, r.received, first_ts, last);
    return r;
  }

 private:
  int fd_;
  uint16_t family_;
};

// kuchan's library subscriber (kuchan's family only).
class Lib {
 public:
  Lib(const Family&, size_t buffer) {
    kuchan::SubscriberOptions o;
    o.receive_buffer = buffer;
    absl::StatusOr<kuchan::Subscriber> s = kuchan::Subscriber::Connect(o);
    if (!s.ok()) {
      fprintf(stderr, "lib: %s\n", std::string(s.status().message()).c_str());
      exit(1);
    }
    sub_.emplace_back(*std::move(s));
  }
  Result Run(uint32_t code, bool latency) {
    Result r;
    kuchan::Subscriber& s = sub_[0];
    Clock clock;
    uint64_t first = 0, last = 0, first_ts = 0;
    for (;;) {
      pollfd p = {s.fd(), POLLIN, 0};
      if (poll(&p, 1, r.received ? IdleMs() : FirstWaitMs()) <= 0) break;
      absl::StatusOr<size_t> n = s.Dispatch([&](const kuchan::StreamItem& item) {
        if (item.kind == kuchan::StreamItem::Kind::kOverrun) {
          if (!r.lost) r.first_gap_at = r.received;
          r.lost += item.lost;
          return;
        }
        if (item.kind != kuchan::StreamItem::Kind::kEvent) return;
        const kuchan::msg::Event& e = *item.event;
        if (e.lost) {
          if (!r.lost) r.first_gap_at = r.received;
          r.lost += e.lost->count.value_or(0);
          r.lost_records += e.lost->count.value_or(0);
          return;
        }
        if (!e.custom || e.custom->code != code) return;
        const uint64_t now = __rdtsc();
        if (r.received == 0) {
          first = now;
          first_ts = e.timestamp_ns.value_or(0);
        }
        last = now;
        ++r.received;
        if (latency) {
          r.latency_us.push_back(
              (RealtimeNs() - int64_t(e.timestamp_ns.value_or(0))) / 1e3);
        }
      });
      if (!n.ok()) {
        fprintf(stderr, "lib: %s\n", std::string(n.status().message()).c_str());
        exit(1);
      }
    }
    if (r.received > 1) r.rate = (r.received - 1) / clock.Seconds(first, last);
    r.e2e = EndToEnd(clock, r.received, first_ts, last);
    return r;
  }

 private:
  std::vector<kuchan::Subscriber> sub_;
};

void Run(const std::string& cmd) {
  if (system(cmd.c_str()) != 0) {
    fprintf(stderr, "bench: %s failed\n", cmd.c_str());
    exit(1);
  }
}

// kuchan's side: the raise runs in modprobe's init.
void Kuchan(const std::string& knobs) {
  Run(absl::StrFormat("modprobe kuchan_test_raise count=0 %s && "
                      "rmmod kuchan_test_raise", knobs));
}

// The baseline's side, the same way.
void Base(const std::string& knobs) {
  Run(absl::StrFormat("modprobe kuchan_bench_base_raise %s && "
                      "rmmod kuchan_bench_base_raise", knobs));
}

// The kernel log from now on: the test modules report their timings there.
class Kmsg {
 public:
  Kmsg() {
    fd_ = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) {
      perror("/dev/kmsg");
      exit(1);
    }
    lseek(fd_, 0, SEEK_END);
  }
  ~Kmsg() { close(fd_); }
  // The ns per raise of the first new line "<module>: <what>: ... X ns each".
  double Timing(const std::string& module, const std::string& what) {
    const std::string tag = module + ": " + what + ": ";
    char rec[2048];
    for (;;) {
      const ssize_t n = read(fd_, rec, sizeof(rec) - 1);
      if (n < 0 && errno == EPIPE) continue;  // overwritten: read on
      if (n <= 0) break;
      rec[n] = '\0';
      const char* m = strstr(rec, tag.c_str());
      const char* each = m ? strstr(m, " ns each") : nullptr;
      if (!each) continue;
      const char* num = each;
      while (num > m && num[-1] != ' ') --num;
      double v;
      if (absl::SimpleAtod(std::string(num, each), &v)) return v;
    }
    fprintf(stderr, "bench: no \"%s\" line in the kernel log\n", tag.c_str());
    exit(1);
  }

 private:
  int fd_;
};

// S receivers of one kind on threads, one trigger; results per receiver.
template <typename R>
std::vector<Result> Measure(int receivers, size_t buffer, const Family& family,
                            uint32_t code, bool latency,
                            const std::function<void()>& trigger) {
  std::vector<std::unique_ptr<R>> rs;
  for (int i = 0; i < receivers; ++i) {
    rs.push_back(std::make_unique<R>(family, buffer));
  }
  std::vector<Result> out(receivers);
  std::vector<std::thread> threads;
  for (int i = 0; i < receivers; ++i) {
    threads.emplace_back([&, i] { out[i] = rs[i]->Run(code, latency); });
  }
  trigger();
  for (auto& t : threads) t.join();
  return out;
}

// What a kuchan measurement did to the module's counters.
struct StatsDelta {
  uint64_t buffer_full = 0;
  uint64_t batches = 0;
  uint64_t multicast = 0;
};

class StatsWatch {
 public:
  explicit StatsWatch(kuchan::Connection& c) : c_(c) { before_ = Get(); }
  StatsDelta Delta() {
    const kuchan::msg::Stats after = Get();
    const auto n = [](const std::optional<uint64_t>& v) {
      return v.value_or(0);
    };
    return {n(after.dropped_buffer_full) - n(before_.dropped_buffer_full),
            n(after.batches) - n(before_.batches),
            n(after.multicast) - n(before_.multicast)};
  }

 private:
  kuchan::msg::Stats Get() {
    kuchan::msg::Stats s;
    const absl::Status st = kuchan::msg::GetStats(c_, &s);
    if (!st.ok()) {
      fprintf(stderr, "stats: %s\n", std::string(st.message()).c_str());
      exit(1);
    }
    return s;
  }
  kuchan::Connection& c_;
  kuchan::msg::Stats before_;
};

void PrintDelivery(const char* what, size_t buffer, unsigned burst,
                   const std::vector<Result>& rs,
                   const std::optional<StatsDelta>& d) {
  for (const Result& r : rs) {
    printf("BENCH %-9s buf=%-8zu burst=%u received=%llu (%.1f%%) lost=%llu "
           "(buffer_full=%llu) exact=%s first_loss_after=%llu rate=%.0f/s "
           "e2e=%.0f/s",
           what, buffer, burst, (unsigned long long)r.received,
           100.0 * r.received / burst, (unsigned long long)r.lost,
           (unsigned long long)r.lost_records,
           r.received + r.lost == burst ? "yes" : "no",
           (unsigned long long)(r.lost ? r.first_gap_at : r.received), r.rate,
           r.e2e);
    if (r.datagrams) {
      printf(" msgs/datagram=%.1f", double(r.received) / r.datagrams);
    }
    if (r.overflowed) printf(" ENOBUFS");
    printf("\n");
  }
  if (d) {
    printf("BENCH %-9s module: dropped_buffer_full=+%llu multicast=+%llu "
           "batches=+%llu\n",
           what, (unsigned long long)d->buffer_full,
           (unsigned long long)d->multicast, (unsigned long long)d->batches);
  }
  fflush(stdout);
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// The p-th percentile, nearest rank.
double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(p / 100 * v.size() + 0.999999);
  rank = std::clamp<size_t>(rank, 1, v.size());
  return v[rank - 1];
}

std::string Join(const std::vector<double>& v) {
  std::string s;
  for (double x : v) {
    if (!s.empty()) s += ", ";
    s += absl::StrFormat("%.1f", x);
  }
  return s;
}

const char* Met(bool ok) { return ok ? "met" : "NOT met"; }

}  // namespace

int main(int argc, char** argv) {
  Config cfg;
  // Arguments: key=value (burst, reps, idle, raise, irq_raise, lat).
  for (int i = 1; i < argc; ++i) {
    std::pair<std::string, std::string> kv = absl::StrSplit(argv[i], '=');
    unsigned v;
    if (!absl::SimpleAtoi(kv.second, &v)) {
      fprintf(stderr, "usage: %s [burst=N] [reps=N] [idle=N] [raise=N] "
              "[irq_raise=N] [irq_idle=N] [lat=N] [delivery_only=1]\n", argv[0]);
      return 2;
    }
    std::map<std::string, unsigned*> keys = {
        {"burst", &cfg.burst}, {"reps", &cfg.reps}, {"idle", &cfg.idle},
        {"raise", &cfg.raise}, {"irq_raise", &cfg.irq_raise},
        {"irq_idle", &cfg.irq_idle}, {"lat", &cfg.lat},
        {"delivery_only", &cfg.delivery_only}};
    auto it = keys.find(kv.first);
    if (it == keys.end()) {
      fprintf(stderr, "%s: unknown argument %s\n", argv[0], argv[i]);
      return 2;
    }
    *it->second = v;
  }
  absl::StatusOr<kuchan::Connection> c = kuchan::Connection::Open("bench");
  if (!c.ok()) {
    fprintf(stderr, "%s\n", std::string(c.status().message()).c_str());
    return 1;
  }
  const Family kuchan_fam{c->family_id(), c->monitor_group()};

  Run("modprobe kuchan_bench_base");
  Family base_fam;
  {
    absl::StatusOr<kuchan::Socket> sock = kuchan::Socket::Open();
    absl::StatusOr<kuchan::FamilyInfo> info =
        sock.ok() ? kuchan::GetFamily(*sock, kBaseFamily) : sock.status();
    const kuchan::FamilyGroup* g = info.ok() ? info->FindGroup("monitor") : nullptr;
    if (!g) {
      fprintf(stderr, "bench: no %s family with a monitor group\n", kBaseFamily);
      return 1;
    }
    base_fam = {info->id, g->id};
  }
  std::string buffer_kb = "?";
  if (FILE* f = fopen("/sys/module/kuchan/parameters/event_buffer_kb", "r")) {
    char b[32] = "";
    if (fgets(b, sizeof(b), f)) buffer_kb = std::string(b, strcspn(b, "\n"));
    fclose(f);
  }
  printf("BENCH config burst=%u reps=%u idle=%u raise=%u irq_raise=%u "
         "irq_idle=%u lat=%u "
         "delivery_only=%u kuchan.event_buffer_kb=%s\n",
         cfg.burst, cfg.reps, cfg.idle, cfg.raise, cfg.irq_raise, cfg.irq_idle,
         cfg.lat,
         cfg.delivery_only, buffer_kb.c_str());

  // Per rep, for the summary.
  struct Rep {
    std::vector<double> idle_k, idle_b;
    double irq_idle_k = 0, irq_idle_b = 0;
    double raise_k = 0, raise_b = 0, irq_raise_k = 0, irq_raise_b = 0;
    // Process context, apart: the first raise after each pause (a CPU
    // waking from sleep pays for it, whatever it runs), and the others.
    double first_k = 0, first_b = 0, steady_k = 0, steady_b = 0;
    bool raise_k_ok = false, irq_raise_k_ok = false;
    double rate_k = 0, rate_b = 0, e2e_k = 0, e2e_b = 0;
    bool raw_k_exact = false, raw_b_exact = false;
    std::vector<Result> lib4;
  };
  std::vector<Rep> reps(cfg.reps);
  std::vector<double> lat_k, lat_b, lat_lib;
  const unsigned burst = cfg.burst;
  Kmsg kmsg;

  for (unsigned rep = 0; rep < cfg.reps; ++rep) {
    Rep& R = reps[rep];
    const bool kuchan_first = rep % 2 == 0;
    printf("REP %u (%s first)\n", rep, kuchan_first ? "kuchan" : "base");
    fflush(stdout);
    // Runs kuchan's and the baseline's step in this rep's order.
    auto both = [&](const std::function<void()>& k,
                    const std::function<void()>& b) {
      if (kuchan_first) {
        k();
        b();
      } else {
        b();
        k();
      }
    };

    // Idle raises, nobody listening: 3 x each, alternating.
    for (int i = 0; i < (cfg.delivery_only ? 0 : 3); ++i) {
      both(
          [&] {
            Kuchan(absl::StrFormat("idle_ns=%u", cfg.idle));
            R.idle_k.push_back(kmsg.Timing("kuchan_test_raise", "idle"));
          },
          [&] {
            Base(absl::StrFormat("idle_ns=%u", cfg.idle));
            R.idle_b.push_back(kmsg.Timing("kuchan_bench_base_raise", "idle"));
          });
    }
    // The same in one hard-irq callback.
    if (!cfg.delivery_only) both(
        [&] {
          Kuchan(absl::StrFormat("irq_raise_ns=%u", cfg.irq_idle));
          R.irq_idle_k = kmsg.Timing("kuchan_test_raise", "irq_raise");
        },
        [&] {
          Base(absl::StrFormat("irq_raise_ns=%u", cfg.irq_idle));
          R.irq_idle_b = kmsg.Timing("kuchan_bench_base_raise", "irq_raise");
        });
    if (!cfg.delivery_only) {
      printf("BENCH idle      kuchan ns/raise: %s\n", Join(R.idle_k).c_str());
      printf("BENCH idle      base   ns/raise: %s\n", Join(R.idle_b).c_str());
      printf("BENCH irq-idle  kuchan %.1f ns/raise, base %.1f ns/raise\n",
             R.irq_idle_k, R.irq_idle_b);
    }
    fflush(stdout);

    // Raises with one raw listener: process context, then hard irq.
    auto raise_step = [&](bool irq) {
      const unsigned n = irq ? cfg.irq_raise : cfg.raise;
      const char* knob = irq ? "irq_raise_ns" : "raise_ns";
      const char* what = irq ? "irq_raise" : "raise";
      both(
          [&] {
            StatsWatch st(*c);
            std::vector<Result> r =
                Measure<Raw>(1, kBig, kuchan_fam, kRaiseCode, false, [&] {
                  Kuchan(absl::StrFormat("%s=%u", knob, n));
                });
            const double ns = kmsg.Timing("kuchan_test_raise", what);
            if (!irq) {
              R.first_k = kmsg.Timing("kuchan_test_raise", "raise_first");
              if (n > Chunks(n))
                R.steady_k = kmsg.Timing("kuchan_test_raise", "raise_steady");
            }
            const StatsDelta d = st.Delta();
            const bool ok = r[0].received == n && d.buffer_full == 0;
            (irq ? R.irq_raise_k : R.raise_k) = ns;
            (irq ? R.irq_raise_k_ok : R.raise_k_ok) = ok;
            printf("BENCH %-9s kuchan %.1f ns/raise, 1 listener: received "
                   "%llu of %u, buffer_full=+%llu%s\n",
                   what, ns, (unsigned long long)r[0].received, n,
                   (unsigned long long)d.buffer_full, ok ? "" : " (INVALID)");
            if (!irq)
              printf("BENCH %-9s kuchan %.1f ns/raise after the first of a "
                     "chunk; the first %.1f ns\n",
                     what, R.steady_k, R.first_k);
          },
          [&] {
            std::vector<Result> r =
                Measure<Raw>(1, kBig, base_fam, kRaiseCode, false,
                             [&] { Base(absl::StrFormat("%s=%u", knob, n)); });
            const double ns = kmsg.Timing("kuchan_bench_base_raise", what);
            if (!irq) {
              R.first_b = kmsg.Timing("kuchan_bench_base_raise", "raise_first");
              if (n > Chunks(n))
                R.steady_b =
                    kmsg.Timing("kuchan_bench_base_raise", "raise_steady");
            }
            (irq ? R.irq_raise_b : R.raise_b) = ns;
            printf("BENCH %-9s base   %.1f ns/raise, 1 listener: received "
                   "%llu of %u\n",
                   what, ns, (unsigned long long)r[0].received, n);
            if (!irq)
              printf("BENCH %-9s base   %.1f ns/raise after the first of a "
                     "chunk; the first %.1f ns\n",
                     what, R.steady_b, R.first_b);
          });
      fflush(stdout);
    };
    if (!cfg.delivery_only) {
      raise_step(false);
      raise_step(true);
    }

    // Delivery of a burst to one raw receiver, 8 MiB.
    both(
        [&] {
          StatsWatch st(*c);
          std::vector<Result> r = Measure<Raw>(
              1, kBig, kuchan_fam, kBurstCode, false,
              [&] { Kuchan(absl::StrFormat("burst=%u", burst)); });
          PrintDelivery("raw", kBig, burst, r, st.Delta());
          R.rate_k = r[0].rate;
          R.e2e_k = r[0].e2e;
          R.raw_k_exact = r[0].received + r[0].lost == burst;
        },
        [&] {
          std::vector<Result> r =
              Measure<Raw>(1, kBig, base_fam, kBurstCode, false,
                           [&] { Base(absl::StrFormat("burst=%u", burst)); });
          PrintDelivery("base-raw", kBig, burst, r, std::nullopt);
          R.rate_b = r[0].rate;
          R.e2e_b = r[0].e2e;
          R.raw_b_exact = r[0].received + r[0].lost == burst;
        });
    printf("BENCH delivery  raw 8 MiB: kuchan/base = %.2f (arrival rate), "
           "%.2f (end to end)\n",
           R.rate_b > 0 ? R.rate_k / R.rate_b : 0,
           R.e2e_b > 0 ? R.e2e_k / R.e2e_b : 0);
    // kuchan only: the library, 1 subscriber; the default buffer; 4.
    auto kuchan_burst = [&] { Kuchan(absl::StrFormat("burst=%u", burst)); };
    // (The deltas are read after each measurement: in one statement the
    // order of the arguments' evaluation would be the compiler's.)
    {
      StatsWatch st(*c);
      const std::vector<Result> r =
          Measure<Lib>(1, kBig, kuchan_fam, kBurstCode, false, kuchan_burst);
      PrintDelivery("lib", kBig, burst, r, st.Delta());
    }
    if (!cfg.delivery_only) {
      StatsWatch st(*c);
      const std::vector<Result> r =
          Measure<Raw>(1, 0, kuchan_fam, kBurstCode, false, kuchan_burst);
      PrintDelivery("raw", 0, burst, r, st.Delta());
    }
    if (!cfg.delivery_only) {
      StatsWatch st(*c);
      const std::vector<Result> r =
          Measure<Lib>(1, 0, kuchan_fam, kBurstCode, false, kuchan_burst);
      PrintDelivery("lib", 0, burst, r, st.Delta());
    }
    {
      StatsWatch st(*c);
      R.lib4 = Measure<Lib>(4, kBig, kuchan_fam, kBurstCode, false, kuchan_burst);
      PrintDelivery("lib4", kBig, burst, R.lib4, st.Delta());
    }

    // Latency of lone events.
    if (cfg.delivery_only) continue;
    both(
        [&] {
          std::vector<Result> r = Measure<Raw>(
              1, kBig, kuchan_fam, kLatCode, true,
              [&] { Kuchan(absl::StrFormat("lat=%u", cfg.lat)); });
          lat_k.insert(lat_k.end(), r[0].latency_us.begin(),
                       r[0].latency_us.end());
          printf("BENCH latency   kuchan raw: %zu events, p50 %.1f us, "
                 "p99 %.1f us\n",
                 r[0].latency_us.size(), Percentile(r[0].latency_us, 50),
                 Percentile(r[0].latency_us, 99));
        },
        [&] {
          std::vector<Result> r = Measure<Raw>(
              1, kBig, base_fam, kLatCode, true,
              [&] { Base(absl::StrFormat("lat=%u", cfg.lat)); });
          lat_b.insert(lat_b.end(), r[0].latency_us.begin(),
                       r[0].latency_us.end());
          printf("BENCH latency   base   raw: %zu events, p50 %.1f us, "
                 "p99 %.1f us\n",
                 r[0].latency_us.size(), Percentile(r[0].latency_us, 50),
                 Percentile(r[0].latency_us, 99));
        });
    {
      std::vector<Result> r = Measure<Lib>(
          1, kBig, kuchan_fam, kLatCode, true,
          [&] { Kuchan(absl::StrFormat("lat=%u", cfg.lat)); });
      lat_lib.insert(lat_lib.end(), r[0].latency_us.begin(),
                     r[0].latency_us.end());
      printf("BENCH latency   kuchan lib: %zu events, p50 %.1f us, "
             "p99 %.1f us\n",
             r[0].latency_us.size(), Percentile(r[0].latency_us, 50),
             Percentile(r[0].latency_us, 99));
    }
    fflush(stdout);
  }
  Run("rmmod kuchan_bench_base");

  // The summary: every target of issue 12, from this boot's reps.
  printf("SUMMARY %s\n", "per rep, then the target");
  std::vector<double> delivery, delivery_e2e, idle_ratio, raise_ratio,
      irq_ratio, steady_ratio;
  for (unsigned i = 0; i < cfg.reps; ++i) {
    const Rep& R = reps[i];
    const double ik = Median(R.idle_k), ib = Median(R.idle_b);
    delivery.push_back(R.rate_b > 0 ? R.rate_k / R.rate_b : 0);
    delivery_e2e.push_back(R.e2e_b > 0 ? R.e2e_k / R.e2e_b : 0);
    idle_ratio.push_back(ik / ib);
    raise_ratio.push_back(R.raise_k / ik);
    steady_ratio.push_back(R.steady_k / ik);
    irq_ratio.push_back(R.irq_raise_k / R.irq_idle_k);
    int lossfree = 0, exact = 0;
    for (const Result& r : R.lib4) {
      lossfree += r.received == burst;
      exact += r.received + r.lost == burst;
    }
    printf("BENCH summary rep %u: delivery raw kuchan %.0f/s base %.0f/s = "
           "%.2fx, end to end %.0f/s %.0f/s = %.2fx; lib4 loss-free %d/4, "
           "exact %d/4",
           i, R.rate_k, R.rate_b, delivery.back(), R.e2e_k, R.e2e_b,
           delivery_e2e.back(), lossfree, exact);
    if (!cfg.delivery_only) {
      printf("; idle kuchan %.1f base %.1f ns = %.2fx; raise kuchan %.1f ns = "
             "%.2fx idle%s (base %.1f), after the first of a chunk %.1f ns = "
             "%.2fx idle (base %.1f), the first %.1f us (base %.1f us); irq "
             "raise kuchan %.1f ns = %.2fx irq idle %.1f%s (base %.1f)",
             ik, ib, idle_ratio.back(), R.raise_k, raise_ratio.back(),
             R.raise_k_ok ? "" : " INVALID", R.raise_b, R.steady_k,
             steady_ratio.back(), R.steady_b, R.first_k / 1000,
             R.first_b / 1000, R.irq_raise_k, irq_ratio.back(), R.irq_idle_k,
             R.irq_raise_k_ok ? "" : " INVALID", R.irq_raise_b);
    }
    printf("\n");
  }
  int lossfree = 0, total = 0;
  for (const Rep& R : reps) {
    for (const Result& r : R.lib4) {
      lossfree += r.received == burst;
      ++total;
    }
  }
  const double d = Median(delivery), de = Median(delivery_e2e),
               ir = Median(idle_ratio),
               rr = Median(raise_ratio), qr = Median(irq_ratio),
               sr = Median(steady_ratio);
  const double k50 = Percentile(lat_k, 50), k99 = Percentile(lat_k, 99);
  const double b50 = Percentile(lat_b, 50), b99 = Percentile(lat_b, 99);
  printf("BENCH target delivery: raw 8 MiB kuchan/base median %.2fx arrival "
         "rate, %.2fx end to end (>= 4x: %s, %s)\n",
         d, de, Met(d >= 4), Met(de >= 4));
  printf("BENCH target lib4: %d of %d subscribers loss-free (all: %s)\n",
         lossfree, total, Met(lossfree == total));
  if (cfg.delivery_only) return 0;
  printf("BENCH target raise: process %.2fx idle, hard irq %.2fx idle "
         "(<= 4x: %s, %s); process after the first raise of a chunk (no "
         "wake-up from sleep, no kick of the worker): %.2fx\n",
         rr, qr, Met(rr <= 4), Met(qr <= 4), sr);
  printf("BENCH target latency: kuchan p50 %.1f us p99 %.1f us, base p50 %.1f "
         "us p99 %.1f us (%zu/%zu events): %.2fx, %.2fx (<= 2x: %s, %s); "
         "kuchan lib p50 %.1f us p99 %.1f us\n",
         k50, k99, b50, b99, lat_k.size(), lat_b.size(), k50 / b50, k99 / b99,
         Met(k50 <= 2 * b50), Met(k99 <= 2 * b99), Percentile(lat_lib, 50),
         Percentile(lat_lib, 99));
  printf("BENCH target idle: kuchan/base median %.2fx (<= 1.2x: %s)\n", ir,
         Met(ir <= 1.2));
  return 0;
}
