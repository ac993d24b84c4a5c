// SPDX-License-Identifier: GPL-2.0
//
// Suite "Fault": every command and every event path of kuchan while its
// memory allocations fail, one at a time, at each point in turn. Needs a
// kernel with fault injection (the VM bench's debug kernel: FAILSLAB,
// FAULT_INJECTION_DEBUG_FS, FAULT_INJECTION_STACKTRACE_FILTER); skipped on
// others (Debian's), so the same binary runs everywhere.
//
// How: failslab's stack-trace filter (require-start/require-end) is set to
// kuchan's text, so only allocations made with one of kuchan's functions on
// the stack can fail: kuchan's own, and those it asks of the kernel (an
// skb, a multicast's clone, a signal's queue entry). Then:
//
// - Each request, with /proc/thread-self/fail-nth = 1, 2, 3, ...: the n-th
//   such allocation of the request (made in the requester's thread, where
//   genetlink runs a handler) fails, until the request runs to the end
//   without reaching an n-th (fail-nth reads back non-zero). Every failure
//   must end the request cleanly: ENOMEM with nothing changed (the helper
//   is still the old one, no subscription was made), or success with the
//   lost event counted (GET_STATS dropped_nomem, helper_dropped_nomem).
//   EMIT delivers the events it raised in its own thread (numbering,
//   batching, the helper's copy, the multicast), so its sweeps cover the
//   delivery path too.
// - Work kuchan does in its workqueues (delivery of the other requests'
//   events, helper runs and their reports, subscription signals, loss
//   reports) is not the requester's thread: it runs with failslab's
//   probability at 10% (no task filter; still only kuchan's stacks), and
//   every event must still be accounted for.
//
// And always: no warning or report in the kernel log; kmemleak, run by
// tests/vm/guest-init after all suites with kuchan unloaded, finds nothing.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "kernel/uapi/kuchan.h"
#include "tests/guest/family_info.h"
#include "tests/guest/guest_util.h"
#include "tests/raw/raw_genl.h"

namespace kuchan::guest {
namespace {

using raw::Attrs;
using raw::ParseAttrs;
using raw::Reply;

constexpr char kFailslab[] = "/sys/kernel/debug/failslab";
constexpr char kFailNth[] = "/proc/thread-self/fail-nth";
// Root's alone: the module runs no helper that others could change.
constexpr char kDir[] = "/run/kuchan-fault";
// No request of kuchan's makes anywhere near this many allocations.
constexpr int kMaxPoints = 64;
// kuchan's event worker polls the buffers for up to 2 ms after it drained
// them (KUCHAN_LINGER_MAX_NS, kernel/event_ring.c). A request raised while
// it lingers may have its event delivered by the worker, whose allocations
// are not the requester's: each round of a sweep that raises events waits
// this long first, so that EMIT's delivery is always its own.
constexpr useconds_t kWorkerQuietUs = 20000;
// The subscription's signal, blocked in every thread of this process.
const int kRt = SIGRTMIN + 3;

std::string ReadFile(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool WriteFile(const std::string& path, const std::string& text) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = write(fd, text.data(), text.size()) ==
            static_cast<ssize_t>(text.size());
  close(fd);
  return ok;
}

uint64_t Bit(int type) { return uint64_t{1} << type; }

template <typename T>
T Get(const std::map<int, std::string>& m, int type, T def = T()) {
  auto it = m.find(type);
  if (it == m.end() || it->second.size() < sizeof(T)) return def;
  T v;
  memcpy(&v, it->second.data(), sizeof(v));
  return v;
}

// The genetlink payload (after the genl header) of a whole message.
std::string Payload(const std::string& msg) {
  return msg.size() < GENL_HDRLEN ? std::string() : msg.substr(GENL_HDRLEN);
}

// kuchan's text as the running kernel has it: from the lowest of its
// function symbols in /proc/kallsyms to the end of the page after the page
// of the highest (its last function's tail; what follows a vmalloc'ed
// module's last page is a guard page, never another module).
std::optional<std::pair<uint64_t, uint64_t>> ModuleText() {
  std::ifstream f("/proc/kallsyms");
  std::string line;
  uint64_t lo = UINT64_MAX, hi = 0;
  while (std::getline(f, line)) {
    if (line.size() < 9 || line.compare(line.size() - 9, 9, "\t[kuchan]"))
      continue;
    std::vector<std::string> w = absl::StrSplit(line, absl::ByAnyChar(" \t"),
                                                absl::SkipEmpty());
    if (w.size() < 3 || (w[1] != "t" && w[1] != "T")) continue;
    uint64_t a;
    if (!absl::SimpleHexAtoi(w[0], &a) || a == 0) continue;
    lo = std::min(lo, a);
    hi = std::max(hi, a);
  }
  if (lo == UINT64_MAX) return std::nullopt;
  return std::make_pair(lo, (hi | 0xfff) + 1 + 0x1000);
}

// The text of the kernel function `name`: from its address to the next
// symbol's. Nothing if the kernel has no such function.
std::optional<std::pair<uint64_t, uint64_t>> KernelFunction(
    const std::string& name) {
  std::ifstream f("/proc/kallsyms");
  std::string line;
  std::vector<uint64_t> addrs;
  uint64_t start = 0;
  while (std::getline(f, line)) {
    std::vector<std::string> w = absl::StrSplit(line, absl::ByAnyChar(" \t"),
                                                absl::SkipEmpty());
    uint64_t a;
    if (w.size() < 3 || !absl::SimpleHexAtoi(w[0], &a)) continue;
    addrs.push_back(a);
    if (w.size() == 3 && w[2] == name && (w[1] == "T" || w[1] == "t"))
      start = a;
  }
  if (start == 0) return std::nullopt;
  uint64_t end = UINT64_MAX;
  for (uint64_t a : addrs)
    if (a > start) end = std::min(end, a);
  return std::make_pair(start, end);
}

// failslab's debugfs knobs: set for the suite, put back after.
class Failslab {
 public:
  static bool Available() {
    return access(kFailslab, F_OK) == 0 && access(kFailNth, W_OK) == 0;
  }
  bool Set(const std::string& knob, const std::string& value) {
    const std::string path = absl::StrCat(kFailslab, "/", knob);
    if (!saved_.count(knob)) {
      std::string old = ReadFile(path);
      while (!old.empty() && old.back() == '\n') old.pop_back();
      saved_[knob] = old;
    }
    return WriteFile(path, value);
  }
  ~Failslab() {
    // Probability first: nothing fails while the rest goes back.
    if (saved_.count("probability"))
      WriteFile(absl::StrCat(kFailslab, "/probability"), saved_["probability"]);
    for (const auto& [knob, value] : saved_)
      WriteFile(absl::StrCat(kFailslab, "/", knob), value);
  }

