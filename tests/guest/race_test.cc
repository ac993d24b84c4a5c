// SPDX-License-Identifier: GPL-2.0
//
// Suite "Race": for a bounded time (KUCHAN_RACE_SECONDS, default 15), many
// processes use kuchan at once, as root and as the test user, while one of
// them unloads and loads the module again in a loop:
//
//   reloader          delete_module / finit_module, again and again
//   emitter           EMIT, SIGNAL probes of itself, GET_STATS, kuchanctl
//   helper-setter     HELPER_SET / GET / CLEAR of a helper that exits at once
//   monitor           root listening on the monitor group
//   test-user         every privileged request, monitor joins, probes of root
//   deputy            root sending on a socket the test user opened
//   root-subscribers  short-lived subscribed processes (root), some leaving
//   user-subscribers  their sockets to a child (the same as the test user)
//   execs             subscribed processes that exec, keeping the socket
//   pthread-exit      subscribed processes whose main thread exits first
//
// Then: every worker must have ended in time, the kernel must have logged
// no warning, every process must have got exactly what its rights allow,
// and a last unload and load must succeed.
//
// The processes share a memfd (struct Shared): counters, failures, what each
// process is doing (for a hang report), and the module's generation, which
// tells whether the module stayed the same loaded instance across a request.
// That is what makes the checks strict under the churn: a request may fail
// with ENOENT only when the module changed while it ran; a subscription
// must still be there, and its signal must come, while it did not.
//
// This file has its own main(): the same binary, exec'd with
// KUCHAN_RACE_EXEC in its environment, is the subscribed program that runs
// after exec and the process whose main thread calls pthread_exit (which
// must not unwind through GoogleTest's catch (...) frames).
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "kernel/uapi/kuchan.h"
#include "tests/guest/family_info.h"
#include "tests/guest/guest_util.h"
#include "tests/raw/raw_genl.h"

extern char** environ;

