// SPDX-License-Identifier: GPL-2.0
//
// Suite "Fuzz": a structured fuzzer of every kuchan command, against the
// real module in the test VM, through a bare genetlink socket (tests/raw).
//
// Every request is well framed (nlmsghdr, genlmsghdr, NLM_F_REQUEST |
// NLM_F_ACK); its attributes are built from the command's attribute set as
// proto/kuchan.proto and kernel/uapi/kuchan.h describe it, with deliberate
// mistakes: unknown, zero and out-of-range attribute types, one field's
// type in place of another's, payloads too short, too long, odd or empty,
// NLA_F_NESTED missing or where it does not belong, multi-attrs of 0,
// max_count and max_count + 1 members, members of the wrong type, strings with and without their NUL, with a NUL inside, at and
// past their bounds, integers at and past every bound, duplicated
// attributes, bytes left over, lying lengths; and plain valid requests.
// (signal_test.cc's MalformedRequestsGetErrors throws unstructured bytes at
// SIGNAL; this suite aims at each policy and handler check of each command.)
//
// The rule every reply is held to: it arrives, and it is either success or
// an errno with an extended ACK (a message, or at least the offset of the
// attribute at fault), so that a user is told what was refused. Every
// (command, errno) that broke the rule is listed with the shortest request
// that got it. The kernel log must stay clean (the netlink core's own rate
// limited notes on malformed input aside: see IsNetlinkInputNote()).
//
// The seed is printed: KUCHAN_FUZZ_SEED=<n> repeats a run's requests (pids
// aside). KUCHAN_FUZZ_REQUESTS=<n> sets the requests per user (exploration
// only: the committed default is what the suite must pass with), and
// KUCHAN_FUZZ_VERBOSE=1 also prints every extack message seen.
//
// Safety: the suite runs as root next to PID 1 and the test runner.
// - SIGNAL only ever names pids that cannot exist (>= pid_max), 0 and
//   negative pids (which the module refuses), a sacrificial child of the
//   fuzzer (respawned when a signal kills it) or, with signal 0 only, the
//   fuzzer itself. A guard re-parses every request as the kernel will and
//   sends it back to the generator otherwise.
// - HELPER_SET paths all lie under /nonexistent-kuchan-fuzz/, which must
//   not exist; the same guard checks that too. A helper that got set is
//   cleared at once, and at the end of the suite.
// - SUBSCRIBE goes out on a socket of its own, closed right after the reply
//   (a subscription ends with its socket): a module that accepts SIGKILL
//   and SIGSTOP would kill or stop the fuzzer at the next event. All
//   subscriptions are made before any helper is set (a helper run raises
//   events later, from a workqueue), and no other request runs meanwhile.
// - The fuzzer blocks every signal it can.
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "kernel/uapi/kuchan.h"
#include "tests/guest/guest_util.h"
#include "tests/raw/raw_genl.h"