 private:
  std::map<std::string, std::string> saved_;
};

struct Stats {
  uint64_t dropped_nomem = 0;
  uint64_t helper_dropped_nomem = 0;
  uint64_t sub_signals_dropped = 0;
  uint64_t sub_revoked = 0;
  uint64_t last_seq = 0;
  uint64_t Drops() const { return dropped_nomem + helper_dropped_nomem; }
};

// A listener on the monitor group: every event, by sequence number.
class Monitor {
 public:
  explicit Monitor(uint32_t group) {
    int rcvbuf = 8 << 20;
    setsockopt(sock_.fd(), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
    ok_ = sock_.JoinGroup(group) == 0;
  }
  bool ok() const { return ok_; }
  // Reads what has arrived, waiting up to `timeout_ms` for the first.
  // False when the socket reported a loss (ENOBUFS).
  bool Drain(int timeout_ms = 0) {
    bool clean = true;
    for (int wait = timeout_ms;; wait = 0) {
      pollfd p{sock_.fd(), POLLIN, 0};
      if (poll(&p, 1, wait) != 1) return clean;
      alignas(nlmsghdr) char buf[65536];
      ssize_t n = recv(sock_.fd(), buf, sizeof(buf), MSG_DONTWAIT);
      if (n < 0) {
        if (errno == ENOBUFS) clean = false;
        if (errno == ENOBUFS || errno == EINTR) continue;
        return clean;
      }
      size_t len = static_cast<size_t>(n);
      for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, len);
           h = NLMSG_NEXT(h, len)) {
        auto top = ParseAttrs(Payload(std::string(
            static_cast<char*>(NLMSG_DATA(h)), h->nlmsg_len - NLMSG_HDRLEN)));
        Event e;
        e.seq = Get<uint64_t>(top, KUCHAN_A_EVENT_SEQ);
        e.type = Get<uint32_t>(top, KUCHAN_A_EVENT_TYPE);
        if (top.count(KUCHAN_A_EVENT_CUSTOM))
          e.code = Get<uint32_t>(ParseAttrs(top[KUCHAN_A_EVENT_CUSTOM]),
                                 KUCHAN_A_CUSTOM_CODE);
        if (top.count(KUCHAN_A_EVENT_HELPER_RAN)) {
          auto ran = ParseAttrs(top[KUCHAN_A_EVENT_HELPER_RAN]);
          e.ran_error = Get<uint32_t>(ran, KUCHAN_A_HELPER_RAN_ERROR);
          e.ran_status = Get<int32_t>(ran, KUCHAN_A_HELPER_RAN_EXIT_STATUS, -1);
          e.ran_seq = Get<uint64_t>(ran, KUCHAN_A_HELPER_RAN_EVENT_SEQ);
        }
        events.push_back(e);
      }
    }
  }