namespace kuchan::guest {
namespace {

using raw::Attrs;
using raw::Reply;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

// The helper: root-owned and not writable by others, in a directory that
// is neither (a hardened module refuses anything under /tmp, which is 1777).
constexpr char kDir[] = "/run/kuchan-race";
constexpr char kHelper[] = "/run/kuchan-race/helper";
// "MODE SIGNAL SOCKET_FD MEMFD GENERATION": this binary, exec'd by a worker.
constexpr char kExecEnv[] = "KUCHAN_RACE_EXEC";
constexpr int kDefaultSeconds = 15;
// Once the time is up, every worker must be done within this. They need a
// few seconds (a check of a signal's arrival may take up to 9 s, though
// with the reloads over it ends within about 2 s); this is generous.
constexpr auto kGrace = seconds(45);
// A worker's child alive longer than this is hung (they live at most 2 s,
// or 9 s waiting for signals, after an exec that takes seconds on the
// debug kernel under a busy host).
constexpr auto kChildBound = seconds(30);

// ---------------------------------------------------------------------------
// What every process shares.
// ---------------------------------------------------------------------------

// Counts of what was done, printed at the end: the churn really happened.
enum Count : int {
  kReloads,
  kUnloadBusy,
  kLoadedMeanwhile,
  kFamilyAbsent,
  kSubscribed,
  kSubscribedUser,
  kSubscribeBound,
  kUnsubscribed,
  kSocketsClosed,
  kSignals,
  kSignalsUser,
  kHolders,
  kExecs,
  kExecsFromThread,
  kExecSignals,
  kExecChecks,
  kExecChecksSpoiled,
  kSurvivors,
  kSurvivorsSpoiled,
  kExits,
  kKills,
  kHelperSets,
  kHelperClears,
  kEmits,
  kProbes,
  kProbesUser,
  kStats,
  kCli,
  kMonitorJoins,
  kMonitorEvents,
  kMonitorOverflows,
  kRefusals,
  kJoinRefusals,
  kUnownedJoins,
  kResidualReads,
  kProbeRefusals,
  kDeputyRefusals,
  kNumCounts
};

constexpr const char* kCountNames[] = {
    "module unloaded and loaded again",
    "unloads refused while busy (retried)",
    "loads that found the module already back (autoload)",
    "requests that found no family",
    "subscriptions by root",
    "subscriptions by the test user",
    "subscriptions refused by a bound (EDQUOT/ENOSPC)",
    "unsubscriptions",
    "subscribed sockets closed",
    "subscription signals received by root",
    "subscription signals received by the test user",
    "children holding an exited subscriber's sockets",
    "execs of subscribed processes",
    "  of them from a second thread",
    "subscription signals received after exec",
    "subscriptions seen to work after exec",
    "  checks of that spoiled by reloads",
    "signals received after the main thread's pthread_exit",
    "  checks of that spoiled by reloads",
    "subscribed processes that exited",
    "subscribed processes killed (SIGKILL)",
    "HELPER_SET",
    "HELPER_CLEAR",
    "EMIT",
    "SIGNAL probes of itself by root",
    "SIGNAL probes of itself by the test user",
    "GET_STATS",
    "kuchanctl runs",
    "monitor group joins by root",
    "events read on the monitor group",
    "monitor socket overflows (ENOBUFS)",
    "test user's privileged requests refused",
    "test user's monitor joins refused",
    "test user's joins of the id while no family owned it (watched: no event "
    "may reach them)",
    "  events they read where the module cannot check receivers (6.1: "
    "docs/security.md)",
    "test user's probes of root refused",
    "root's requests on the test user's socket refused",
};
static_assert(sizeof(kCountNames) / sizeof(kCountNames[0]) == kNumCounts);

// The assertions; each failure is counted and its first few described.
enum Check : int {
  kAllowedFailed,
  kUserPrivileged,
  kUserWrongError,
  kUserJoined,
  kUserReadEvents,
  kUserSignalledRoot,
  kDeputy,
  kWrongSignal,
  kBadSiginfo,
  kNeverSubscribed,
  kSubscriptionLost,
  kLostAfterExec,
  kSurvivorMissed,
  kMonitorOrder,
  kHelperState,
  kReload,
  kHung,
  kWorker,
  kNumChecks
};

constexpr const char* kCheckNames[] = {
    "a request the caller may make failed while the module stayed loaded",
    "the test user got a privileged request through",
    "the test user was refused with an unexpected error",
    "the test user joined the monitor group while kuchan's family owned it",
    "the test user read monitor events",
    "the test user signalled a root process",
    "root's request on a socket the test user opened was not refused",
    "a subscribed process got a signal it did not subscribe with",
    "a subscription signal without a kernel siginfo and event number",
    "a process that never subscribed got a subscription signal",
    "a subscription vanished while the module stayed loaded",
    "a subscription stopped working across exec",
    "no signal after the main thread's pthread_exit",
    "monitor events out of order",
    "HELPER_GET does not show the helper just set",
    "the reloader's unload or load failed",
    "a process hung",
    "a worker or its child failed to run",
};
static_assert(sizeof(kCheckNames) / sizeof(kCheckNames[0]) == kNumChecks);

constexpr int kExamples = 4;
constexpr size_t kExampleLen = 480;

// What one process is doing, for the report when something hangs.
struct Slot {
  std::atomic<pid_t> pid;  // 0: free
  // Root from fork to exit: the test user may not signal it. Set last when
  // claimed, cleared first when freed, so that a reader never pairs it with
  // another process's pid and start time.
  std::atomic<bool> root_forever;
  uint64_t start;  // its start time (/proc/PID/stat field 22)
  char name[32];
  char op[64];
};

struct Shared {
  // Even: the module is loaded, and the same instance as whenever else the
  // generation had this value. Odd: it may be changing (the reloader makes
  // it odd before delete_module and even after finit_module returned, and
  // it is the only one that unloads).
  std::atomic<uint64_t> gen;
  std::atomic<bool> stop;
  // The module checks each monitor receiver's opener at delivery (its
  // read-only parameter monitor_receivers_checked; 6.12, not 6.1).
  bool receivers_checked;
  std::atomic<uint64_t> counts[kNumCounts];
  std::atomic<uint64_t> failures[kNumChecks];
  char examples[kNumChecks][kExamples][kExampleLen];
  Slot slots[96];
};
static_assert(std::atomic<uint64_t>::is_always_lock_free &&
              std::atomic<pid_t>::is_always_lock_free &&
              std::atomic<bool>::is_always_lock_free);

Shared* g = nullptr;   // the shared memfd, mapped
int g_memfd = -1;
Slot* g_slot = nullptr;  // this process's

std::mt19937& Rng() {
  static std::mt19937 rng;
  return rng;
}

// Each process its own sequence: a forked child would repeat its parent's.
void Reseed() {
  Rng().seed(static_cast<uint32_t>(
      getpid() ^ Clock::now().time_since_epoch().count()));
}

int Rand(int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(Rng());
}

void SleepMs(int ms) { std::this_thread::sleep_for(milliseconds(ms)); }

void Add(Count c, uint64_t n = 1) { g->counts[c] += n; }

std::string Me() {
  return absl::StrCat(g_slot ? g_slot->name : "?", "[", getpid(), "]");
}

void Fail(Check c, const std::string& what) {
  const uint64_t n = g->failures[c]++;
  if (n < kExamples) {
    snprintf(g->examples[c][n], kExampleLen, "%s: %s", Me().c_str(),
             what.c_str());
  }
}

void SetOp(const char* op) {
  if (g_slot) snprintf(g_slot->op, sizeof(g_slot->op), "%s", op);
}

bool Stopping() { return g->stop.load(); }

// The generation now; see Shared::gen.
uint64_t Gen() { return g->gen.load(); }

// Did the module stay the same loaded instance since `before` was read?
bool Same(uint64_t before) { return before % 2 == 0 && Gen() == before; }

// This process's slot: the one it had before an exec, or a free one.
Slot* ClaimSlot(const char* name, bool root_forever) {
  const pid_t me = getpid();
  Slot* slot = nullptr;
  for (Slot& s : g->slots)
    if (s.pid.load() == me) slot = &s;
  for (Slot& s : g->slots) {
    if (slot) break;
    pid_t unused = 0;
    if (s.pid.compare_exchange_strong(unused, me)) slot = &s;
  }
  if (!slot) return nullptr;
  slot->root_forever = false;
  slot->start = ProcStartTime(me).value_or(0);
  snprintf(slot->name, sizeof(slot->name), "%s", name);
  slot->op[0] = '\0';
  slot->root_forever = root_forever;
  return slot;
}

void FreeSlots(pid_t pid) {
  for (Slot& s : g->slots) {
    if (s.pid.load() != pid) continue;
    s.root_forever = false;
    s.start = 0;
    pid_t p = pid;
    s.pid.compare_exchange_strong(p, 0);
  }
}

// A child must not outlive the worker that made it (and may lose that
// setting when its credentials change: call again after DropTo).
void DieWithParent() { prctl(PR_SET_PDEATHSIG, SIGKILL); }

std::string ErrText(int err) {
  return err ? absl::StrCat(strerror(err), " (", err, ")") : "success";
}

// ---------------------------------------------------------------------------
// Requests.
// ---------------------------------------------------------------------------

uint64_t Bit(int type) { return uint64_t{1} << type; }

const char* CmdName(uint8_t cmd) {
  switch (cmd) {
    case KUCHAN_CMD_SIGNAL: return "SIGNAL";
    case KUCHAN_CMD_HELPER_SET: return "HELPER_SET";
    case KUCHAN_CMD_HELPER_GET: return "HELPER_GET";
    case KUCHAN_CMD_HELPER_CLEAR: return "HELPER_CLEAR";
    case KUCHAN_CMD_EMIT: return "EMIT";
    case KUCHAN_CMD_GET_STATS: return "GET_STATS";
    case KUCHAN_CMD_SUBSCRIBE: return "SUBSCRIBE";
    case KUCHAN_CMD_UNSUBSCRIBE: return "UNSUBSCRIBE";
  }
  return "?";
}

Attrs Subscription(int sig, uint64_t mask) {
  Attrs a;
  a.U32(KUCHAN_A_SUBSCRIPTION_SIGNAL, static_cast<uint32_t>(sig));
  if (mask) a.U64(KUCHAN_A_SUBSCRIPTION_EVENT_MASK, mask);
  return a;
}

uint64_t RandomMask() {
  static const uint64_t kMasks[] = {
      0, Bit(KUCHAN_EVENT_CUSTOM),
      Bit(KUCHAN_EVENT_CUSTOM) | Bit(KUCHAN_EVENT_SIGNAL_SENT),
      Bit(KUCHAN_EVENT_HELPER_CHANGED) | Bit(KUCHAN_EVENT_HELPER_RAN),
      Bit(KUCHAN_EVENT_SIGNAL_SENT)};
  return kMasks[Rand(0, 4)];
}

Attrs Helper(uint64_t mask) {
  Attrs a;
  a.Str(KUCHAN_A_HELPER_PATH, kHelper)
      .Nest(KUCHAN_A_HELPER_ARGS, Attrs().Str(KUCHAN_A_ARG_VALUE, "race"));
  if (mask) a.U64(KUCHAN_A_HELPER_EVENT_MASK, mask);
  return a;
}

Attrs Custom(uint32_t code, bool with_data) {
  Attrs a;
  a.U32(KUCHAN_A_CUSTOM_CODE, code);
  if (with_data) {
    a.Nest(KUCHAN_A_CUSTOM_DATA,
           Attrs()
               .Str(KUCHAN_A_KV_KEY, "race")
               .Str(KUCHAN_A_KV_VALUE, std::to_string(code)));
  }
  return a;
}

// SIGNAL with signal 0: kill(2)'s probe, which sends nothing.
Attrs Probe(pid_t pid, std::optional<uint64_t> start = {}) {
  Attrs target;
  target.S32(KUCHAN_A_TARGET_PID, pid);
  if (start) target.U64(KUCHAN_A_TARGET_START_TIME, *start);
  Attrs a;
  a.Nest(KUCHAN_A_SIGNAL_TARGETS, target).U32(KUCHAN_A_SIGNAL_SIGNAL, 0);
  return a;
}

struct Result {
  int error = 0;      // the ACK's errno, or the family lookup's
  bool same = false;  // the module stayed the same loaded instance throughout
  Reply reply;
};

// One request on `s`, the family looked up on the same socket just before
// (its id changes with every load).
Result Call(raw::Socket& s, uint8_t cmd, const Attrs& a = Attrs()) {
  Result r;
  const uint64_t before = Gen();
  const int family = s.ResolveFamily(KUCHAN_FAMILY_NAME);
  if (family < 0) {
    r.error = -family;
    Add(kFamilyAbsent);
    // Each lookup of an absent family makes the kernel run modprobe for
    // its alias: a tight loop of them would starve everything else.
    SleepMs(Rand(20, 60));
  } else {
    r.reply = s.Request(static_cast<uint16_t>(family), cmd, a.bytes());
    r.error = r.reply.error;
  }
  r.same = Same(before);
  return r;
}

std::string Describe(const char* what, const Result& r) {
  return absl::StrCat(what, ": ", ErrText(r.error),
                      r.reply.extack.empty() ? "" : " \"", r.reply.extack,
                      r.reply.extack.empty() ? "" : "\"",
                      r.same ? " (module stayed loaded)" : " (across a reload)");
}

// A request the caller may make: it succeeds, or fails with ENOENT because
// the family went away or changed its id while it ran. True on success.
bool Allowed(const Result& r, const char* what) {
  if (r.error == 0) return true;
  if (r.error != ENOENT || r.same) Fail(kAllowedFailed, Describe(what, r));
  return false;
}

// A request the test user must be refused: EPERM, or ENOENT when the
// module changed while it ran. Success is never acceptable.
void Refused(const Result& r, const char* what) {
  if (r.error == EPERM) {
    Add(kRefusals);
  } else if (r.error != ENOENT || r.same) {
    Fail(r.error ? kUserWrongError : kUserPrivileged, Describe(what, r));
  }
}

// ---------------------------------------------------------------------------
// Signals.
// ---------------------------------------------------------------------------

// The signals subscriptions use. Every process blocks them all and each
// subscribed process uses one, so any other that shows up is caught.
std::vector<int> SubscriptionSignals() {
  return {SIGUSR1, SIGUSR2, SIGIO, SIGRTMIN, SIGRTMIN + 1, SIGRTMIN + 5,
          SIGRTMAX};
}

sigset_t SubscriptionSet() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : SubscriptionSignals()) sigaddset(&set, sig);
  return set;
}