namespace kuchan::guest {
namespace {

// At least this many requests in all, over both users; the default per
// user clears it with room to spare (about 25,500 in all, 12-17 s under
// TCG on this machine's 2 cores).
constexpr int kMinRequests = 20000;
constexpr int kDefaultRequestsPerUser = 12000;
// A reply that takes longer than this is a hang.
constexpr int kReplyTimeoutSec = 5;
// After this many requests without a reply, a phase stops: the kernel is
// not answering any more and the rest would only add timeouts.
constexpr int kMaxUnanswered = 3;
// A generator whose requests the safety guard keeps refusing is broken.
constexpr int kMaxRegenerations = 1000;
// The directory every helper path lies under. It must not exist: then no
// path under it names a program, whatever follows (path walks do not
// resolve ".." lexically: "/nonexistent-kuchan-fuzz/../bin/sh" is ENOENT).
constexpr char kNowhere[] = "nonexistent-kuchan-fuzz";
// The one real program a HELPER_SET may name, so that requests get past the
// module's check that the program exists and is root's alone (and their
// arguments and masks are fuzzed too): a script that does nothing with
// whatever arguments it gets, written by the fixture. (Not /bin/true: a
// symbolic link to busybox, which the module refuses, and which would run
// an applet named by its first argument.)
constexpr char kHarmless[] = "/run/kuchan-fuzz-true";
// The kernel's highest possible pid_max (PID_MAX_LIMIT on 64-bit).
constexpr int32_t kPidMaxLimit = 4 * 1024 * 1024;
// The largest attribute type there is (NLA_TYPE_MASK, as a uint16_t).
constexpr uint16_t kTypeMax = NLA_TYPE_MASK & 0xffff;

// ---------------------------------------------------------------------------
// The schema: each command's request attributes, as in kernel/uapi/kuchan.h.
// ---------------------------------------------------------------------------

enum class Kind { kU32, kS32, kU64, kString, kMulti };

// What a value means, where that matters beyond its type: for safety (which
// processes it may name) or to hit the handler's own bounds.
enum class Meaning {
  kPlain,
  kPid,
  kStartTime,
  kSignal,
  kSubscriptionSignal,
  kMask,
  kPath,
};

struct AttrSet;

struct Field {
  uint16_t type = 0;
  Kind kind = Kind::kU32;
  Meaning meaning = Meaning::kPlain;
  bool required = false;    // the handler refuses a request without it
  bool reply_only = false;  // refused in requests: sent only as a mistake
  double often = 0.5;       // optional: the chance a request carries it
  size_t max_len = 0;       // strings: policy bound without the NUL
  const AttrSet* member = nullptr;  // multi-attrs: the members' set
  size_t max_count = 0;             // multi-attrs: the handler's bound
};

struct AttrSet {
  const char* name;
  uint16_t max_type;
  std::vector<Field> fields;
};

Field Int(uint16_t type, Kind kind, Meaning meaning = Meaning::kPlain,
          bool required = false) {
  Field f;
  f.type = type;
  f.kind = kind;
  f.meaning = meaning;
  f.required = required;
  return f;
}

Field Str(uint16_t type, size_t max_len, Meaning meaning = Meaning::kPlain,
          bool required = false) {
  Field f;
  f.type = type;
  f.kind = Kind::kString;
  f.meaning = meaning;
  f.required = required;
  f.max_len = max_len;
  return f;
}

// An optional field that a request carries with chance `p`: the ones that
// decide the outcome early are rarer, so that later checks get their turn.
Field Often(Field f, double p) {
  f.often = p;
  return f;
}

Field ReplyOnly(Field f) {
  f.reply_only = true;
  return f;
}

// A repeated nest: the attribute comes once per member (multi-attr).
Field Multi(uint16_t type, const AttrSet* member, size_t max_count,
            bool required = false) {
  Field f;
  f.type = type;
  f.kind = Kind::kMulti;
  f.required = required;
  f.member = member;
  f.max_count = max_count;
  return f;
}

const AttrSet kTargetSet{
    "target",
    KUCHAN_A_TARGET_MAX,
    {Int(KUCHAN_A_TARGET_PID, Kind::kS32, Meaning::kPid, true),
     Int(KUCHAN_A_TARGET_START_TIME, Kind::kU64, Meaning::kStartTime)}};

const AttrSet kSignalSet{
    "signal",
    KUCHAN_A_SIGNAL_MAX,
    {Multi(KUCHAN_A_SIGNAL_TARGETS, &kTargetSet,
           KUCHAN_A_SIGNAL_TARGETS_MAX_COUNT, true),
     Int(KUCHAN_A_SIGNAL_SIGNAL, Kind::kU32, Meaning::kSignal, true),
     // Refused for the unprivileged user, and (in the module to come) for
     // everyone: rarer, so that the other checks are reached.
     Often(Int(KUCHAN_A_SIGNAL_VALUE, Kind::kS32), 0.25),
     ReplyOnly(Int(KUCHAN_A_SIGNAL_RESULTS, Kind::kU32))}};

const AttrSet kArgSet{"arg",
                      KUCHAN_A_ARG_MAX,
                      {Str(KUCHAN_A_ARG_VALUE, 255, Meaning::kPlain, true)}};

const AttrSet kHelperSet{
    "helper",
    KUCHAN_A_HELPER_MAX,
    {Str(KUCHAN_A_HELPER_PATH, 4095, Meaning::kPath, true),
     Multi(KUCHAN_A_HELPER_ARGS, &kArgSet, KUCHAN_A_HELPER_ARGS_MAX_COUNT),
     Int(KUCHAN_A_HELPER_EVENT_MASK, Kind::kU64, Meaning::kMask),
     ReplyOnly(Str(KUCHAN_A_HELPER_STATIC_PATH, 255, Meaning::kPath))}};

const AttrSet kKvSet{"kv",
                     KUCHAN_A_KV_MAX,
                     {Str(KUCHAN_A_KV_KEY, 31, Meaning::kPlain, true),
                      Str(KUCHAN_A_KV_VALUE, 127)}};

const AttrSet kCustomSet{
    "custom",
    KUCHAN_A_CUSTOM_MAX,
    {Int(KUCHAN_A_CUSTOM_CODE, Kind::kU32, Meaning::kPlain, true),
     Multi(KUCHAN_A_CUSTOM_DATA, &kKvSet, KUCHAN_A_CUSTOM_DATA_MAX_COUNT)}};

const AttrSet kSubscriptionSet{
    "subscription",
    KUCHAN_A_SUBSCRIPTION_MAX,
    {Int(KUCHAN_A_SUBSCRIPTION_SIGNAL, Kind::kU32, Meaning::kSubscriptionSignal,
         true),
     Int(KUCHAN_A_SUBSCRIPTION_EVENT_MASK, Kind::kU64, Meaning::kMask)}};

struct Op {
  uint8_t cmd;
  const char* name;
  const AttrSet* request;  // nullptr: the command takes no attributes
  int weight;              // its share of the requests
};

// Every command of the family a request may name (EVENT_NTF is multicast
// only). The commands with the richest requests get the most.
const std::vector<Op>& Ops() {
  static const std::vector<Op> ops = {
      {KUCHAN_CMD_SIGNAL, "SIGNAL", &kSignalSet, 4},
      {KUCHAN_CMD_HELPER_SET, "HELPER_SET", &kHelperSet, 3},
      {KUCHAN_CMD_HELPER_GET, "HELPER_GET", nullptr, 1},
      {KUCHAN_CMD_HELPER_CLEAR, "HELPER_CLEAR", nullptr, 1},
      {KUCHAN_CMD_EMIT, "EMIT", &kCustomSet, 3},
      {KUCHAN_CMD_GET_STATS, "GET_STATS", nullptr, 1},
      {KUCHAN_CMD_SUBSCRIBE, "SUBSCRIBE", &kSubscriptionSet, 2},
      {KUCHAN_CMD_UNSUBSCRIBE, "UNSUBSCRIBE", nullptr, 1},
  };
  return ops;
}

const Op& OpOf(uint8_t cmd) {
  for (const Op& op : Ops())
    if (op.cmd == cmd) return op;
  static const Op unknown{0, "?", nullptr, 0};
  return unknown;
}

// ---------------------------------------------------------------------------
// Attribute bytes.
// ---------------------------------------------------------------------------

template <typename T>
std::string Bytes(T v) {
  return std::string(reinterpret_cast<const char*>(&v), sizeof(v));
}

// One attribute: header, payload, padding. `declared` is the nla_len to
// write, normally NLA_HDRLEN + payload size; a lie when it is not.
std::string Encode(uint16_t type, const std::string& payload, size_t declared) {
  nlattr h{};
  h.nla_len = static_cast<uint16_t>(declared);
  h.nla_type = type;
  std::string out = Bytes(h);
  out += payload;
  out.append(NLA_ALIGN(payload.size()) - payload.size(), '\0');
  return out;
}

std::string Encode(uint16_t type, const std::string& payload) {
  return Encode(type, payload, NLA_HDRLEN + payload.size());
}

// Calls fn(type without flags, payload) for each attribute of `b`, walking
// exactly as the kernel's nla_for_each_attr() does: stops at a header that
// is short or runs past the end.
template <typename Fn>
void ForEachAttr(std::string_view b, Fn fn) {
  size_t off = 0;
  while (off + NLA_HDRLEN <= b.size()) {
    nlattr h;
    memcpy(&h, b.data() + off, sizeof(h));
    if (h.nla_len < NLA_HDRLEN || h.nla_len > b.size() - off) break;
    fn(static_cast<uint16_t>(h.nla_type & NLA_TYPE_MASK),
       b.substr(off + NLA_HDRLEN, h.nla_len - NLA_HDRLEN));
    off += NLA_ALIGN(h.nla_len);
  }
}

// ---------------------------------------------------------------------------
// The safety guard: what the kernel will read from a request, checked
// against what the fuzzer may touch.
// ---------------------------------------------------------------------------

// What the generator may name.
struct Targets {
  pid_t self = 0;             // the fuzzer: signal 0 only
  pid_t victim = 0;           // its sacrificial child: any signal
  uint64_t victim_start = 0;  // the victim's start time (/proc/PID/stat)
  int32_t pid_max = 32768;    // no pid is ever >= this
};

bool SafePid(int32_t pid, bool probe_only, const Targets& t) {
  return pid <= 0 || pid >= t.pid_max || pid == t.victim ||
         (pid == t.self && probe_only);
}

// The pids and signal numbers SIGNAL's handler may read from `attrs`,
// whichever of several duplicates it takes.
bool SafeSignal(std::string_view attrs, const Targets& t) {
  bool probe_only = true;
  ForEachAttr(attrs, [&](uint16_t type, std::string_view p) {
    uint32_t sig;
    if (type == KUCHAN_A_SIGNAL_SIGNAL && p.size() >= sizeof(sig)) {
      memcpy(&sig, p.data(), sizeof(sig));
      if (sig != 0) probe_only = false;
    }
  });
  bool safe = true;
  ForEachAttr(attrs, [&](uint16_t type, std::string_view target) {
    if (type != KUCHAN_A_SIGNAL_TARGETS) return;
    ForEachAttr(target, [&](uint16_t ttype, std::string_view p) {
      int32_t pid;
      if (ttype != KUCHAN_A_TARGET_PID || p.size() < sizeof(pid)) return;
      memcpy(&pid, p.data(), sizeof(pid));
      if (!SafePid(pid, probe_only, t)) safe = false;
    });
  });
  return safe;
}

// A helper path names nothing when it is empty or lies under kNowhere (the
// kernel reads it up to its first NUL; leading slashes aside, a relative
// path is resolved from the root by the usermode helper), or names the one
// real program the fuzzer may set, kHarmless.
bool SafePath(std::string_view p) {
  p = p.substr(0, p.find('\0'));
  if (p == kHarmless) return true;
  size_t slashes = p.find_first_not_of('/');
  if (slashes == std::string_view::npos) return p.empty();
  const std::string dir = std::string(kNowhere) + "/";
  return p.substr(slashes, dir.size()) == dir;
}

bool SafeHelper(std::string_view attrs) {
  bool safe = true;
  ForEachAttr(attrs, [&](uint16_t type, std::string_view p) {
    if ((type == KUCHAN_A_HELPER_PATH || type == KUCHAN_A_HELPER_STATIC_PATH) &&
        !SafePath(p))
      safe = false;
  });
  return safe;
}

bool Safe(uint8_t cmd, std::string_view attrs, const Targets& t) {
  switch (cmd) {
    case KUCHAN_CMD_SIGNAL:
      return SafeSignal(attrs, t);
    case KUCHAN_CMD_HELPER_SET:
      return SafeHelper(attrs);
    default:
      return true;  // nothing else names a process or a program
  }
}

// ---------------------------------------------------------------------------
// The generator.
// ---------------------------------------------------------------------------

class Generator {
 public:
  Generator(std::mt19937_64* rng, const Targets* targets)
      : rng_(*rng), targets_(*targets) {}