  struct Event {
    uint64_t seq = 0;
    uint32_t type = 0;
    uint32_t code = 0;
    uint32_t ran_error = 0;
    int32_t ran_status = -1;
    uint64_t ran_seq = 0;
  };
  std::vector<Event> events;

 private:
  raw::Socket sock_;
  bool ok_ = false;
};

class FaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!Failslab::Available())
      GTEST_SKIP() << "no fault injection in this kernel (" << kFailslab
                   << ", " << kFailNth
                   << "): the debug kernel of tests/vm has it";
    auto text = ModuleText();
    ASSERT_TRUE(text.has_value()) << "no kuchan symbols in /proc/kallsyms";
    auto info = QueryFamily(KUCHAN_FAMILY_NAME);
    ASSERT_TRUE(info.ok()) << info.status();
    family_ = static_cast<uint16_t>(info->id);
    ASSERT_TRUE(info->groups.count(KUCHAN_MCGRP_MONITOR));
    group_ = info->groups.at(KUCHAN_MCGRP_MONITOR);

    failslab_.emplace();
    // Nothing fails unless asked, and nothing but what kuchan's code asks
    // for; GFP_KERNEL allocations too (failslab skips those by default);
    // no report per failure (verbose 2 would print a stack trace each).
    ASSERT_TRUE(failslab_->Set("probability", "0"));
    ASSERT_TRUE(failslab_->Set("verbose", "0"));
    ASSERT_TRUE(failslab_->Set("ignore-gfp-wait", "N"));
    ASSERT_TRUE(failslab_->Set("task-filter", "N"));
    ASSERT_TRUE(failslab_->Set("interval", "1"));
    ASSERT_TRUE(failslab_->Set("space", "0"));
    ASSERT_TRUE(failslab_->Set("times", "-1"));
    ASSERT_TRUE(failslab_->Set("stacktrace-depth", "32"));
    // kmemleak's record of each of kuchan's objects is allocated with
    // kuchan's function on the stack too; a failure there costs kuchan
    // nothing (kmemleak takes one from its reserve) and would only double
    // the points to try: left out.
    auto kmemleak = KernelFunction("kmemleak_alloc");
    ASSERT_TRUE(failslab_->Set("reject-start",
                               std::to_string(kmemleak ? kmemleak->first : 0)));
    ASSERT_TRUE(failslab_->Set("reject-end",
                               std::to_string(kmemleak ? kmemleak->second : 0)));
    ASSERT_TRUE(failslab_->Set("require-start", std::to_string(text->first)));
    ASSERT_TRUE(failslab_->Set("require-end", std::to_string(text->second)));

    // The subscription's signal waits for sigtimedwait().
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, kRt);
    ASSERT_EQ(sigprocmask(SIG_BLOCK, &set, nullptr), 0);
    DrainSignals();

    ASSERT_EQ(mkdir(kDir, 0755) == 0 || errno == EEXIST, true);
    helper_ = absl::StrCat(kDir, "/helper");
    other_helper_ = absl::StrCat(kDir, "/other-helper");
    ran_ = absl::StrCat(kDir, "/ran");
    unlink(ran_.c_str());
    for (const std::string& h : {helper_, other_helper_}) {
      // Each run notes the event's number.
      std::ofstream(h) << "#!/bin/sh\necho \"$KUCHAN_SEQ\" >>" << ran_
                       << "\n";
      ASSERT_EQ(chmod(h.c_str(), 0755), 0);
    }
    ASSERT_EQ(Request(KUCHAN_CMD_HELPER_CLEAR).error, 0);

    auto kmsg = KmsgReader::Open();
    ASSERT_TRUE(kmsg.ok()) << kmsg.status();
    kmsg_.emplace(std::move(*kmsg));
  }

  void TearDown() override {
    if (!failslab_) return;
    failslab_.reset();  // nothing fails from here on
    Request(KUCHAN_CMD_HELPER_CLEAR);
    WaitForHelperIdle();
    DrainSignals();
    ExpectCleanKernelLog();
  }

  void ExpectCleanKernelLog() {
    if (!kmsg_) return;
    auto records = kmsg_->ReadNew();
    ASSERT_TRUE(records.ok()) << records.status();
    for (const KmsgRecord& r : *records)
      EXPECT_FALSE(IsKernelProblem(r)) << "kernel log: " << r.text;
  }

  Reply Request(uint8_t cmd, const Attrs& attrs = Attrs()) {
    return sock_.Request(family_, cmd, attrs.bytes());
  }

  Stats GetStats() {
    // While failslab's probability is on, the reply may fail too.
    Reply r = Request(KUCHAN_CMD_GET_STATS);
    for (int i = 0; i < 50 && r.error == ENOMEM; i++)
      r = Request(KUCHAN_CMD_GET_STATS);
    Stats s;
    EXPECT_EQ(r.error, 0) << r.extack;
    if (r.messages.empty()) return s;
    auto top = ParseAttrs(Payload(r.messages[0]));
    s.dropped_nomem = Get<uint64_t>(top, KUCHAN_A_STATS_DROPPED_NOMEM);
    s.helper_dropped_nomem =
        Get<uint64_t>(top, KUCHAN_A_STATS_HELPER_DROPPED_NOMEM);
    s.sub_signals_dropped =
        Get<uint64_t>(top, KUCHAN_A_STATS_SUBSCRIPTION_SIGNALS_DROPPED);
    s.sub_revoked = Get<uint64_t>(top, KUCHAN_A_STATS_SUBSCRIPTIONS_REVOKED);
    s.last_seq = Get<uint64_t>(top, KUCHAN_A_STATS_LAST_SEQ);
    return s;
  }

  Reply SetHelper(const std::string& path, uint64_t mask) {
    return Request(KUCHAN_CMD_HELPER_SET, Attrs()
                                              .Str(KUCHAN_A_HELPER_PATH, path)
                                              .U64(KUCHAN_A_HELPER_EVENT_MASK,
                                                   mask));
  }

  // The helper's path as HELPER_GET reports it ("" for none).
  std::string HelperPath() {
    Reply r = Request(KUCHAN_CMD_HELPER_GET);
    EXPECT_EQ(r.error, 0) << r.extack;
    if (r.messages.empty()) return "?";
    auto top = ParseAttrs(Payload(r.messages[0]));
    auto it = top.find(KUCHAN_A_HELPER_PATH);
    if (it == top.end()) return "";
    return std::string(it->second.c_str());
  }

  Reply Emit(uint32_t code, bool pairs = true) {
    Attrs a;
    a.U32(KUCHAN_A_CUSTOM_CODE, code);
    if (pairs) {
      a.Nest(KUCHAN_A_CUSTOM_DATA, Attrs()
                                       .Str(KUCHAN_A_KV_KEY, "door")
                                       .Str(KUCHAN_A_KV_VALUE, "open"))
          .Nest(KUCHAN_A_CUSTOM_DATA,
                Attrs()
                    .Str(KUCHAN_A_KV_KEY, "fault")
                    .Str(KUCHAN_A_KV_VALUE, std::to_string(code)));
    }
    return Request(KUCHAN_CMD_EMIT, a);
  }

  // SIGNAL to `pids` (signal 0: nothing is delivered, every check runs).
  Reply Signal(const std::vector<pid_t>& pids) {
    Attrs a;
    for (pid_t pid : pids)
      a.Nest(KUCHAN_A_SIGNAL_TARGETS, Attrs().S32(KUCHAN_A_TARGET_PID, pid));
    return Request(KUCHAN_CMD_SIGNAL, a.U32(KUCHAN_A_SIGNAL_SIGNAL, 0));
  }

  Reply Subscribe(raw::Socket& s, uint64_t mask = 0) {
    Attrs a;
    a.U32(KUCHAN_A_SUBSCRIPTION_SIGNAL, static_cast<uint32_t>(kRt));
    if (mask) a.U64(KUCHAN_A_SUBSCRIPTION_EVENT_MASK, mask);
    return s.Request(family_, KUCHAN_CMD_SUBSCRIBE, a.bytes());
  }
  Reply Unsubscribe(raw::Socket& s) {
    return s.Request(family_, KUCHAN_CMD_UNSUBSCRIBE, "");
  }

  // The sequence numbers the subscription's signals carried since the last
  // call.
  std::vector<uint64_t> DrainSignals(int first_wait_ms = 0) {
    std::vector<uint64_t> seqs;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, kRt);
    for (int wait = first_wait_ms;; wait = 0) {
      timespec ts{wait / 1000, (wait % 1000) * 1000000L};
      siginfo_t si{};
      if (sigtimedwait(&set, &si, &ts) != kRt) return seqs;
      EXPECT_EQ(si.si_code, SI_ASYNCIO);
      seqs.push_back(reinterpret_cast<uint64_t>(si.si_addr));
    }
  }

  // The helper's queue and runners are done when nothing has changed for a
  // while (kuchan says nothing about them outside events).
  void WaitForHelperIdle() {
    auto state = [&] {
      return std::make_pair(GetStats().last_seq, HelperRan().size());
    };
    auto last = state();
    for (int quiet = 0, i = 0; quiet < 6 && i < 240; i++) {
      usleep(500000);
      auto now = state();
      quiet = now == last ? quiet + 1 : 0;
      last = now;
    }
  }

  // The request with the n-th allocation kuchan's code makes in this
  // thread failing; the second member says whether it came to that.
  std::pair<Reply, bool> WithNthFailure(int n,
                                        const std::function<Reply()>& fn) {
    int fd = open(kFailNth, O_RDWR | O_CLOEXEC);
    EXPECT_GE(fd, 0) << strerror(errno);
    const std::string nth = std::to_string(n);
    EXPECT_EQ(write(fd, nth.data(), nth.size()),
              static_cast<ssize_t>(nth.size()));
    Reply r = fn();
    char buf[32] = {};
    lseek(fd, 0, SEEK_SET);
    ssize_t got = read(fd, buf, sizeof(buf) - 1);
    EXPECT_GT(got, 0);
    int left = atoi(buf);
    EXPECT_EQ(write(fd, "0", 1), 1);
    close(fd);
    return {r, left == 0};
  }

  // GET_STATS once the `events` events a request raised after `before`
  // are delivered (numbered) or counted as lost: only EMIT delivers in the
  // requester's thread, the others' events go out from kuchan's worker. At
  // most 5 s; then what there is.
  Stats StatsAfter(const Stats& before, int events) {
    Stats now = GetStats();
    for (int i = 0; i < 100 && now.last_seq - before.last_seq +
                                       (now.dropped_nomem -
                                        before.dropped_nomem) <
                                   uint64_t(events);
         i++) {
      usleep(50000);
      now = GetStats();
    }
    return now;
  }

  // The events the helper has run for (their numbers).
  std::set<uint64_t> HelperRan() {
    std::set<uint64_t> seqs;
    std::ifstream f(ran_);
    uint64_t seq;
    while (f >> seq) seqs.insert(seq);
    return seqs;
  }

  // `request` with each allocation point failing in turn (see the top of
  // this file), until it runs without an injected failure; then it must
  // give `want` (its errno). With a failure injected it must give ENOMEM,
  // or `want` with each of the `events` events it raises for consumers
  // either numbered (sent) or counted as dropped_nomem: never lost
  // silently. (A request can also succeed with nothing lost: the kernel
  // recovers from some failures by itself, e.g. netlink_trim() keeps the
  // skb it could not shrink.) `after` checks the state each outcome left
  // and puts back what the next round needs. Returns the number of
  // allocation points found.
  int Sweep(const std::string& what, const std::function<Reply()>& request,
            int want = 0, int events = 0,
            const std::function<void(const Reply&, bool)>& after = nullptr) {
    for (int n = 1; n <= kMaxPoints; n++) {
      SCOPED_TRACE(absl::StrCat(what, ", allocation ", n, " failing"));
      if (events) usleep(kWorkerQuietUs);
      const Stats before = GetStats();
      auto [r, injected] = WithNthFailure(n, request);
      const Stats now = StatsAfter(before, events);
      if (after) after(r, injected);
      if (!injected) {
        EXPECT_EQ(r.error, want) << what << " without a failure: "
                                 << strerror(r.error) << " " << r.extack;
        EXPECT_GE(now.last_seq - before.last_seq, uint64_t(events))
            << what << " without a failure";
        ExpectCleanKernelLog();
        printf("kuchan fault: %s: %d allocation points\n", what.c_str(), n - 1);
        fflush(stdout);
        return n - 1;
      }
      if (r.error == ENOMEM) continue;
      EXPECT_EQ(r.error, want) << "errno " << r.error << " ("
                               << strerror(r.error) << "), extack `"
                               << r.extack << "'";
      EXPECT_GE(now.last_seq - before.last_seq +
                    (now.dropped_nomem - before.dropped_nomem),
                uint64_t(events))
          << what << " answered as if nothing failed, and an event was "
          << "neither sent nor counted: last_seq " << before.last_seq
          << " -> " << now.last_seq << ", dropped_nomem "
          << before.dropped_nomem << " -> " << now.dropped_nomem;
    }
    ADD_FAILURE() << what << ": more than " << kMaxPoints
                  << " allocation points, or fail-nth never reads back 0";
    return kMaxPoints;
  }

  // After a sweep whose events went to the helper and a subscriber (with
  // their numbers from `first` to `last`): the helper ran for each or its
  // loss was counted; the subscriber got each one's signal or its loss
  // was counted.
  void ExpectDelivered(const Stats& before, const Stats& after,
                       const std::set<uint64_t>& want_helper,
                       const std::set<uint64_t>& want_signal,
                       const std::vector<uint64_t>& signalled) {
    std::set<uint64_t> ran = HelperRan();
    uint64_t missed = 0;
    std::string which;
    for (uint64_t seq : want_helper)
      if (!ran.count(seq)) {
        missed++;
        absl::StrAppend(&which, " ", seq);
      }
    EXPECT_LE(missed, after.helper_dropped_nomem - before.helper_dropped_nomem)
        << "events the helper never ran for, and not counted as "
        << "helper_dropped_nomem:" << which;
    std::set<uint64_t> got(signalled.begin(), signalled.end());
    missed = 0;
    which.clear();
    for (uint64_t seq : want_signal)
      if (!got.count(seq)) {
        missed++;
        absl::StrAppend(&which, " ", seq);
      }
    EXPECT_LE(missed, (after.sub_signals_dropped - before.sub_signals_dropped) +
                          (after.sub_revoked - before.sub_revoked))
        << "subscription signals lost and not counted as "
        << "subscription_signals_dropped:" << which;
  }

  // Every command, as root, against whatever consumers the test set up.
  // `listener`: a listener on the monitor group gets every event, so the
  // commands that raise one have its allocation points too.
  void SweepEveryCommand(bool listener) {
    const int ev = listener ? 1 : 0;
    // SIGNAL: its target array; with a target that fails, the per-target
    // reply; with a consumer, a SIGNAL_SENT event per target (delivered by
    // kuchan's worker: its allocations are not the requester's). The
    // lower bounds below count only what the requester's thread must
    // allocate.
    EXPECT_GE(Sweep("SIGNAL to itself", [&] { return Signal({getpid()}); },
                    0, ev),
              1);
    // A pid that is surely free: at pid_max - 1 nothing runs in this VM.
    const pid_t none = static_cast<pid_t>(
        std::stoul(ReadFile("/proc/sys/kernel/pid_max")) - 1);
    EXPECT_GE(Sweep("SIGNAL to itself and nobody",
                    [&] { return Signal({getpid(), none}); }, ESRCH, 2 * ev),
              2);

    // HELPER_SET: a new helper or, on ENOMEM, the old one unchanged.
    ASSERT_EQ(SetHelper(helper_, Bit(KUCHAN_EVENT_CUSTOM)).error, 0);
    EXPECT_GE(Sweep(
                  "HELPER_SET",
                  [&] {
                    return SetHelper(other_helper_, Bit(KUCHAN_EVENT_CUSTOM));
                  },
                  0, ev,
                  [&](const Reply& r, bool) {
                    EXPECT_EQ(HelperPath(),
                              r.error == 0 ? other_helper_ : helper_);
                    ASSERT_EQ(SetHelper(helper_, Bit(KUCHAN_EVENT_CUSTOM)).error,
                              0);
                  }),
              1);
    EXPECT_GE(Sweep("HELPER_GET",
                    [&] { return Request(KUCHAN_CMD_HELPER_GET); }),
              1);
    EXPECT_GE(Sweep(
                  "HELPER_CLEAR",
                  [&] { return Request(KUCHAN_CMD_HELPER_CLEAR); }, 0, ev,
                  [&](const Reply& r, bool) {
                    if (r.error == 0) {
                      EXPECT_EQ(HelperPath(), "");
                    }
                    ASSERT_EQ(
                        SetHelper(helper_, Bit(KUCHAN_EVENT_CUSTOM)).error, 0);
                  }),
              0);
    ASSERT_EQ(Request(KUCHAN_CMD_HELPER_CLEAR).error, 0);

    EXPECT_GE(Sweep("EMIT", [&] { return Emit(7); }, 0, ev), ev);
    EXPECT_GE(Sweep("GET_STATS",
                    [&] { return Request(KUCHAN_CMD_GET_STATS); }),
              1);

    // SUBSCRIBE: a subscription or, on ENOMEM, none at all.
    raw::Socket sub_sock;
    EXPECT_GE(Sweep("SUBSCRIBE", [&] { return Subscribe(sub_sock); }, 0, 0,
                    [&](const Reply& r, bool) {
                      EXPECT_EQ(Unsubscribe(sub_sock).error,
                                r.error == 0 ? 0 : ENOENT);
                    }),
              1);
    ASSERT_EQ(Subscribe(sub_sock).error, 0);
    Sweep("UNSUBSCRIBE", [&] { return Unsubscribe(sub_sock); }, 0, 0,
          [&](const Reply& r, bool) {
            if (r.error == 0) {
              ASSERT_EQ(Subscribe(sub_sock).error, 0);
            }
          });
    ASSERT_EQ(Unsubscribe(sub_sock).error, 0);
  }

  std::optional<Failslab> failslab_;
  std::optional<KmsgReader> kmsg_;
  raw::Socket sock_;
  uint16_t family_ = 0;
  uint32_t group_ = 0;
  std::string helper_, other_helper_, ran_;
};