void BlockSubscriptionSignals() {
  const sigset_t set = SubscriptionSet();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int PickSignal() {
  const std::vector<int> sigs = SubscriptionSignals();
  return sigs[Rand(0, static_cast<int>(sigs.size()) - 1)];
}

std::string SigName(int sig) {
  if (sig >= SIGRTMIN && sig <= SIGRTMAX)
    return absl::StrCat("RTMIN+", sig - SIGRTMIN, " (", sig, ")");
  const char* abbrev = sigabbrev_np(sig);
  return absl::StrCat(abbrev ? abbrev : "?", " (", sig, ")");
}

std::string Describe(const siginfo_t& si) {
  return absl::StrCat("si_signo ", SigName(si.si_signo), ", si_code ",
                      si.si_code, ", si_pid ", si.si_pid, ", si_uid ",
                      si.si_uid, ", si_value ",
                      reinterpret_cast<uintptr_t>(si.si_value.sival_ptr),
                      ", si_addr ", reinterpret_cast<uintptr_t>(si.si_addr));
}

// The event number a subscription signal carries: si_value with SI_QUEUE
// (the module today), si_addr with SI_ASYNCIO (the module being hardened);
// 0 for anything else.
uint64_t EventSeq(const siginfo_t& si) {
  if (si.si_code == SI_QUEUE)
    return reinterpret_cast<uintptr_t>(si.si_value.sival_ptr);
  if (si.si_code == SI_ASYNCIO) return reinterpret_cast<uintptr_t>(si.si_addr);
  return 0;
}

// A signal a process subscribed with `mine` (0: never subscribed) took.
void CheckSignal(const siginfo_t& si, int mine) {
  if (!mine) {
    Fail(kNeverSubscribed, Describe(si));
    return;
  }
  if (si.si_signo != mine) {
    Fail(kWrongSignal, absl::StrCat("subscribed with ", SigName(mine),
                                    ", got ", Describe(si)));
  }
  // With SI_QUEUE, si_pid and si_uid 0 say the kernel sent it; SI_ASYNCIO
  // puts the number in si_addr, where they are.
  if (EventSeq(si) == 0 ||
      (si.si_code == SI_QUEUE && (si.si_pid != 0 || si.si_uid != 0))) {
    Fail(kBadSiginfo, Describe(si));
  }
}

// Takes the subscription signals that arrive within `ms` (and those already
// pending), each checked against `mine`. With `first`, returns at the first
// one. Also the workers' way to pause: any signal while they wait is one
// they never subscribed to.
int Collect(int mine, int ms, bool first = false) {
  const sigset_t set = SubscriptionSet();
  const auto end = Clock::now() + milliseconds(ms);
  int n = 0;
  for (;;) {
    const int64_t left = std::max<int64_t>(
        0, std::chrono::duration_cast<milliseconds>(end - Clock::now()).count());
    timespec ts{static_cast<time_t>(left / 1000), (left % 1000) * 1000000};
    siginfo_t si{};
    if (sigtimedwait(&set, &si, &ts) < 0) {
      if (errno == EINTR) continue;
      return n;  // EAGAIN: the time is up and nothing is pending
    }
    CheckSignal(si, mine);
    n++;
    if (first) return n;
  }
}

constexpr uint64_t kNoGen = ~uint64_t{0};

// A socket of a subscriber, and the generation its subscription was made
// in when that is sure (kNoGen otherwise): while the module stays that
// instance, the subscription must be there.
struct SubSocket {
  std::unique_ptr<raw::Socket> sock;
  uint64_t gen = kNoGen;
};

enum class Delivery { kArrived, kSpoiled, kMissed };

// One try: raises an event the process subscribed to and waits a second
// for a signal. While the module stays the same instance the subscription
// is there, and the signal comes within milliseconds; a reload spoils the
// try.
Delivery TryOwnEvent(SubSocket& ss, int sig) {
  if (!ss.sock || !Same(ss.gen)) return Delivery::kSpoiled;
  SetOp("EMIT, then waiting for the signal");
  const Result e = Call(*ss.sock, KUCHAN_CMD_EMIT, Custom(0x5e1f, false));
  if (!Allowed(e, "EMIT to wake itself")) return Delivery::kSpoiled;
  Add(kEmits);
  if (Collect(sig, 1000, true) > 0) return Delivery::kArrived;
  return Same(ss.gen) ? Delivery::kMissed : Delivery::kSpoiled;
}

// Tries until a signal comes, two tries missed it (two, not one: a full
// signal ring, 256 events, drops one too), or `until`. `resubscribe`, when
// given, subscribes `ss` again after a reload took its subscription, and
// says whether it could.
Delivery AwaitOwnEvent(SubSocket& ss, int sig, Clock::time_point until,
                       const std::function<bool(SubSocket&)>& resubscribe) {
  int missed = 0;
  while (missed < 2 && Clock::now() < until) {
    if (!Same(ss.gen)) {
      if (!resubscribe) break;
      if (!resubscribe(ss)) continue;
    }
    switch (TryOwnEvent(ss, sig)) {
      case Delivery::kArrived:
        return Delivery::kArrived;
      case Delivery::kMissed:
        missed++;
        break;
      case Delivery::kSpoiled:
        break;
    }
  }
  return missed >= 2 ? Delivery::kMissed : Delivery::kSpoiled;
}

// ---------------------------------------------------------------------------
// Monitor events.
// ---------------------------------------------------------------------------

struct EventId {
  uint64_t seq = 0;
  uint32_t type = 0;
};

std::vector<EventId> ParseEvents(const char* buf, ssize_t n) {
  std::vector<EventId> out;
  int len = static_cast<int>(n);
  for (auto* h = reinterpret_cast<const nlmsghdr*>(buf); NLMSG_OK(h, len);
       h = NLMSG_NEXT(h, len)) {
    if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_DONE ||
        h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
      continue;
    auto attrs = raw::ParseAttrs(std::string(
        static_cast<const char*>(NLMSG_DATA(h)) + GENL_HDRLEN,
        h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN));
    EventId e;
    const std::string& seq = attrs[KUCHAN_A_EVENT_SEQ];
    const std::string& type = attrs[KUCHAN_A_EVENT_TYPE];
    if (seq.size() == sizeof(e.seq)) memcpy(&e.seq, seq.data(), sizeof(e.seq));
    if (type.size() == sizeof(e.type))
      memcpy(&e.type, type.data(), sizeof(e.type));
    out.push_back(e);
  }
  return out;
}

std::optional<uint32_t> MonitorGroup() {
  auto info = QueryFamily(KUCHAN_FAMILY_NAME);
  if (!info.ok() || !info->groups.count(KUCHAN_MCGRP_MONITOR)) return {};
  return info->groups.at(KUCHAN_MCGRP_MONITOR);
}

// ---------------------------------------------------------------------------
// Children of workers.
// ---------------------------------------------------------------------------

std::string ReadLine(const std::string& path) {
  std::ifstream f(path);
  std::string line;
  std::getline(f, line);
  return line;
}

// What a process is doing, as far as the slots and /proc tell.
std::string WhatIsItDoing(pid_t pid) {
  std::string out;
  for (const Slot& s : g->slots)
    if (s.pid.load() == pid) absl::StrAppend(&out, s.name, " doing \"", s.op, "\"");
  absl::StrAppend(&out, ", wchan ",
                  ReadLine(absl::StrCat("/proc/", pid, "/wchan")));
  std::ifstream f(absl::StrCat("/proc/", pid, "/stack"));
  std::string line;
  for (int i = 0; i < 8 && std::getline(f, line); i++)
    absl::StrAppend(&out, i ? " < " : ", stack: ", line);
  return out;
}

// A worker's children: started, reaped, bounded in time.
class Children {
 public:
  void Spawn(const char* name, bool root_forever,
             const std::function<int()>& fn) {
    const pid_t pid = fork();
    if (pid == 0) {
      DieWithParent();
      Reseed();
      g_slot = ClaimSlot(name, root_forever);
      _exit(fn());
    }
    if (pid < 0) {
      Fail(kWorker, absl::StrCat("fork: ", ErrText(errno)));
      SleepMs(50);
      return;
    }
    kids_[pid] = Kid{name, Clock::now()};
  }

  size_t size() const { return kids_.size(); }

  // SIGKILL to a random child: an exit while subscribed, mid-request.
  void KillOne() {
    if (kids_.empty()) return;
    auto it = std::next(kids_.begin(), Rand(0, static_cast<int>(kids_.size()) - 1));
    if (kill(it->first, SIGKILL) == 0) it->second.killed = true;
  }

  // Reaps whatever ended, orphans handed to this subreaper included, and
  // kills children past kChildBound.
  void Reap() {
    int status = 0;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
      FreeSlots(pid);
      auto it = kids_.find(pid);
      if (it == kids_.end()) continue;
      if (it->second.killed) {
        Add(kKills);
      } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        Fail(kWorker, absl::StrCat(
                          it->second.name, " ", pid,
                          WIFSIGNALED(status)
                              ? absl::StrCat(" killed by ", SigName(WTERMSIG(status)))
                              : absl::StrCat(" exited with status ",
                                             WEXITSTATUS(status))));
      }
      kids_.erase(it);
    }
    for (auto& [kid, k] : kids_) {
      if (k.hung || Clock::now() - k.start < kChildBound) continue;
      Fail(kHung, absl::StrCat(k.name, " ", kid, " still running after ",
                               std::chrono::duration_cast<seconds>(kChildBound).count(),
                               " s: ", WhatIsItDoing(kid)));
      kill(kid, SIGKILL);
      k.hung = k.killed = true;
    }
  }

  void Finish() {
    while (!kids_.empty()) {
      Reap();
      SleepMs(10);
    }
    Reap();  // late orphans
  }

 private:
  struct Kid {
    const char* name;
    Clock::time_point start;
    bool killed = false;
    bool hung = false;
  };
  std::map<pid_t, Kid> kids_;
};