  // The attributes of one request for `op`.
  std::string Request(const Op& op) {
    // One request in five is meant to be valid; the others carry mistakes,
    // few or many.
    const bool mutate = !Chance(0.2);
    static constexpr double kRates[] = {0.01, 0.05, 0.15, 0.4};
    rate_ = mutate ? kRates[Below(4)] : 0;
    // A SIGNAL probe (signal 0) is the only one that may name the fuzzer.
    probe_ = op.cmd == KUCHAN_CMD_SIGNAL && Chance(0.25);
    if (op.request == nullptr) return Strays(mutate ? 1 + Below(3) : 0);
    return Set(*op.request);
  }

 private:
  bool Chance(double p) {
    return std::uniform_real_distribution<double>(0, 1)(rng_) < p;
  }
  uint64_t Below(uint64_t n) { return n ? rng_() % n : 0; }
  template <typename T>
  T Pick(std::initializer_list<T> l) {
    return *(l.begin() + Below(l.size()));
  }
  bool Mistake(double weight) { return Chance(rate_ * weight); }
  // Whether a value is to be one at or past its bounds: a mistake too, so
  // that a request with few mistakes has mostly sensible values.
  bool Edge() { return Mistake(1.5); }

  std::string RandomBytes(size_t n) {
    std::string s(n, '\0');
    for (char& c : s) c = static_cast<char>(rng_());
    return s;
  }