// No consumer: only what each command allocates for itself.
TEST_F(FaultTest, EveryCommand) { SweepEveryCommand(false); }

// A listener on the monitor group: each command's event is built and
// multicast too.
TEST_F(FaultTest, EveryCommandWithAListener) {
  Monitor monitor(group_);
  ASSERT_TRUE(monitor.ok());
  SweepEveryCommand(true);
  EXPECT_TRUE(monitor.Drain()) << "the listener lost events (ENOBUFS)";
}

// A helper that wants custom events: each EMIT copies its event for the
// helper's queue; a failed copy is a counted helper drop. Then the helper
// runs for every event that was not.
TEST_F(FaultTest, EventsForTheHelper) {
  ASSERT_EQ(SetHelper(helper_, Bit(KUCHAN_EVENT_CUSTOM)).error, 0);
  const Stats before = GetStats();
  EXPECT_GE(Sweep("EMIT with a helper", [&] { return Emit(8); }, 0, 1), 2);
  EXPECT_GE(Sweep("EMIT without pairs with a helper",
                  [&] { return Emit(9, false); }, 0, 1),
            2);
  WaitForHelperIdle();
  const Stats after = GetStats();
  // Nothing else is numbered: only the helper consumes anything.
  std::set<uint64_t> custom;
  for (uint64_t seq = before.last_seq + 1; seq <= after.last_seq; seq++)
    custom.insert(seq);
  ExpectDelivered(before, after, custom, {}, {});
}