// ---------------------------------------------------------------------------
// The workers. Each runs in its own process until Stopping(), records what
// it did (Add) and what went wrong (Fail), and returns 0 unless it could not
// run at all.
// ---------------------------------------------------------------------------

// delete_module, retried while the module is held (EWOULDBLOCK) or busy
// (EBUSY: still coming up, e.g. loaded by an autoload). True if unloaded.
bool UnloadRetrying(int tries) {
  for (int i = 0; i < tries; i++) {
    const absl::Status st = UnloadModule();
    if (st.ok()) return true;
    if (!absl::IsUnavailable(st)) {  // not EWOULDBLOCK or EBUSY
      Fail(kReload, st.ToString());
      return false;
    }
    Add(kUnloadBusy);
    SleepMs(10);
  }
  return false;
}

// finit_module; EEXIST means someone's CTRL_CMD_GETFAMILY had the kernel
// load it again already (request_module of the family's alias).
void LoadOrFindLoaded() {
  const absl::Status st = LoadModule();
  if (absl::IsAlreadyExists(st)) {
    Add(kLoadedMeanwhile);
  } else if (!st.ok()) {
    Fail(kReload, st.ToString());
  }
}

int Reloader() {
  while (!Stopping()) {
    // Mostly short stays, sometimes quiet ones: long enough for a process
    // to see its subscription's signal with the module left alone.
    SetOp("loaded, waiting");
    SleepMs(Rand(0, 2) == 0 ? Rand(1000, 1800) : Rand(50, 250));
    if (Stopping()) break;
    g->gen++;  // odd: may change from here on
    SetOp("delete_module");
    if (UnloadRetrying(50)) {
      Add(kReloads);
      SetOp("unloaded, waiting");
      SleepMs(Rand(0, 50));
    }
    SetOp("finit_module");
    LoadOrFindLoaded();
    g->gen++;  // even: loaded
  }
  return 0;
}

// Root's own requests succeed (unless the module changes under them);
// kuchanctl's too. One command a turn: each costs an exec.
void RootCli(uint32_t turn) {
  const std::vector<std::string> argv =
      turn % 2 ? std::vector<std::string>{"kuchanctl", "emit",
                                          std::to_string(turn), "race=cli"}
               : std::vector<std::string>{"kuchanctl", "stats"};
  const uint64_t before = Gen();
  auto r = RunCommand(argv);
  if (!r.ok()) {
    Fail(kWorker, r.status().ToString());
    return;
  }
  Add(kCli);
  if (r->exit_status != 0 && Same(before))
    Fail(kAllowedFailed, guest::Describe(argv, *r));
}

int Emitter() {
  raw::Socket s;
  auto next_cli = Clock::now();
  uint32_t cli_turn = 0;
  for (uint32_t i = 1; !Stopping(); i++) {
    SetOp("EMIT");
    if (Allowed(Call(s, KUCHAN_CMD_EMIT, Custom(i, i % 3 == 0)), "EMIT"))
      Add(kEmits);
    SetOp("SIGNAL probe of itself");
    if (Allowed(Call(s, KUCHAN_CMD_SIGNAL, Probe(getpid())),
                "root's SIGNAL probe of itself"))
      Add(kProbes);
    if (i % 8 == 0) {
      SetOp("GET_STATS");
      if (Allowed(Call(s, KUCHAN_CMD_GET_STATS), "GET_STATS")) Add(kStats);
    }
    if (Clock::now() >= next_cli) {
      SetOp("kuchanctl emit, stats");
      RootCli(cli_turn++);
      next_cli = Clock::now() + seconds(2);
    }
    Collect(0, Rand(2, 10));
  }
  return 0;
}

// HELPER_GET's answer, when the module stayed loaded since the set.
void CheckHelper(const Reply& r, uint64_t mask) {
  if (r.messages.size() != 1 || r.messages[0].size() < GENL_HDRLEN) {
    Fail(kHelperState, absl::StrCat(r.messages.size(), " replies"));
    return;
  }
  auto attrs = raw::ParseAttrs(r.messages[0].substr(GENL_HDRLEN));
  const std::string want = std::string(kHelper) + '\0';
  uint64_t got_mask = 0;
  const std::string& m = attrs[KUCHAN_A_HELPER_EVENT_MASK];
  if (m.size() == sizeof(got_mask)) memcpy(&got_mask, m.data(), sizeof(got_mask));
  if (attrs[KUCHAN_A_HELPER_PATH] != want || got_mask != mask) {
    Fail(kHelperState,
         absl::StrCat("path \"", attrs[KUCHAN_A_HELPER_PATH].c_str(),
                      "\" mask ", got_mask, ", set mask ", mask));
  }
}

int HelperSetter() {
  static const uint64_t kMasks[] = {
      0, Bit(KUCHAN_EVENT_CUSTOM),
      Bit(KUCHAN_EVENT_CUSTOM) | Bit(KUCHAN_EVENT_SIGNAL_SENT),
      Bit(KUCHAN_EVENT_HELPER_CHANGED)};
  raw::Socket s;
  while (!Stopping()) {
    const uint64_t mask = kMasks[Rand(0, 3)];
    const uint64_t before = Gen();
    SetOp("HELPER_SET");
    if (Allowed(Call(s, KUCHAN_CMD_HELPER_SET, Helper(mask)), "HELPER_SET")) {
      Add(kHelperSets);
      SetOp("HELPER_GET");
      const Result got = Call(s, KUCHAN_CMD_HELPER_GET);
      if (Allowed(got, "HELPER_GET") && Same(before)) CheckHelper(got.reply, mask);
    }
    Collect(0, Rand(10, 60));
    if (Rand(0, 1)) {
      SetOp("HELPER_CLEAR");
      if (Allowed(Call(s, KUCHAN_CMD_HELPER_CLEAR), "HELPER_CLEAR"))
        Add(kHelperClears);
      Collect(0, Rand(5, 30));
    }
  }
  SetOp("last HELPER_CLEAR");
  Allowed(Call(s, KUCHAN_CMD_HELPER_CLEAR), "last HELPER_CLEAR");
  return 0;
}

// Root on the monitor group, a new socket for each loaded instance (its
// unload removes every member). Within one, event numbers only grow.
void ReadEvents(raw::Socket& s, uint64_t gen) {
  uint64_t last = 0;
  std::vector<char> buf(65536);
  while (!Stopping() && Gen() == gen) {
    Collect(0, 0);
    pollfd p{s.fd(), POLLIN, 0};
    if (poll(&p, 1, 50) != 1) continue;
    const ssize_t n = recv(s.fd(), buf.data(), buf.size(), MSG_DONTWAIT);
    if (n < 0) {
      if (errno == ENOBUFS) Add(kMonitorOverflows);
      continue;
    }
    for (const EventId& e : ParseEvents(buf.data(), n)) {
      Add(kMonitorEvents);
      if (e.seq <= last) {
        Fail(kMonitorOrder, absl::StrCat("event ", e.seq, " (type ", e.type,
                                         ") after ", last));
      }
      last = e.seq;
    }
  }
}