  std::string Printable(size_t n) {
    static constexpr char kChars[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.=";
    std::string s(n, 'x');
    for (char& c : s) c = kChars[Below(sizeof(kChars) - 1)];
    return s;
  }

  // The attributes of one set: each field present or not, duplicated or
  // not, in any order, with strays and leftover bytes among them.
  std::string Set(const AttrSet& s) {
    std::vector<std::string> attrs;
    for (const Field& f : s.fields) {
      const bool present = f.required     ? !Mistake(0.3)
                           : f.reply_only ? Mistake(0.3)
                                          : Chance(f.often);
      if (!present) continue;
      if (f.kind == Kind::kMulti) {
        Members(s, f, &attrs);
        continue;
      }
      const int copies = Mistake(0.3) ? 2 + static_cast<int>(Below(2)) : 1;
      for (int i = 0; i < copies; i++) attrs.push_back(Attr(s, f));
    }
    if (Mistake(0.4)) {
      const size_t n = 1 + Below(2);
      for (size_t i = 0; i < n; i++)
        attrs.insert(attrs.begin() + Below(attrs.size() + 1),
                     Stray(s.max_type));
    }
    if (Chance(0.3)) std::shuffle(attrs.begin(), attrs.end(), rng_);
    std::string out = absl::StrJoin(attrs, "");
    if (Mistake(0.1)) out += RandomBytes(1 + Below(7));  // bytes left over
    return out;
  }

  // Attributes a command without a request set must refuse (the core's
  // reject-all policy: type 1 is NLA_REJECT, the others unknown).
  std::string Strays(size_t n) {
    std::string out;
    for (size_t i = 0; i < n; i++) out += Stray(0);
    return out;
  }

  // An attribute the set does not know: type 0, just past its maximum, the
  // largest type there is, or anything in between.
  std::string Stray(uint16_t max_type) {
    uint16_t type =
        Pick<uint16_t>({0, static_cast<uint16_t>(max_type + 1),
                        static_cast<uint16_t>(max_type + 1 + Below(64)),
                        kTypeMax, static_cast<uint16_t>(Below(kTypeMax + 1))});
    if (Chance(0.3)) type |= NLA_F_NESTED;
    std::string payload = Chance(0.5) ? RandomBytes(Below(12))
                                      : Encode(1, Bytes<uint32_t>(rng_()));
    return Encode(type, payload);
  }

  std::string Attr(const AttrSet& s, const Field& f) {
    uint16_t type = f.type;
    uint16_t flags = 0;
    if (Mistake(0.3)) flags ^= NLA_F_NESTED;
    if (Mistake(0.05)) flags |= NLA_F_NET_BYTEORDER;
    if (Mistake(0.15) && s.max_type > 1) {
      // Another field's type: the payload is not what the policy wants.
      type = static_cast<uint16_t>(1 + Below(s.max_type));
    }
    std::string payload = Value(f);
    if (Mistake(0.3)) payload = WrongLength(f, payload);
    size_t declared = NLA_HDRLEN + payload.size();
    if (Mistake(0.03)) {
      // A lying header: shorter than itself, cutting the payload, or
      // running past it (and past the message).
      declared = Pick<size_t>(
          {Below(NLA_HDRLEN), NLA_HDRLEN,
           declared - std::min(declared - NLA_HDRLEN, 1 + Below(4)),
           declared + 1 + Below(8), 0xffff});
    }
    return Encode(type | flags, payload, declared);
  }

  std::string Value(const Field& f) {
    switch (f.kind) {
      case Kind::kMulti:  // Members() writes those
      case Kind::kString:
        return StringValue(f);
      default:
        return IntValue(f);
    }
  }

  // The value's bytes at a size its policy refuses.
  std::string WrongLength(const Field& f, const std::string& payload) {
    switch (f.kind) {
      case Kind::kU32:
      case Kind::kS32:
      case Kind::kU64: {
        // Sizes that are not the type's: zero, short, odd, long. The value
        // stays first, so that a reader of the first bytes sees it.
        const size_t right = payload.size();
        size_t n;
        do {
          n = Pick<size_t>({0, 1, 2, 3, 4, 5, 7, 8, 12, 16});
        } while (n == right);
        std::string out = payload.substr(0, n);
        if (n > right) out += RandomBytes(n - right);
        return out;
      }
      case Kind::kString:
        return Pick<int>({0, 1}) ? std::string()
                                 : payload + RandomBytes(1 + Below(5));
      case Kind::kMulti:
        break;
    }
    return payload;
  }

  std::string IntValue(const Field& f) {
    switch (f.meaning) {
      case Meaning::kPid:
        return Bytes<int32_t>(Pid());
      case Meaning::kStartTime:
        return Bytes<uint64_t>(StartTime());
      case Meaning::kSignal:
        return Bytes<uint32_t>(SignalNumber());
      case Meaning::kSubscriptionSignal:
        return Bytes<uint32_t>(SubscriptionSignal());
      case Meaning::kMask:
        return Bytes<uint64_t>(Mask());
      default:
        break;
    }
    switch (f.kind) {
      case Kind::kS32:
        if (!Edge()) return Bytes<int32_t>(static_cast<int32_t>(rng_()));
        return Bytes<int32_t>(
            Pick<int32_t>({0, 1, -1, INT32_MIN, INT32_MIN + 1, INT32_MAX}));
      case Kind::kU64:
        return Bytes<uint64_t>(
            Pick<uint64_t>({0, 1, UINT32_MAX, uint64_t{UINT32_MAX} + 1,
                            INT64_MAX, uint64_t{1} << 63, UINT64_MAX, rng_()}));
      default:
        return Bytes<uint32_t>(Pick<uint32_t>(
            {0, 1, 2, INT32_MAX, uint32_t{1} << 31, UINT32_MAX - 1, UINT32_MAX,
             static_cast<uint32_t>(rng_())}));
    }
  }

  // Only pids the fuzzer may name (see the top of the file).
  int32_t Pid() {
    const Targets& t = targets_;
    if (Chance(rate_ == 0 ? 0.6 : 0.3)) return t.victim;
    if (probe_ && Chance(0.3)) return t.self;
    const int32_t beyond =
        t.pid_max + static_cast<int32_t>(Below(INT32_MAX - t.pid_max));
    return Pick<int32_t>({0, -1, -2, -static_cast<int32_t>(1 + Below(1000000)),
                          INT32_MIN, INT32_MIN + 1, INT32_MAX, t.pid_max,
                          t.pid_max + 1, kPidMaxLimit, kPidMaxLimit + 1,
                          beyond});
  }

  uint64_t StartTime() {
    const uint64_t s = targets_.victim_start;
    if (Chance(0.5)) return s;
    return Pick<uint64_t>({s + 1, s - 1, 0, 1, UINT64_MAX, rng_()});
  }

  // SIGNAL's signal: 0 (the probe), 1.._NSIG, and past _NSIG.
  uint32_t SignalNumber() {
    if (probe_) return 0;
    if (!Edge()) return 1 + static_cast<uint32_t>(Below(64));
    return Pick<uint32_t>({0, 64, 65, 128, INT32_MAX, uint32_t{1} << 31,
                           UINT32_MAX, static_cast<uint32_t>(rng_())});
  }

  // SUBSCRIBE's signal: the policy says 1..64; the module is to accept
  // SIGUSR1, SIGUSR2, SIGIO and SIGRTMIN (32)..64 only.
  uint32_t SubscriptionSignal() {
    if (!Edge())
      return Pick<uint32_t>(
          {SIGUSR1, SIGUSR2, SIGIO, 32 + static_cast<uint32_t>(Below(33))});
    return Pick<uint32_t>({0, 1, SIGKILL, SIGUSR1, SIGUSR2, SIGSTOP, SIGIO,
                           SIGSYS, 31, 32, 33, 34, 63, 64, 65,
                           1 + static_cast<uint32_t>(Below(64)), INT32_MAX,
                           uint32_t{1} << 31, UINT32_MAX});
  }

  uint64_t Mask() {
    return Pick<uint64_t>({0, uint64_t{1} << Below(6), 0x3e, UINT64_MAX,
                           uint64_t{1} << 63, uint64_t{1} << Below(64),
                           rng_()});
  }

  // A string with or without its NUL, with one inside, at and past its
  // bound.
  std::string StringValue(const Field& f) {
    std::string s;
    if (f.meaning == Meaning::kPath) {
      s = PathText(f.max_len);
    } else {
      size_t len;
      if (!Edge()) {
        len = 1 + Below(std::min<size_t>(f.max_len, 40));
      } else {
        len = Pick<size_t>({0, 1, f.max_len - 1, f.max_len, f.max_len + 1,
                            f.max_len + 2, Below(f.max_len + 16)});
      }
      s = Chance(0.8) ? Printable(len) : RandomBytes(len);
    }
    // Where a NUL may go: never into a path's directory, whose name keeps
    // the path from naming a program.
    const size_t keep = f.meaning == Meaning::kPath
                            ? std::min(s.size(), sizeof(kNowhere) + 1)
                            : 0;
    switch (Mistake(1) ? 1 + Below(3) : 0) {
      case 0:
        return s + '\0';
      case 1:
        return s;  // no NUL
      case 2: {
        const size_t at = keep + Below(s.size() - keep + 1);
        return s.substr(0, at) + '\0' + s.substr(at) + '\0';
      }
      default:
        return s + std::string(1 + Below(3), '\0');
    }
  }

  // Helper paths, all under /nonexistent-kuchan-fuzz/ (or empty): short,
  // at 255 bytes (the handler's bound) and past it, at 4095 (the policy's)
  // and past it; with "..", ".", "//", no leading slash, odd bytes.
  std::string PathText(size_t policy_max) {
    const std::string dir = absl::StrCat("/", kNowhere, "/");
    if (Mistake(0.2)) return "";
    if (!Edge() && Chance(0.5)) return kHarmless;
    std::string p = dir;
    switch (Edge() ? 1 + Below(7) : 0) {
      case 0:
        p += Printable(1 + Below(20));
        break;
      case 1:
        p += Printable(3) + "/../" + Printable(3);
        break;
      case 2:
        p += Chance(0.5) ? ".." : "./x/.";
        break;
      case 3:
        p = "/" + p + "/" + Printable(4);  // "//nonexistent...//name"
        break;
      case 4:
        p = p.substr(1) + Printable(4);  // relative
        break;
      case 5:
        p += RandomBytes(1 + Below(40));
        break;
      default: {
        const size_t len = Pick<size_t>(
            {254, 255, 256, 1024, policy_max, policy_max + 1, policy_max + 8});
        p += Printable(len > p.size() ? len - p.size() : 1);
        break;
      }
    }
    return p;
  }

  // A multi-attr's members, each an attribute of the field's type: 0,
  // some, max_count and max_count + 1 of them; members empty, too short,
  // without NLA_F_NESTED, or of another field's type.
  void Members(const AttrSet& s, const Field& f,
               std::vector<std::string>* attrs) {
    size_t n;
    if (!Edge()) {
      n = Chance(0.1) ? f.max_count
                      : 1 + Below(std::min<size_t>(f.max_count, 4));
    } else {
      n = Pick<size_t>({0, 1, 2, 1 + Below(f.max_count), f.max_count,
                        f.max_count + 1, f.max_count + 1 + Below(3)});
    }
    // Mistakes per multi-attr, not per member: else a long one always has
    // one, and the handler's own checks (the count) are never reached.
    const double rate = rate_;
    if (n > 1) rate_ /= static_cast<double>(n);
    for (size_t i = 0; i < n; i++) {
      uint16_t type = f.type;
      if (Mistake(0.1) && s.max_type > 1)
        type = static_cast<uint16_t>(1 + Below(s.max_type));
      uint16_t flags = Mistake(0.2) ? 0 : NLA_F_NESTED;
      std::string member;
      if (Mistake(0.1))
        member = "";
      else if (Mistake(0.05))
        member = RandomBytes(1 + Below(3));
      else
        member = Set(*f.member);
      attrs->push_back(Encode(type | flags, member));
    }
    rate_ = rate;
  }

  std::mt19937_64& rng_;
  const Targets& targets_;
  double rate_ = 0;     // chance of each mistake, for this request
  bool probe_ = false;  // this SIGNAL request sends signal 0
};

// ---------------------------------------------------------------------------
// Sending and receiving.
// ---------------------------------------------------------------------------

struct Outcome {
  bool answered = false;     // the ACK for our sequence number came
  std::string trouble;       // why it did not, or what was wrong with it
  int error = 0;             // the ACK's errno, positive
  std::string message;       // NLMSGERR_ATTR_MSG
  bool has_offset = false;   // NLMSGERR_ATTR_OFFS
  bool has_missing = false;  // NLMSGERR_ATTR_MISS_TYPE
  int messages = 0;          // replies before the ACK