// A subscription: events reach it through a ring and a work item, not by
// allocating in the requester's thread; every event numbered must be
// signalled.
TEST_F(FaultTest, EventsForASubscriber) {
  raw::Socket sub_sock;
  ASSERT_EQ(Subscribe(sub_sock).error, 0);
  const Stats before = GetStats();
  EXPECT_GE(Sweep("EMIT with a subscriber", [&] { return Emit(10); }, 0, 1),
            1);
  EXPECT_GE(Sweep("SIGNAL with a subscriber",
                  [&] { return Signal({getpid()}); }, 0, 1),
            1);
  std::vector<uint64_t> signalled = DrainSignals(1000);
  const Stats after = GetStats();
  ASSERT_EQ(Unsubscribe(sub_sock).error, 0);
  std::set<uint64_t> all;
  for (uint64_t seq = before.last_seq + 1; seq <= after.last_seq; seq++)
    all.insert(seq);
  ExpectDelivered(before, after, {}, all, signalled);
}

// Every consumer at once: the listener, the helper and a subscriber.
TEST_F(FaultTest, EventsForEveryConsumer) {
  Monitor monitor(group_);
  ASSERT_TRUE(monitor.ok());
  ASSERT_EQ(SetHelper(helper_, Bit(KUCHAN_EVENT_CUSTOM)).error, 0);
  raw::Socket sub_sock;
  ASSERT_EQ(Subscribe(sub_sock, Bit(KUCHAN_EVENT_CUSTOM)).error, 0);
  const Stats before = GetStats();
  EXPECT_GE(Sweep("EMIT to every consumer", [&] { return Emit(11); }, 0, 1),
            2);
  EXPECT_GE(Sweep("SIGNAL to every consumer",
                  [&] { return Signal({getpid()}); }, 0, 1),
            1);
  WaitForHelperIdle();
  std::vector<uint64_t> signalled = DrainSignals(1000);
  const Stats after = GetStats();
  ASSERT_EQ(Unsubscribe(sub_sock).error, 0);
  EXPECT_TRUE(monitor.Drain(200)) << "the listener lost events (ENOBUFS)";
  std::set<uint64_t> custom;
  for (const auto& e : monitor.events)
    if (e.type == KUCHAN_EVENT_CUSTOM && e.seq > before.last_seq &&
        e.seq <= after.last_seq)
      custom.insert(e.seq);
  EXPECT_FALSE(custom.empty());
  ExpectDelivered(before, after, custom, custom, signalled);
}