int Monitor() {
  while (!Stopping()) {
    const uint64_t before = Gen();
    if (before % 2) {
      SleepMs(5);
      continue;
    }
    SetOp("monitor: looking the group up");
    const std::optional<uint32_t> group = MonitorGroup();
    if (!group) {
      Collect(0, 30);
      continue;
    }
    raw::Socket s;
    const int rcvbuf = 1 << 20;
    setsockopt(s.fd(), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
    SetOp("monitor: joining");
    const int rc = s.JoinGroup(*group);
    if (!Same(before)) continue;
    if (rc != 0) {
      Fail(kAllowedFailed, "root's monitor join: " + ErrText(-rc));
      Collect(0, 20);
      continue;
    }
    Add(kMonitorJoins);
    // One event of its own per join: the suite then reads some on a slow
    // machine too (a debug kernel under a busy host does little in 15 s).
    SetOp("monitor: EMIT");
    raw::Socket e;
    if (Allowed(Call(e, KUCHAN_CMD_EMIT, Custom(0x3a0, false)), "EMIT"))
      Add(kEmits);
    SetOp("monitor: reading events");
    ReadEvents(s, before);
  }
  return 0;
}

// A socket the test user got into the monitor group: every event it reads
// is one it must never see.
struct Leak {
  std::unique_ptr<raw::Socket> sock;
  Clock::time_point until;
  std::string how;
  // Joined while no family owned the id: the module clears such members
  // when it registers, and on kernels where it can, refuses them each
  // event; elsewhere one that joins at just the wrong moment remains.
  bool unowned = false;

  void Poll() {
    if (!sock) return;
    std::vector<char> buf(65536);
    for (;;) {
      const ssize_t n = recv(sock->fd(), buf.data(), buf.size(), MSG_DONTWAIT);
      if (n < 0 && errno == ENOBUFS) continue;
      if (n <= 0) break;
      for (const EventId& e : ParseEvents(buf.data(), n)) {
        if (unowned && !g->receivers_checked) {
          Add(kResidualReads);
          continue;
        }
        Fail(kUserReadEvents,
             absl::StrCat("event ", e.seq, " (type ", e.type, ") at generation ",
                          Gen(), " on a socket that ", how));
      }
    }
    if (Clock::now() >= until) sock.reset();
  }
};

// The test user asks to join the monitor group: always refused. It tries
// the group's last known id even while the family is gone, as anyone can;
// such a socket is then watched for events (Leak).
void TryJoin(uint32_t& group, Leak& leak) {
  const uint64_t before = Gen();
  const std::optional<uint32_t> now = MonitorGroup();
  if (now) group = *now;
  if (!group) return;
  auto s = std::make_unique<raw::Socket>();
  const int rc = s->JoinGroup(group);
  if (rc == -EPERM) {
    Add(kJoinRefusals);
    return;
  }
  const std::string how = absl::StrCat(
      "joined group ", group, " with the family ",
      now ? "registered" : "not registered", " at its lookup, generation ",
      before, " -> ", Gen());
  // Refused or not, by kuchan's own group: the family was there from the
  // lookup to the join. Otherwise the id may have been nobody's, and
  // genetlink lets anyone join an id no family owns (genl_bind()): the
  // module cannot refuse that, only make sure such a member is gone before
  // it sends anything (kuchan_netlink_init() clears stale members), which
  // Leak checks.
  if (rc == 0 && !(now && Same(before))) {
    Add(kUnownedJoins);
  } else {
    Fail(rc ? kUserWrongError : kUserJoined,
         rc ? absl::StrCat("monitor join: ", ErrText(-rc), "; ", how) : how);
  }
  if (rc == 0 && !leak.sock)
    leak = Leak{std::move(s), Clock::now() + seconds(3), how,
                !(now && Same(before))};
}

// A process that is root for its whole life, named with its start time so
// that a recycled pid is ESRCH: this suite's own, or a random root worker.
std::pair<pid_t, uint64_t> RootTarget() {
  std::vector<std::pair<pid_t, uint64_t>> roots;
  for (const Slot& s : g->slots) {
    const pid_t pid = s.pid.load();
    if (!pid || !s.root_forever.load()) continue;
    const uint64_t start = s.start;
    if (start && s.pid.load() == pid) roots.emplace_back(pid, start);
  }
  if (roots.empty()) return {getppid(), 0};
  return roots[Rand(0, static_cast<int>(roots.size()) - 1)];
}

void ProbeRoot(raw::Socket& s) {
  const auto [pid, start] = RootTarget();
  const Result r = Call(s, KUCHAN_CMD_SIGNAL,
                        start ? Probe(pid, start) : Probe(pid));
  if (r.error == EPERM || r.error == ESRCH) {
    Add(kProbeRefusals);
  } else if (r.error != ENOENT || r.same) {
    Fail(r.error ? kUserWrongError : kUserSignalledRoot,
         Describe(absl::StrCat("SIGNAL probe of root's ", pid).c_str(), r));
  }
}

// kuchanctl as the test user: refused, whatever the module's state. One
// command a turn.
void UserCli(uint32_t turn) {
  static const std::vector<std::string> kCommands[] = {
      {"kuchanctl", "stats"},
      {"kuchanctl", "emit", "1"},
      {"kuchanctl", "helper", "clear"}};
  const std::vector<std::string>& argv = kCommands[turn % 3];
  auto r = RunCommand(argv);
  if (!r.ok()) {
    Fail(kWorker, r.status().ToString());
    return;
  }
  Add(kCli);
  if (r->exit_status == 0) Fail(kUserPrivileged, guest::Describe(argv, *r));
}

int UserRights() {
  if (!DropTo(kTestUid)) return 10;
  DieWithParent();
  uint32_t group = 0;  // the monitor group's id, once seen
  Leak leak;
  auto next_cli = Clock::now();
  uint32_t cli_turn = 0;
  while (!Stopping()) {
    raw::Socket s;
    SetOp("test user: privileged requests");
    Refused(Call(s, KUCHAN_CMD_HELPER_SET, Helper(0)), "HELPER_SET");
    Refused(Call(s, KUCHAN_CMD_HELPER_CLEAR), "HELPER_CLEAR");
    Refused(Call(s, KUCHAN_CMD_HELPER_GET), "HELPER_GET");
    Refused(Call(s, KUCHAN_CMD_EMIT, Custom(7, true)), "EMIT");
    Refused(Call(s, KUCHAN_CMD_GET_STATS), "GET_STATS");
    SetOp("test user: SIGNAL probes");
    if (Allowed(Call(s, KUCHAN_CMD_SIGNAL, Probe(getpid())),
                "the test user's SIGNAL probe of itself"))
      Add(kProbesUser);
    ProbeRoot(s);
    SetOp("test user: monitor join");
    TryJoin(group, leak);
    leak.Poll();
    if (Clock::now() >= next_cli) {
      SetOp("test user: kuchanctl");
      UserCli(cli_turn++);
      next_cli = Clock::now() + seconds(2);
    }
    Collect(0, Rand(3, 15));
  }
  leak.Poll();
  return 0;
}

// Root writing requests on a socket the test user opened (the confused
// deputy): a request is never stronger than its socket's opener.
int Deputy() {
  const std::pair<uint8_t, Attrs> kRequests[] = {
      {KUCHAN_CMD_HELPER_SET, Helper(0)},
      {KUCHAN_CMD_HELPER_CLEAR, Attrs()},
      {KUCHAN_CMD_HELPER_GET, Attrs()},
      {KUCHAN_CMD_EMIT, Custom(9, false)},
      {KUCHAN_CMD_GET_STATS, Attrs()},
      {KUCHAN_CMD_SUBSCRIBE, Subscription(SIGUSR1, 0)},
  };
  while (!Stopping()) {
    SetOp("deputy: opening a socket as the test user");
    if (setresuid(kTestUid, kTestUid, 0) != 0) return 20;
    raw::Socket s;
    if (setresuid(0, 0, 0) != 0) return 21;
    DieWithParent();
    SetOp("deputy: root's requests on it");
    for (const auto& [cmd, attrs] : kRequests) {
      const Result r = Call(s, cmd, attrs);
      if (r.error == EPERM) {
        Add(kDeputyRefusals);
      } else if (r.error != ENOENT || r.same) {
        Fail(kDeputy, Describe(CmdName(cmd), r));
      }
      if (cmd == KUCHAN_CMD_SUBSCRIBE && r.error == 0)
        Call(s, KUCHAN_CMD_UNSUBSCRIBE);
    }
    Collect(0, Rand(10, 40));
  }
  return 0;
}

// --- Subscribers -----------------------------------------------------------

void SubscribeOn(SubSocket& ss, int sig, bool user) {
  if (!ss.sock) ss.sock = std::make_unique<raw::Socket>();
  const uint64_t before = Gen();
  SetOp("SUBSCRIBE");
  const Result r = Call(*ss.sock, KUCHAN_CMD_SUBSCRIBE, Subscription(sig, RandomMask()));
  if (r.error == EDQUOT || r.error == ENOSPC) {
    Add(kSubscribeBound);
  } else if (Allowed(r, "SUBSCRIBE")) {
    Add(user ? kSubscribedUser : kSubscribed);
    ss.gen = r.same ? before : kNoGen;
  }
}

void UnsubscribeOn(SubSocket& ss, const char* when) {
  if (!ss.sock) return;
  SetOp("UNSUBSCRIBE");
  const Result r = Call(*ss.sock, KUCHAN_CMD_UNSUBSCRIBE);
  if (r.error == 0) {
    Add(kUnsubscribed);
  } else if (r.error == ENOENT) {
    if (ss.gen != kNoGen && Same(ss.gen)) {
      Fail(kSubscriptionLost,
           absl::StrCat("UNSUBSCRIBE ", when, ": ENOENT \"", r.reply.extack,
                        "\", subscribed in generation ", ss.gen, ", still ",
                        Gen()));
    }
  } else {
    Allowed(r, "UNSUBSCRIBE");
  }
  ss.gen = kNoGen;
}

// The subscriber leaves its sockets, subscriptions and all, to a child that
// never subscribed, and exits: the child must get no signal.
void LeaveSocketsToAChild() {
  const pid_t pid = fork();
  if (pid == 0) {
    Reseed();
    g_slot = ClaimSlot("socket holder", false);
    Add(kHolders);
    SetOp("holding the exited subscriber's sockets");
    Collect(0, Rand(100, 300));
    _exit(0);
  }
}

// One subscribed process: two sockets, both subscribed with its own signal,
// subscribed again, unsubscribed and closed at random while it takes its
// signals; it ends by exiting (or is killed by its spawner).
int Subscriber(bool user) {
  const int sig = PickSignal();
  SubSocket socks[2];
  const auto end = Clock::now() + milliseconds(Rand(500, 2000));
  while (Clock::now() < end && !Stopping()) {
    SubSocket& ss = socks[Rand(0, 1)];
    switch (Rand(0, 5)) {
      case 0:
      case 1:
      case 2:
        SubscribeOn(ss, sig, user);
        break;
      case 3:
        UnsubscribeOn(ss, "on a socket the process kept");
        break;
      case 4:
        if (ss.sock) Add(kSocketsClosed);
        ss = SubSocket();
        break;
      default:
        break;
    }
    SetOp("taking signals");
    Add(user ? kSignalsUser : kSignals, Collect(sig, Rand(5, 50)));
  }
  if (Rand(0, 3) == 0) LeaveSocketsToAChild();
  Add(kExits);
  return 0;
}

int SubscriberSpawner(bool user) {
  if (user && !DropTo(kTestUid)) return 10;
  DieWithParent();
  // The sockets' holders, orphaned when their subscriber exits, come here.
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  Children kids;
  while (!Stopping()) {
    while (kids.size() < 2) {
      kids.Spawn(user ? "user subscriber" : "root subscriber", !user,
                 [user] { return Subscriber(user); });
    }
    if (Rand(0, 150) == 0) kids.KillOne();
    kids.Reap();
    Collect(0, 10);
  }
  kids.Finish();
  return 0;
}

// --- This binary again, after exec -----------------------------------------

enum class ExecMode { kWaiter = 1, kSurvivor = 2 };

struct ExecArgs {
  ExecMode mode = ExecMode::kWaiter;
  int sig = 0;       // the signal subscribed with; 0: not subscribed
  int sock_fd = -1;  // the subscribed socket, kept across exec
  int mem_fd = -1;   // the shared memfd
  uint64_t gen = kNoGen;  // the generation the subscription was made in
};

// Execs this binary (or `program`) as `args` says, keeping `sock_fd` and
// the memfd open across the exec: dup() makes copies without FD_CLOEXEC.
// From a second thread when `from_thread`. Returns only on failure.
int ExecSelf(ExecArgs args, int sock_fd, bool from_thread,
             const char* program = nullptr) {
  args.sock_fd = sock_fd >= 0 ? dup(sock_fd) : -1;
  args.mem_fd = dup(g_memfd);
  const std::string env = absl::StrCat(
      kExecEnv, "=", static_cast<int>(args.mode), " ", args.sig, " ",
      args.sock_fd, " ", args.mem_fd, " ", args.gen);
  std::vector<char*> envp;
  for (char** e = environ; *e; e++) envp.push_back(*e);
  envp.push_back(const_cast<char*>(env.c_str()));
  envp.push_back(nullptr);
  const std::string path = program ? program : "/proc/self/exe";
  std::vector<char*> argv = {const_cast<char*>(program ? program : "kuchan_race_test")};
  if (program) argv.push_back(const_cast<char*>("0.2"));  // sleep 0.2
  argv.push_back(nullptr);
  SetOp("execve");
  auto run = [&] { execve(path.c_str(), argv.data(), envp.data()); };
  if (from_thread) {
    std::thread t(run);
    t.join();
  } else {
    run();
  }
  Fail(kWorker, absl::StrCat("execve ", path, ": ", ErrText(errno)));
  return 11;
}

// A process that subscribes and then execs, keeping the socket: this binary
// as a waiter, from the main thread or a second one, or /bin/sleep.
int ExecChild(int i) {
  const bool user = i % 2;
  const int variant = (i / 2) % 3;
  if (user) {
    if (!DropTo(kTestUid)) return 10;
    DieWithParent();
  }
  const int sig = PickSignal();
  raw::Socket s;
  const uint64_t before = Gen();
  SetOp("SUBSCRIBE before exec");
  const Result r = Call(s, KUCHAN_CMD_SUBSCRIBE, Subscription(sig, 0));
  ExecArgs args;
  if (r.error == EDQUOT || r.error == ENOSPC) {
    Add(kSubscribeBound);
  } else if (Allowed(r, "SUBSCRIBE before exec")) {
    Add(user ? kSubscribedUser : kSubscribed);
    args.sig = sig;
    if (r.same) args.gen = before;
  }
  SetOp("taking signals before exec");
  Add(user ? kSignalsUser : kSignals, Collect(args.sig, Rand(0, 30)));
  Add(kExecs);
  if (variant == 1) Add(kExecsFromThread);
  return ExecSelf(args, s.fd(), variant == 1, variant == 2 ? "/bin/sleep" : nullptr);
}

// After exec: the signals keep coming, only the one subscribed with, and
// the subscription is the same process's (UNSUBSCRIBE finds it).
int WaiterMain(const ExecArgs& a) {
  g_slot = ClaimSlot("exec'd waiter", false);
  SubSocket ss;
  if (a.sock_fd >= 0) ss.sock = std::make_unique<raw::Socket>(a.sock_fd);
  ss.gen = a.gen;
  // Root can raise an event itself: the signal must come, as long as the
  // module stays the instance it subscribed in before exec. First thing,
  // before a reload spoils the check.
  if (ss.sock && a.gen != kNoGen && geteuid() == 0) {
    switch (AwaitOwnEvent(ss, a.sig, Clock::now() + seconds(4), nullptr)) {
      case Delivery::kArrived:
        Add(kExecChecks);
        break;
      case Delivery::kSpoiled:
        Add(kExecChecksSpoiled);
        break;
      case Delivery::kMissed:
        Fail(kLostAfterExec,
             absl::StrCat("no ", SigName(a.sig), " within 1 s of its own "
                          "EMIT, twice, subscribed before exec in generation ",
                          a.gen, ", still ", Gen()));
        break;
    }
  }
  SetOp("taking signals after exec");
  Add(kExecSignals, Collect(a.sig, Rand(50, 300)));
  if (ss.sock && a.gen != kNoGen) UnsubscribeOn(ss, "after exec");
  return 0;
}

int ExecSpawner() {
  Children kids;
  for (int i = 0; !Stopping(); i++) {
    if (kids.size() < 2) kids.Spawn("exec", false, [i] { return ExecChild(i); });
    kids.Reap();
    Collect(0, 10);
  }
  kids.Finish();
  return 0;
}

// --- pthread_exit ------------------------------------------------------------

// Waits until the main thread is a zombie: gone, with its thread group
// still alive in us.
bool MainThreadGone() {
  const std::string path =
      absl::StrCat("/proc/self/task/", getpid(), "/stat");
  for (int i = 0; i < 200; i++) {
    const std::string stat = ReadLine(path);
    const size_t paren = stat.rfind(')');
    if (paren == std::string::npos || paren + 2 >= stat.size()) return true;
    if (stat[paren + 2] == 'Z' || stat[paren + 2] == 'X') return true;
    SleepMs(5);
  }
  return false;
}

// Where signals wait in this process: the exited main thread's own queue
// (SigPnd of its task) is one no other thread ever takes from.
std::string PendingSignals() {
  std::ifstream f(absl::StrCat("/proc/self/task/", getpid(), "/status"));
  std::string line, out;
  while (std::getline(f, line)) {
    if (line.rfind("SigPnd:", 0) == 0 || line.rfind("ShdPnd:", 0) == 0)
      absl::StrAppend(&out, out.empty() ? "" : ", ", line);
  }
  return absl::StrCat("the exited main thread's ", out);
}

// Subscribes again, from the thread that remains, after a reload took the
// subscription.
bool SubscribeAgain(SubSocket& ss, int sig) {
  const uint64_t before = Gen();
  if (before % 2) {
    SleepMs(50);
    return false;
  }
  ss = SubSocket{std::make_unique<raw::Socket>(), kNoGen};
  SetOp("SUBSCRIBE after pthread_exit");
  const Result r = Call(*ss.sock, KUCHAN_CMD_SUBSCRIBE,
                        Subscription(sig, Bit(KUCHAN_EVENT_CUSTOM)));
  if (r.error == EDQUOT || r.error == ENOSPC) {
    Add(kSubscribeBound);
    SleepMs(50);
    return false;
  }
  if (!Allowed(r, "SUBSCRIBE after pthread_exit")) return false;
  Add(kSubscribed);
  if (r.same) ss.gen = before;
  return r.same;
}

// The thread that remains after the main thread's pthread_exit: its
// process's subscription signals must reach it (the process lives on).
int SurvivorThread(const ExecArgs& a) {
  if (!MainThreadGone()) {
    Fail(kWorker, "the main thread did not exit");
    return 12;
  }
  SubSocket ss;
  if (a.sock_fd >= 0) ss.sock = std::make_unique<raw::Socket>(a.sock_fd);
  ss.gen = a.gen;
  const Delivery result =
      AwaitOwnEvent(ss, a.sig, Clock::now() + seconds(9),
                    [&a](SubSocket& again) { return SubscribeAgain(again, a.sig); });
  switch (result) {
    case Delivery::kArrived:
      Add(kSurvivors);
      break;
    case Delivery::kSpoiled:
      Add(kSurvivorsSpoiled);
      break;
    case Delivery::kMissed:
      Fail(kSurvivorMissed,
           absl::StrCat("no ", SigName(a.sig), " within 1 s of its own EMIT, "
                        "twice, while the module stayed loaded; ",
                        PendingSignals()));
      break;
  }
  return 0;
}

// Subscribes (when it can), starts the thread that will wait for the
// signal, and ends the main thread with pthread_exit: called from main(),
// so nothing but glibc's own frames are unwound.
[[noreturn]] void SurvivorMain(ExecArgs a) {
  g_slot = ClaimSlot("pthread_exit survivor", true);
  raw::Socket* s = new raw::Socket();  // the thread's from here on
  const uint64_t before = Gen();
  SetOp("SUBSCRIBE before pthread_exit");
  const Result r = Call(*s, KUCHAN_CMD_SUBSCRIBE,
                        Subscription(a.sig, Bit(KUCHAN_EVENT_CUSTOM)));
  if (r.error == 0) {
    Add(kSubscribed);
    if (r.same) a.gen = before;
  } else if (r.error == EDQUOT || r.error == ENOSPC) {
    Add(kSubscribeBound);
  } else {
    Allowed(r, "SUBSCRIBE before pthread_exit");
  }
  a.sock_fd = dup(s->fd());
  delete s;  // the dup keeps the socket, and its subscription
  std::thread([a] { _exit(SurvivorThread(a)); }).detach();
  pthread_exit(nullptr);
}

int SurvivorSpawner() {
  Children kids;
  while (!Stopping()) {
    if (kids.size() < 1) {
      kids.Spawn("pthread_exit survivor", true, [] {
        ExecArgs a;
        a.mode = ExecMode::kSurvivor;
        a.sig = PickSignal();
        return ExecSelf(a, -1, false);
      });
    }
    kids.Reap();
    Collect(0, 10);
  }
  kids.Finish();
  return 0;
}

// ---------------------------------------------------------------------------
// The suite's own process.
// ---------------------------------------------------------------------------

int RaceSeconds() {
  const char* env = getenv("KUCHAN_RACE_SECONDS");
  const int s = env ? atoi(env) : kDefaultSeconds;
  return s > 0 ? std::min(s, 600) : kDefaultSeconds;
}

struct WorkerSpec {
  const char* name;
  bool root_forever;
  int (*run)();
};

int RootSubscribers() { return SubscriberSpawner(false); }
int UserSubscribers() { return SubscriberSpawner(true); }

constexpr WorkerSpec kWorkers[] = {
    {"reloader", true, Reloader},
    {"emitter", true, Emitter},
    {"helper-setter", true, HelperSetter},
    {"monitor", true, Monitor},
    {"test-user", false, UserRights},
    {"deputy", false, Deputy},
    {"root-subscribers", true, RootSubscribers},
    {"user-subscribers", false, UserSubscribers},
    {"execs", false, ExecSpawner},
    {"pthread-exit", true, SurvivorSpawner},
};

struct Worker {
  const char* name;
  pid_t pid;
  bool done = false;
  int status = 0;
};

class RaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ModuleLoaded());
    auto rm = RunCommand({"rm", "-rf", kDir});
    ASSERT_TRUE(rm.ok()) << rm.status();
    ASSERT_EQ(mkdir(kDir, 0755), 0) << strerror(errno);
    ASSERT_EQ(chmod(kDir, 0755), 0);
    {
      std::ofstream f(kHelper);
      f << "#!/bin/sh\nexit 0\n";
    }
    ASSERT_EQ(chmod(kHelper, 0755), 0) << strerror(errno);

    g_memfd = memfd_create("kuchan-race", MFD_CLOEXEC);
    ASSERT_GE(g_memfd, 0) << strerror(errno);
    ASSERT_EQ(ftruncate(g_memfd, sizeof(Shared)), 0);
    void* p = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED,
                   g_memfd, 0);
    ASSERT_NE(p, MAP_FAILED) << strerror(errno);
    g = new (p) Shared();
    {
      std::ifstream f("/sys/module/kuchan/parameters/monitor_receivers_checked");
      std::string v;
      f >> v;
      g->receivers_checked = v == "Y";
    }
    g_slot = ClaimSlot("suite", true);
  }

  void TearDown() override {
    // Every guest suite leaves kuchan loaded, whatever happened.
    if (!ModuleLoaded()) (void)LoadModule();
    RunCommand({"rm", "-rf", kDir}).IgnoreError();
    if (g) munmap(g, sizeof(Shared));
    if (g_memfd >= 0) close(g_memfd);
    g = nullptr;
    g_memfd = -1;
    g_slot = nullptr;
  }

  std::vector<Worker> StartWorkers() {
    std::vector<Worker> workers;
    for (const WorkerSpec& w : kWorkers) {
      const pid_t pid = fork();
      if (pid == 0) {
        // Its own process group: a hung worker is killed with its children.
        setpgid(0, 0);
        DieWithParent();
        Reseed();
        g_slot = ClaimSlot(w.name, w.root_forever);
        BlockSubscriptionSignals();
        _exit(w.run());
      }
      EXPECT_GT(pid, 0) << "fork: " << strerror(errno);
      if (pid > 0) workers.push_back(Worker{w.name, pid});
    }
    return workers;
  }

  // Sleeps until `end`, reading the kernel log as it goes (so that a flood
  // of records cannot overwrite what came first).
  void WatchKernelLog(KmsgReader& kmsg, Clock::time_point end) {
    while (Clock::now() < end) {
      SleepMs(200);
      ReadKernelLog(kmsg);
    }
  }

  void ReadKernelLog(KmsgReader& kmsg) {
    auto records = kmsg.ReadNew();
    if (!records.ok()) {
      ADD_FAILURE() << records.status();
      return;
    }
    for (const KmsgRecord& r : *records) {
      if (IsEmulatorStall(r)) {
        std::printf("kuchan race: note, not a failure: %s\n", r.text.c_str());
      } else if (IsKernelProblem(r)) {
        problems_.push_back(r);
      }
    }
  }

  // The kernel's one-time note (pr_warn_once) that a timer interrupt ran
  // late: under TCG with both CPUs busy, the emulator stalls the guest. No
  // kuchan code runs in a timer interrupt in this suite.
  static bool IsEmulatorStall(const KmsgRecord& r) {
    return r.text.rfind("hrtimer: interrupt took ", 0) == 0;
  }

  // Waits for every worker until `deadline`; those still running then are
  // reported with what they and their children were doing, and killed.
  void WaitForWorkers(std::vector<Worker>& workers, Clock::time_point deadline,
                      KmsgReader& kmsg) {
    auto all_done = [&] {
      for (Worker& w : workers) {
        if (!w.done && waitpid(w.pid, &w.status, WNOHANG) == w.pid) w.done = true;
      }
      return std::all_of(workers.begin(), workers.end(),
                         [](const Worker& w) { return w.done; });
    };
    while (!all_done() && Clock::now() < deadline) SleepMs(20);
    ReadKernelLog(kmsg);
    for (Worker& w : workers) {
      if (w.done) {
        EXPECT_TRUE(WIFEXITED(w.status) && WEXITSTATUS(w.status) == 0)
            << w.name << " ended with wait status " << w.status;
        continue;
      }
      std::string report;
      for (const Slot& s : g->slots) {
        const pid_t pid = s.pid.load();
        if (pid && getpgid(pid) == w.pid)
          absl::StrAppend(&report, "\n  ", pid, ": ", WhatIsItDoing(pid));
      }
      ADD_FAILURE() << w.name << " still running "
                    << std::chrono::duration_cast<seconds>(kGrace).count()
                    << " s after the time was up:" << report;
      kill(-w.pid, SIGKILL);
    }
    for (Worker& w : workers) {
      for (int i = 0; !w.done && i < 250; i++) {
        if (waitpid(w.pid, &w.status, WNOHANG) == w.pid) w.done = true;
        else SleepMs(20);
      }
      EXPECT_TRUE(w.done) << w.name << " " << w.pid
                          << " survives SIGKILL (stuck in the kernel?)";
    }
  }

  // HELPER_GET as root: the empty reply of no helper.
  void ExpectNoHelper(const char* when) {
    raw::Socket s;
    const Result r = Call(s, KUCHAN_CMD_HELPER_GET);
    ASSERT_EQ(r.error, 0) << when << ": " << Describe("HELPER_GET", r);
    ASSERT_EQ(r.reply.messages.size(), 1u) << when;
    EXPECT_EQ(r.reply.messages[0].size(), size_t{GENL_HDRLEN})
        << when << ": a helper is still set";
  }

  void ReportFailures() {
    for (int c = 0; c < kNumChecks; c++) {
      const uint64_t n = g->failures[c].load();
      if (!n) continue;
      std::string examples;
      for (uint64_t i = 0; i < std::min<uint64_t>(n, kExamples); i++)
        absl::StrAppend(&examples, "\n  ", g->examples[c][i]);
      ADD_FAILURE() << kCheckNames[c] << ": " << n << " time(s), first:"
                    << examples;
    }
  }

  void PrintCounts(double secs) {
    std::string out = absl::StrCat("kuchan race: ", secs, " s of churn\n");
    for (int c = 0; c < kNumCounts; c++) {
      absl::StrAppend(&out, "  ", g->counts[c].load(), "\t", kCountNames[c],
                      "\n");
    }
    std::fputs(out.c_str(), stdout);
    std::fflush(stdout);
    RecordProperty("reloads", static_cast<int>(g->counts[kReloads]));
    RecordProperty("subscriptions",
                   static_cast<int>(g->counts[kSubscribed] +
                                    g->counts[kSubscribedUser]));
    RecordProperty("execs", static_cast<int>(g->counts[kExecs]));
    RecordProperty("helper_sets", static_cast<int>(g->counts[kHelperSets]));
    RecordProperty("emits", static_cast<int>(g->counts[kEmits]));
  }

  std::vector<KmsgRecord> problems_;
};