  bool HasExtack() const { return !message.empty() || has_offset; }
};

// The extended ACK's attributes (NETLINK_CAP_ACK: no echoed request).
void ParseAckTlvs(const nlmsghdr* h, Outcome* o) {
  const char* start =
      static_cast<const char*>(NLMSG_DATA(h)) + sizeof(nlmsgerr);
  const char* end = reinterpret_cast<const char*>(h) + h->nlmsg_len;
  if (start > end) return;
  ForEachAttr(std::string_view(start, end - start),
              [&](uint16_t type, std::string_view p) {
                if (type == NLMSGERR_ATTR_MSG)
                  o->message = std::string(p.substr(0, p.find('\0')));
                if (type == NLMSGERR_ATTR_OFFS) o->has_offset = true;
                if (type == NLMSGERR_ATTR_MISS_TYPE) o->has_missing = true;
              });
}

// Sends `msg` (sequence number `seq`) to the kernel and waits for its ACK;
// `fd` has SO_RCVTIMEO set, so that a lost reply shows as a timeout.
Outcome Exchange(int fd, const std::string& msg, uint32_t seq) {
  Outcome o;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (sendto(fd, msg.data(), msg.size(), 0,
             reinterpret_cast<const sockaddr*>(&kernel), sizeof(kernel)) < 0) {
    o.trouble = absl::StrCat("sendto: ", strerror(errno));
    return o;
  }
  alignas(nlmsghdr) static char buf[1 << 17];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      o.trouble = errno == EAGAIN
                      ? absl::StrCat("no reply within ", kReplyTimeoutSec, " s")
                      : absl::StrCat("recv: ", strerror(errno));
      return o;
    }
    size_t len = static_cast<size_t>(n);
    for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, len);
         h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_seq != seq) continue;  // stale: not ours
      if (h->nlmsg_type != NLMSG_ERROR) {
        o.messages++;
        continue;
      }
      if (h->nlmsg_len < NLMSG_LENGTH(sizeof(nlmsgerr))) {
        o.trouble = "truncated ACK";
        return o;
      }
      const auto* err = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
      o.answered = true;
      o.error = -err->error;
      if (o.error < 0) o.trouble = "positive error in the ACK";
      if (h->nlmsg_flags & NLM_F_ACK_TLVS) ParseAckTlvs(h, &o);
      return o;
    }
  }
}

// A genetlink socket with extended ACKs and a receive timeout.
class Sock {
 public:
  Sock() {
    if (!raw_.ok()) return;
    timeval tv{kReplyTimeoutSec, 0};
    ok_ = setsockopt(raw_.fd(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0;
  }
  bool ok() const { return ok_; }
  raw::Socket& raw() { return raw_; }

  // Sends attrs as command `cmd` of `family`; the whole message in *msg.
  Outcome Send(uint16_t family, uint8_t cmd, const std::string& attrs,
               std::string* msg) {
    const uint32_t seq = raw_.NextSeq();
    *msg = raw_.Build(family, cmd, attrs, seq);
    return Exchange(raw_.fd(), *msg, seq);
  }

 private:
  raw::Socket raw_;
  bool ok_ = false;
};

// ---------------------------------------------------------------------------
// What a phase found, and its way from the fuzzing child to the test.
// ---------------------------------------------------------------------------

struct OpStats {
  uint64_t requests = 0;
  uint64_t successes = 0;
  double seconds = 0;              // spent on it, sockets and victims included
  std::map<int, uint64_t> errors;  // errno -> count
};

// Refusals of one (command, errno) without an extended ACK.
struct Bare {
  uint64_t count = 0;
  std::string example;  // the shortest request that got one
};

struct PhaseResult {
  bool complete = false;
  uint64_t requests = 0;
  uint64_t regenerated = 0;  // requests the safety guard sent back
  uint64_t victims = 0;      // sacrificial children spawned
  uint64_t helpers_set = 0;  // HELPER_SETs that succeeded (cleared at once)
  double seconds = 0;
  std::map<uint8_t, OpStats> ops;
  std::map<std::pair<uint8_t, int>, Bare> bare;
  // (command, errno, message) -> count: every extack message seen.
  std::map<std::tuple<uint8_t, int, std::string>, uint64_t> messages;
  std::vector<std::string> troubles;  // no reply, broken ACK, ...
};

// One record per line, binary fields hex-encoded.
std::string Serialize(const PhaseResult& r) {
  std::string out =
      absl::StrFormat("R %d %u %u %u %u %.3f\n", r.complete ? 1 : 0, r.requests,
                      r.regenerated, r.victims, r.helpers_set, r.seconds);
  for (const auto& [cmd, s] : r.ops) {
    absl::StrAppendFormat(&out, "O %u %u %u %.3f\n", unsigned{cmd}, s.requests,
                          s.successes, s.seconds);
    for (const auto& [err, n] : s.errors)
      absl::StrAppendFormat(&out, "E %u %d %u\n", unsigned{cmd}, err, n);
  }
  for (const auto& [key, b] : r.bare)
    absl::StrAppendFormat(&out, "B %u %d %u %s\n", unsigned{key.first},
                          key.second, b.count,
                          absl::BytesToHexString(b.example));
  for (const auto& [key, n] : r.messages)
    absl::StrAppendFormat(&out, "M %u %d %u %s\n", unsigned{std::get<0>(key)},
                          std::get<1>(key), n,
                          absl::BytesToHexString(std::get<2>(key)));
  for (const std::string& t : r.troubles)
    absl::StrAppendFormat(&out, "T %s\n", absl::BytesToHexString(t));
  return out;
}

PhaseResult Deserialize(const std::string& text) {
  PhaseResult r;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream l(line);
    char tag = 0;
    unsigned cmd = 0;
    int err = 0;
    uint64_t n = 0;
    std::string hex;
    l >> tag;
    switch (tag) {
      case 'R': {
        int complete = 0;
        l >> complete >> r.requests >> r.regenerated >> r.victims >>
            r.helpers_set >> r.seconds;
        r.complete = complete != 0;
        break;
      }
      case 'O': {
        OpStats s;
        l >> cmd >> s.requests >> s.successes >> s.seconds;
        r.ops[static_cast<uint8_t>(cmd)] = s;
        break;
      }
      case 'E':
        l >> cmd >> err >> n;
        r.ops[static_cast<uint8_t>(cmd)].errors[err] = n;
        break;
      case 'B': {
        Bare b;
        l >> cmd >> err >> b.count >> hex;
        b.example = absl::HexStringToBytes(hex);
        r.bare[{static_cast<uint8_t>(cmd), err}] = b;
        break;
      }
      case 'M':
        l >> cmd >> err >> n >> hex;
        r.messages[{static_cast<uint8_t>(cmd), err,
                    absl::HexStringToBytes(hex)}] = n;
        break;
      case 'T':
        l >> hex;
        r.troubles.push_back(absl::HexStringToBytes(hex));
        break;
    }
  }
  return r;
}

// ---------------------------------------------------------------------------
// One phase: every command, as one user, in a child process.
// ---------------------------------------------------------------------------

// Sixteen bytes a line, offsets in hex: a netlink message as sent.
std::string HexDump(const std::string& b) {
  std::string out;
  for (size_t i = 0; i < b.size(); i += 16) {
    absl::StrAppendFormat(&out, "    %04x:", i);
    for (size_t j = i; j < std::min(b.size(), i + 16); j++)
      absl::StrAppendFormat(&out, "%s%02x", (j - i) % 4 ? "" : " ",
                            static_cast<unsigned>(static_cast<uint8_t>(b[j])));
    out += '\n';
  }
  return out;
}

int32_t ReadPidMax() {
  std::ifstream f("/proc/sys/kernel/pid_max");
  int32_t v = 0;
  return (f >> v) && v > 0 ? v : kPidMaxLimit;
}

class Fuzzer {
 public:
  Fuzzer(uint64_t seed, uid_t uid) : rng_(seed ^ (uint64_t{uid} << 32)) {
    targets_.self = getpid();
    targets_.pid_max = ReadPidMax();
  }
  ~Fuzzer() { KillVictim(); }