// What kuchan does later, in its workqueues (helper runs and their
// reports, subscription signals, loss reports), with one in ten of
// kuchan's allocations failing, in any task. Then, with nothing failing:
// every event is accounted for, and everything works as before.
TEST_F(FaultTest, WorkqueuesAtRandom) {
  Monitor monitor(group_);
  ASSERT_TRUE(monitor.ok());
  ASSERT_EQ(SetHelper(helper_, Bit(KUCHAN_EVENT_CUSTOM)).error, 0);
  raw::Socket sub_sock;
  ASSERT_EQ(Subscribe(sub_sock).error, 0);
  const Stats before = GetStats();

  constexpr int kEvents = 40;
  ASSERT_TRUE(failslab_->Set("probability", "10"));
  int enomem = 0;
  for (int i = 0; i < kEvents; i++) {
    Reply r = Emit(1000 + i);
    if (r.error == ENOMEM) {
      enomem++;
    } else {
      EXPECT_EQ(r.error, 0) << strerror(r.error) << " " << r.extack;
    }
    r = Signal({getpid()});
    if (r.error == ENOMEM) {
      enomem++;
    } else {
      EXPECT_EQ(r.error, 0) << strerror(r.error) << " " << r.extack;
    }
    // The helper runs one event at a time: let its queue keep up.
    usleep(50000);
  }
  WaitForHelperIdle();
  ASSERT_TRUE(failslab_->Set("probability", "0"));
  WaitForHelperIdle();
  const Stats after = GetStats();
  std::vector<uint64_t> signalled = DrainSignals(500);
  ASSERT_TRUE(monitor.Drain(500)) << "the listener lost events (ENOBUFS)";

  // Something did fail: the counters or the helper's reports show it.
  std::set<uint64_t> reported;  // helper runs that failed, and said so
  for (const auto& e : monitor.events) {
    if (e.type != KUCHAN_EVENT_HELPER_RAN || e.ran_seq <= before.last_seq)
      continue;
    // A helper run either ran (exit status 0) or could not start for
    // lack of memory, and says so.
    if (e.ran_error == ENOMEM) {
      reported.insert(e.ran_seq);
      continue;
    }
    EXPECT_EQ(e.ran_error, 0u) << "HELPER_RAN of event " << e.ran_seq;
    EXPECT_EQ(e.ran_status, 0) << "HELPER_RAN of event " << e.ran_seq;
  }
  EXPECT_GT(after.Drops() - before.Drops() + reported.size() + enomem, 0u)
      << "no allocation failed: is failslab's filter right?";

  // Every event the listener saw went to the subscriber (its mask is every
  // type), and the custom ones to the helper: each was delivered, or its
  // loss was counted. A helper run that failed reported it (above), or its
  // report was lost and counted as dropped_nomem.
  std::set<uint64_t> all, custom;
  for (const auto& e : monitor.events) {
    if (e.seq <= before.last_seq || e.seq > after.last_seq) continue;
    all.insert(e.seq);
    if (e.type == KUCHAN_EVENT_CUSTOM && !reported.count(e.seq))
      custom.insert(e.seq);
  }
  Stats allowance = after;
  allowance.helper_dropped_nomem += after.dropped_nomem - before.dropped_nomem;
  ExpectDelivered(before, allowance, custom, all, signalled);

  // And all is well again: an event reaches all three.
  const size_t seen = monitor.events.size();
  ASSERT_EQ(Emit(2000).error, 0);
  bool listened = false;
  uint64_t seq = 0;
  for (int i = 0; i < 50 && !listened; i++) {
    monitor.Drain(200);
    for (size_t j = seen; j < monitor.events.size(); j++)
      if (monitor.events[j].type == KUCHAN_EVENT_CUSTOM &&
          monitor.events[j].code == 2000) {
        listened = true;
        seq = monitor.events[j].seq;
      }
  }
  ASSERT_TRUE(listened) << "the listener did not get the event";
  bool ran = false;
  for (int i = 0; i < 100 && !ran; i++) {
    monitor.Drain(200);
    for (size_t j = seen; j < monitor.events.size(); j++)
      if (monitor.events[j].type == KUCHAN_EVENT_HELPER_RAN &&
          monitor.events[j].ran_seq == seq) {
        ran = true;
        EXPECT_EQ(monitor.events[j].ran_status, 0);
      }
  }
  EXPECT_TRUE(ran) << "the helper did not run for event " << seq;
  std::vector<uint64_t> last = DrainSignals(2000);
  EXPECT_NE(std::find(last.begin(), last.end(), seq), last.end())
      << "the subscriber got no signal for event " << seq;
  ASSERT_EQ(Unsubscribe(sub_sock).error, 0);
}

}  // namespace
}  // namespace kuchan::guest