TEST_F(RaceTest, ChurnUnderReloadsKeepsRightsAndNeitherHangsNorWarns) {
  auto kmsg = KmsgReader::Open();
  ASSERT_TRUE(kmsg.ok()) << kmsg.status();
  const int secs = RaceSeconds();
  const auto start = Clock::now();
  std::vector<Worker> workers = StartWorkers();
  WatchKernelLog(*kmsg, start + seconds(secs));
  g->stop = true;
  const auto stopped = Clock::now();
  WaitForWorkers(workers, stopped + kGrace, *kmsg);
  std::printf("kuchan race: workers done %.1f s after the time was up\n",
              std::chrono::duration<double>(Clock::now() - stopped).count());

  // The reloader's last load, and no helper left.
  EXPECT_TRUE(ModuleLoaded());
  if (ModuleLoaded()) ExpectNoHelper("after the churn");

  // A last unload and load, with nothing else running.
  bool unloaded = false;
  absl::Status st;
  for (int i = 0; i < 250 && !unloaded; i++) {
    st = UnloadModule();
    unloaded = st.ok();
    if (!unloaded) SleepMs(20);
  }
  EXPECT_TRUE(unloaded) << "the last unload: " << st;
  EXPECT_FALSE(ModuleLoaded());
  st = LoadModule();
  ASSERT_TRUE(st.ok()) << "the last load: " << st;
  ASSERT_TRUE(ModuleLoaded());
  ExpectNoHelper("after the last load");

  ReadKernelLog(*kmsg);
  for (const KmsgRecord& r : problems_)
    ADD_FAILURE() << "kernel log, level " << r.level << ": " << r.text;

  ReportFailures();
  PrintCounts(secs);
  // The churn happened.
  EXPECT_GT(g->counts[kReloads], 0u);
  EXPECT_GT(g->counts[kSubscribed], 0u);
  EXPECT_GT(g->counts[kSubscribedUser], 0u);
  EXPECT_GT(g->counts[kSignals] + g->counts[kSignalsUser], 0u);
  EXPECT_GT(g->counts[kExecs], 0u);
  EXPECT_GT(g->counts[kHelperSets], 0u);
  EXPECT_GT(g->counts[kEmits], 0u);
  EXPECT_GT(g->counts[kMonitorEvents], 0u);
}

// This binary, exec'd by a worker: the shared memory comes through the
// inherited memfd.
int RunExecMode(const char* spec) {
  ExecArgs a;
  int mode = 0;
  unsigned long long gen = 0;
  if (sscanf(spec, "%d %d %d %d %llu", &mode, &a.sig, &a.sock_fd, &a.mem_fd,
             &gen) != 5)
    return 100;
  a.mode = static_cast<ExecMode>(mode);
  a.gen = gen;
  void* p = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED,
                 a.mem_fd, 0);
  if (p == MAP_FAILED) return 101;
  g = static_cast<Shared*>(p);
  g_memfd = a.mem_fd;
  Reseed();
  if (a.mode == ExecMode::kSurvivor) SurvivorMain(a);
  return WaiterMain(a);
}

}  // namespace
}  // namespace kuchan::guest

// GoogleTest's, unless this is the binary exec'd by a worker (see the top).
int main(int argc, char** argv) {
  if (const char* spec = getenv(kuchan::guest::kExecEnv))
    return kuchan::guest::RunExecMode(spec);
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