  PhaseResult Run(int requests) {
    const auto start = std::chrono::steady_clock::now();
    if (!main_.ok()) return Failed("cannot open a genetlink socket");
    family_ = main_.raw().ResolveFamily(KUCHAN_FAMILY_NAME);
    if (family_ <= 0) return Failed("cannot resolve the kuchan family");

    for (uint8_t cmd : Schedule(requests)) {
      if (unanswered_ >= kMaxUnanswered) {
        result_.troubles.push_back("stopped: the kernel stopped answering");
        break;
      }
      Fuzz(cmd);
    }
    KillVictim();
    result_.complete = unanswered_ < kMaxUnanswered;
    result_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    return result_;
  }

 private:
  PhaseResult Failed(const std::string& why) {
    result_.troubles.push_back(why);
    return result_;
  }

  // Every command by its weight, shuffled; subscriptions first (see the
  // top of the file: no helper run may raise an event while one exists).
  std::vector<uint8_t> Schedule(int requests) {
    int total = 0;
    for (const Op& op : Ops()) total += op.weight;
    std::vector<uint8_t> cmds;
    for (const Op& op : Ops())
      cmds.insert(cmds.end(), std::max(1, requests * op.weight / total),
                  op.cmd);
    std::shuffle(cmds.begin(), cmds.end(), rng_);
    std::stable_partition(cmds.begin(), cmds.end(), [](uint8_t c) {
      return c == KUCHAN_CMD_SUBSCRIBE || c == KUCHAN_CMD_UNSUBSCRIBE;
    });
    return cmds;
  }

  void Fuzz(uint8_t cmd) {
    const auto start = std::chrono::steady_clock::now();
    FuzzOne(cmd);
    result_.ops[cmd].seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
  }

  void FuzzOne(uint8_t cmd) {
    switch (cmd) {
      case KUCHAN_CMD_SUBSCRIBE:
        FuzzSubscribe();
        break;
      case KUCHAN_CMD_SIGNAL:
        RefreshVictim();
        Send(main_, cmd);
        break;
      case KUCHAN_CMD_HELPER_SET:
        if (Send(main_, cmd)) {
          // Set: clear it before anything raises an event it would run for.
          result_.helpers_set++;
          std::string msg;
          Outcome o = main_.Send(static_cast<uint16_t>(family_),
                                 KUCHAN_CMD_HELPER_CLEAR, "", &msg);
          if (!o.answered || o.error)
            result_.troubles.push_back(
                absl::StrCat("clearing a helper the fuzzer set failed: ",
                             o.answered ? strerror(o.error) : o.trouble));
        }
        break;
      default:
        Send(main_, cmd);
        break;
    }
  }

  // SUBSCRIBE on a socket of its own, sometimes followed by an UNSUBSCRIBE
  // on it; the socket closes (and any subscription with it) before the
  // next request.
  void FuzzSubscribe() {
    Sock s;
    if (!s.ok()) {
      result_.troubles.push_back("cannot open a socket for SUBSCRIBE");
      return;
    }
    Send(s, KUCHAN_CMD_SUBSCRIBE);
    if (Chance(0.5)) Send(s, KUCHAN_CMD_UNSUBSCRIBE);
  }

  bool Chance(double p) {
    return std::uniform_real_distribution<double>(0, 1)(rng_) < p;
  }

  // Generates a request the guard passes, sends it on `s`, records the
  // outcome. True when it succeeded.
  bool Send(Sock& s, uint8_t cmd) {
    const Op& op = OpOf(cmd);
    Generator gen(&rng_, &targets_);
    std::string attrs = gen.Request(op);
    for (int tries = 0; !Safe(cmd, attrs, targets_); tries++) {
      if (tries == kMaxRegenerations) {
        result_.troubles.push_back(
            absl::StrCat(op.name, ": the generator made no safe request in ",
                         tries, " tries"));
        return false;
      }
      result_.regenerated++;
      attrs = gen.Request(op);
    }
    std::string msg;
    Outcome o = s.Send(static_cast<uint16_t>(family_), cmd, attrs, &msg);
    Record(cmd, msg, o);
    return o.answered && o.error == 0;
  }

  void Record(uint8_t cmd, const std::string& msg, const Outcome& o) {
    OpStats& st = result_.ops[cmd];
    st.requests++;
    result_.requests++;
    if (!o.trouble.empty()) {
      result_.troubles.push_back(absl::StrCat(OpOf(cmd).name, ": ", o.trouble,
                                              "; request:\n", HexDump(msg)));
    }
    if (!o.answered) {
      unanswered_++;
      return;
    }
    if (o.error == 0) {
      st.successes++;
      if ((cmd == KUCHAN_CMD_GET_STATS || cmd == KUCHAN_CMD_HELPER_GET) &&
          o.messages == 0)
        result_.troubles.push_back(absl::StrCat(
            OpOf(cmd).name, ": success without a reply; request:\n",
            HexDump(msg)));
      return;
    }
    st.errors[o.error]++;
    if (!o.message.empty()) result_.messages[{cmd, o.error, o.message}]++;
    if (!o.HasExtack()) {
      Bare& b = result_.bare[{cmd, o.error}];
      b.count++;
      if (b.example.empty() || msg.size() < b.example.size()) b.example = msg;
    }
  }

  // The sacrificial child SIGNAL may aim at: respawned once a signal has
  // killed it. It is reaped only here, right before a new one is made, so
  // its pid cannot be reused while a request may still name it.
  void RefreshVictim() {
    if (targets_.victim > 0) {
      int status;
      if (waitpid(targets_.victim, &status, WNOHANG) == 0) return;  // alive
      targets_.victim = 0;
    }
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(0);
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, nullptr);
      for (;;) pause();
    }
    if (pid < 0) {
      // No victim: name only pids that cannot exist.
      targets_.victim = targets_.pid_max;
      return;
    }
    result_.victims++;
    targets_.victim = pid;
    absl::StatusOr<uint64_t> start = ProcStartTime(pid);
    targets_.victim_start = start.ok() ? *start : 0;
  }

  void KillVictim() {
    if (targets_.victim <= 0 || targets_.victim >= targets_.pid_max) return;
    kill(targets_.victim, SIGKILL);
    waitpid(targets_.victim, nullptr, 0);
    targets_.victim = 0;
  }

 private:
  std::mt19937_64 rng_;
  Targets targets_;
  Sock main_;
  int family_ = 0;
  int unanswered_ = 0;
  PhaseResult result_;
};

// Runs one phase in a child (dropped to `uid` unless it is root), with
// every blockable signal blocked; the child's result comes back through a
// memfd (a pipe could fill before the parent reads it).
PhaseResult RunPhase(uid_t uid, uint64_t seed, int requests) {
  PhaseResult failed;
  const int fd = memfd_create("kuchan-fuzz", MFD_CLOEXEC);
  if (fd < 0) {
    failed.troubles.push_back(absl::StrCat("memfd_create: ", strerror(errno)));
    return failed;
  }
  const int rc = InChild([&] {
    if (uid != 0 && !DropTo(uid)) return 3;
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, nullptr);
    const std::string report = Serialize(Fuzzer(seed, uid).Run(requests));
    return write(fd, report.data(), report.size()) ==
                   static_cast<ssize_t>(report.size())
               ? 0
               : 4;
  });
  std::string text;
  char buf[65536];
  ssize_t n;
  lseek(fd, 0, SEEK_SET);
  while ((n = read(fd, buf, sizeof(buf))) > 0) text.append(buf, n);
  close(fd);
  if (rc != 0) {
    failed.troubles.push_back(
        rc == 300 ? absl::StrCat("the fuzzer as uid ", uid,
                                 " died of a signal (a subscription's?)")
                  : absl::StrCat("the fuzzer as uid ", uid, " exited ", rc));
    return failed;
  }
  return Deserialize(text);
}

// ---------------------------------------------------------------------------
// Reporting.
// ---------------------------------------------------------------------------

std::string ErrnoName(int err) {
  const char* name = strerrorname_np(err);
  return name ? name : absl::StrCat("errno ", err);
}

// "SIGNAL     1234 requests   210 ok   EINVAL 900, ESRCH 100"
std::string Summary(uint8_t cmd, const OpStats& s) {
  std::vector<std::pair<uint64_t, int>> by_count;
  for (const auto& [err, n] : s.errors) by_count.push_back({n, err});
  std::sort(by_count.rbegin(), by_count.rend());
  std::vector<std::string> errs;
  for (const auto& [n, err] : by_count)
    errs.push_back(absl::StrCat(ErrnoName(err), " ", n));
  return absl::StrFormat(
      "%-12s %6u requests %6u ok %5.1f s   %s", OpOf(cmd).name, s.requests,
      s.successes, s.seconds,
      errs.empty() ? "no errors" : absl::StrJoin(errs, ", "));
}

// A payload as the integer its size suggests, else as escaped bytes.
std::string DescribePayload(std::string_view p) {
  if (p.size() == sizeof(uint32_t)) {
    uint32_t u;
    memcpy(&u, p.data(), sizeof(u));
    return absl::StrFormat("%u (s32 %d)", u, static_cast<int32_t>(u));
  }
  if (p.size() == sizeof(uint64_t)) {
    uint64_t u;
    memcpy(&u, p.data(), sizeof(u));
    return absl::StrFormat("%u", u);
  }
  return absl::StrCat("\"",
                      absl::CHexEscape(absl::string_view(
                          p.data(), std::min<size_t>(p.size(), 64))),
                      p.size() > 64 ? "\"..." : "\"");
}

// The attributes of a request, one line each, nests indented: for reading
// a hex dump.
void DescribeAttrs(std::string_view b, int depth, std::string* out) {
  size_t off = 0;
  while (off + NLA_HDRLEN <= b.size()) {
    nlattr h;
    memcpy(&h, b.data() + off, sizeof(h));
    absl::StrAppendFormat(out, "%*stype %u%s len %u", 4 + 2 * depth, "",
                          unsigned{h.nla_type} & NLA_TYPE_MASK,
                          h.nla_type & NLA_F_NESTED ? " NESTED" : "",
                          unsigned{h.nla_len});
    if (h.nla_len < NLA_HDRLEN || h.nla_len > b.size() - off) {
      *out += " (a malformed header: the kernel stops here)\n";
      return;
    }
    std::string_view p = b.substr(off + NLA_HDRLEN, h.nla_len - NLA_HDRLEN);
    if (h.nla_type & NLA_F_NESTED) {
      *out += '\n';
      DescribeAttrs(p, depth + 1, out);
    } else {
      absl::StrAppend(out, ": ", DescribePayload(p), "\n");
    }
    off += NLA_ALIGN(h.nla_len);
  }
  if (off < b.size())
    absl::StrAppendFormat(out, "%*s%u bytes left over\n", 4 + 2 * depth, "",
                          b.size() - off);
}

std::string DescribeRequest(const std::string& msg) {
  const size_t hdr = NLMSG_HDRLEN + GENL_HDRLEN;
  std::string out = HexDump(msg);
  if (msg.size() > hdr)
    DescribeAttrs(std::string_view(msg).substr(hdr), 0, &out);
  return out;
}

// The netlink core's own notes about the malformed input this suite sends
// on purpose, at warning level and rate limited: "netlink: '<comm>':
// attribute type N has an invalid length.", "netlink: N bytes leftover
// after parsing attributes in process `<comm>'." (lib/nlattr.c), and the
// rate limiter's "<function>: N callbacks suppressed". They are printed for
// any program's bad request, by the core, before kuchan's policy refuses
// it: not trouble in the kernel. Only our own process's, exactly these.
bool IsNetlinkInputNote(const KmsgRecord& r, const std::string& comm) {
  const std::string& t = r.text;
  auto starts = [&](std::string_view s) { return t.rfind(s, 0) == 0; };
  auto ends = [&](std::string_view s) {
    return t.size() >= s.size() &&
           t.compare(t.size() - s.size(), s.size(), s) == 0;
  };
  if (starts(absl::StrCat("netlink: '", comm, "': attribute type ")) &&
      ends(" has an invalid length."))
    return true;
  if (starts("netlink: ") &&
      ends(absl::StrCat(" bytes leftover after parsing attributes in process `",
                        comm, "'.")))
    return true;
  for (const char* fn : {"validate_nla: ", "__nla_validate_parse: "}) {
    if (starts(fn) && ends(" callbacks suppressed")) return true;
  }
  return false;
}

uint64_t SeedFromEnv() {
  if (const char* s = getenv("KUCHAN_FUZZ_SEED"); s && *s)
    return strtoull(s, nullptr, 0);
  std::random_device rd;
  return (uint64_t{rd()} << 32) ^ rd() ^
         static_cast<uint64_t>(
             std::chrono::steady_clock::now().time_since_epoch().count());
}

int RequestsPerUserFromEnv() {
  if (const char* s = getenv("KUCHAN_FUZZ_REQUESTS"); s && *s)
    return std::max(1, atoi(s));
  return kDefaultRequestsPerUser;
}

bool Verbose() {
  const char* s = getenv("KUCHAN_FUZZ_VERBOSE");
  return s && *s && strcmp(s, "0") != 0;
}

// ---------------------------------------------------------------------------
// The suite.
// ---------------------------------------------------------------------------

class FuzzTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ModuleLoaded());
    ASSERT_TRUE(sock_.ok());
    family_ = sock_.raw().ResolveFamily(KUCHAN_FAMILY_NAME);
    ASSERT_GT(family_, 0) << "is kuchan.ko loaded?";
    struct stat st {};
    ASSERT_NE(stat(absl::StrCat("/", kNowhere).c_str(), &st), 0)
        << "/" << kNowhere << " exists: helper paths under it could name a "
        << "program";
    // No helper left by an earlier suite to run on the fuzzer's events.
    ASSERT_EQ(ClearHelper(), 0);
    // kHarmless: root's, 0755, in root's /run; ignores its arguments.
    {
      std::ofstream f(kHarmless);
      f << "#!/bin/sh\nexit 0\n";
    }
    ASSERT_EQ(chmod(kHarmless, 0755), 0) << strerror(errno);
  }

  // Whatever happened: no helper left set, the module still loaded.
  void TearDown() override {
    EXPECT_EQ(ClearHelper(), 0);
    EXPECT_FALSE(HelperSet()) << "a helper is still set";
    EXPECT_TRUE(ModuleLoaded());
  }

  int ClearHelper() {
    std::string msg;
    Outcome o = sock_.Send(static_cast<uint16_t>(family_),
                           KUCHAN_CMD_HELPER_CLEAR, "", &msg);
    return o.answered ? o.error : -1;
  }

  bool HelperSet() {
    raw::Reply r = sock_.raw().Request(static_cast<uint16_t>(family_),
                                       KUCHAN_CMD_HELPER_GET, "");
    for (const std::string& m : r.messages)
      if (raw::ParseAttrs(m.substr(GENL_HDRLEN)).count(KUCHAN_A_HELPER_PATH))
        return true;
    return false;
  }

  Sock sock_;
  int family_ = 0;
};

TEST_F(FuzzTest, EveryRefusalCarriesAnExtendedAck) {
  absl::StatusOr<KmsgReader> kmsg = KmsgReader::Open();
  ASSERT_TRUE(kmsg.ok()) << kmsg.status();
  const uint64_t seed = SeedFromEnv();
  const int per_user = RequestsPerUserFromEnv();
  printf(
      "kuchan-fuzz: seed %llu (KUCHAN_FUZZ_SEED=%llu repeats it), %d "
      "requests per user\n",
      static_cast<unsigned long long>(seed),
      static_cast<unsigned long long>(seed), per_user);
  fflush(stdout);

  // The unprivileged user first: it cannot set a helper, so no helper run
  // can raise an event while its subscriptions exist (see the top).
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::pair<uid_t, PhaseResult>> phases;
  for (uid_t uid : {kTestUid, uid_t{0}})
    phases.push_back({uid, RunPhase(uid, seed, per_user)});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();

  uint64_t total = 0;
  std::vector<std::string> bare, troubles;
  for (const auto& [uid, r] : phases) {
    total += r.requests;
    printf(
        "kuchan-fuzz: uid %u: %llu requests in %.1f s (%llu sent back by "
        "the safety guard, %llu victims spawned, %llu helpers set and "
        "cleared)\n",
        uid, static_cast<unsigned long long>(r.requests), r.seconds,
        static_cast<unsigned long long>(r.regenerated),
        static_cast<unsigned long long>(r.victims),
        static_cast<unsigned long long>(r.helpers_set));
    for (const auto& [cmd, s] : r.ops)
      printf("kuchan-fuzz: uid %-4u %s\n", uid, Summary(cmd, s).c_str());
    if (Verbose()) {
      for (const auto& [key, n] : r.messages)
        printf("kuchan-fuzz: uid %-4u %-12s %-8s %6llu \"%s\"\n", uid,
               OpOf(std::get<0>(key)).name, ErrnoName(std::get<1>(key)).c_str(),
               static_cast<unsigned long long>(n),
               absl::CHexEscape(std::get<2>(key)).c_str());
    }
    for (const Op& op : Ops())
      EXPECT_GT(r.ops.count(op.cmd) ? r.ops.at(op.cmd).requests : 0, 0u)
          << op.name << " was never sent as uid " << uid;
    for (const auto& [key, b] : r.bare)
      bare.push_back(absl::StrCat(OpOf(key.first).name, " ",
                                  ErrnoName(key.second), " as uid ", uid, ": ",
                                  b.count, " times; the shortest request:\n",
                                  DescribeRequest(b.example)));
    for (const std::string& t : r.troubles)
      troubles.push_back(absl::StrCat("uid ", uid, ": ", t));
    EXPECT_TRUE(r.complete) << "the fuzzer as uid " << uid << " did not finish";
  }
  printf("kuchan-fuzz: %llu requests in all, %.1f s\n",
         static_cast<unsigned long long>(total), seconds);
  fflush(stdout);

  if (per_user == kDefaultRequestsPerUser) {
    EXPECT_GE(total, uint64_t{kMinRequests});
  }
  EXPECT_TRUE(troubles.empty()) << absl::StrJoin(troubles, "\n");
  EXPECT_TRUE(bare.empty())
      << bare.size() << " (command, errno, uid) refused without an extended "
      << "ACK (no message, no offset):\n"
      << absl::StrJoin(bare, "\n");

  // The kernel log: nothing but the netlink core's notes on bad input.
  char comm[16] = {};
  prctl(PR_GET_NAME, comm);
  absl::StatusOr<std::vector<KmsgRecord>> records = kmsg->ReadNew();
  ASSERT_TRUE(records.ok()) << records.status();
  int notes = 0;
  std::vector<std::string> problems;
  for (const KmsgRecord& r : *records) {
    if (IsNetlinkInputNote(r, comm))
      notes++;
    else if (IsKernelProblem(r))
      problems.push_back(absl::StrCat("<", r.level, "> ", r.text));
  }
  printf(
      "kuchan-fuzz: kernel log: %zu records, %d of them the netlink "
      "core's notes on malformed input\n",
      records->size(), notes);
  EXPECT_TRUE(problems.empty()) << "the kernel log reports trouble:\n"
                                << absl::StrJoin(problems, "\n");
}

}  // namespace
}  // namespace kuchan::guest
