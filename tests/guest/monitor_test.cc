// SPDX-License-Identifier: GPL-2.0
//
// Suite "Monitor": the event stream against the real module, in the test
// VM: the library's Subscriber, `kuchanctl monitor`, EMIT, GET_STATS, events
// from hard-irq context (tests/kmod/kuchan_test_raise) and from SIGNAL.
//
// Each test reads only the events it raised (by code) and, where it counts
// the module's counters, has no other subscriber open.
#include <linux/netlink.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "kernel/uapi/kuchan.h"
#include "tests/guest/guest_util.h"
#include "tests/guest/typed_ops.h"
#include "tests/raw/raw_genl.h"
#include "userspace/kuchan/subscriber.h"

namespace kuchan::guest {
namespace {

constexpr size_t kBigBuffer = 8 << 20;
const absl::Duration kWait = absl::Seconds(10);

Subscriber Subscribe(size_t buffer = kBigBuffer) {
  SubscriberOptions o;
  o.receive_buffer = buffer;
  absl::StatusOr<Subscriber> s = Subscriber::Connect(o);
  if (!s.ok()) {
    ADD_FAILURE() << s.status();
    abort();
  }
  return *std::move(s);
}


std::string Value(const msg::Event& e, const std::string& key) {
  if (!e.custom) return "<none>";
  for (const msg::KeyValue& kv : e.custom->data) {
    if (kv.key == key) return kv.value.value_or("");
  }
  return "<none>";
}

// The next item, failing the test when none comes in time.
std::optional<StreamItem> NextItem(Subscriber& s,
                                   absl::Duration wait = kWait) {
  StreamItem item;
  absl::StatusOr<bool> got = s.Next(&item, wait);
  EXPECT_TRUE(got.ok()) << got.status();
  if (!got.ok() || !*got) return std::nullopt;
  return item;
}

// Reads until `n` events with `code` came (others are skipped); every item
// that is not an event is recorded in *others.
std::vector<msg::Event> ReadCustom(Subscriber& s, uint32_t code, size_t n,
                                   std::vector<StreamItem>* others = nullptr) {
  std::vector<msg::Event> got;
  while (got.size() < n) {
    std::optional<StreamItem> item = NextItem(s);
    if (!item) {
      ADD_FAILURE() << "timed out after " << got.size() << " of " << n
                    << " events of code " << code;
      break;
    }
    if (item->kind != StreamItem::Kind::kEvent) {
      if (others != nullptr) others->push_back(*item);
      continue;
    }
    if (item->event->type == msg::EVENT_CUSTOM &&
        item->event->custom && item->event->custom->code == code) {
      got.push_back(*item->event);
    }
  }
  return got;
}

// A counter, 0 when the module did not report it.
uint64_t N(const std::optional<uint64_t>& counter) {
  return counter.value_or(0);
}

uint64_t CustomRaised(const msg::Stats& st) {
  for (const msg::TypeStats& t : st.per_type) {
    if (t.type == msg::EVENT_CUSTOM) return t.raised.value_or(0);
  }
  return 0;
}

TEST(Monitor, ThreeSubscribersReceiveEveryEventInOrder) {
  constexpr uint32_t kCode = 0x1001;
  constexpr int kBurst = 1000;
  std::vector<Subscriber> subs;
  for (int i = 0; i < 3; ++i) subs.push_back(Subscribe());
  Connection c = Connect();
  for (int i = 0; i < kBurst; ++i) {
    ASSERT_TRUE(Emit(c, kCode, {{"n", absl::StrCat(i)}}).ok());
  }
  for (Subscriber& s : subs) {
    std::vector<StreamItem> others;
    std::vector<msg::Event> got = ReadCustom(s, kCode, kBurst, &others);
    ASSERT_EQ(got.size(), static_cast<size_t>(kBurst));
    EXPECT_TRUE(others.empty()) << others.size() << " overruns or module news";
    for (int i = 0; i < kBurst; ++i) {
      EXPECT_EQ(Value(got[i], "n"), absl::StrCat(i));
      if (i > 0) {
        EXPECT_EQ(got[i].seq, *got[i - 1].seq + 1);
      }
      ASSERT_TRUE(got[i].actor.has_value());
      EXPECT_EQ(got[i].actor->tgid, static_cast<uint32_t>(getpid()));
      EXPECT_GT(got[i].timestamp_ns.value_or(0), 0u);
    }
    EXPECT_EQ(s.counters().lost, 0u);
    EXPECT_EQ(s.counters().overflows, 0u);
  }
}

TEST(Monitor, UnprivilegedUserCannotJoin) {
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (setresgid(kTestUid, kTestUid, kTestUid) ||
        setresuid(kTestUid, kTestUid, kTestUid)) {
      _exit(10);
    }
    // The bare socket call: EPERM.
    const int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
    absl::StatusOr<Connection> c = Connection::Open();
    if (fd < 0 || !c.ok()) _exit(11);
    const int g = static_cast<int>(c->monitor_group());
    if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)) == 0)
      _exit(12);
    if (errno != EPERM) _exit(13);
    // The library: PermissionDenied, saying why.
    absl::StatusOr<Subscriber> s = Subscriber::Connect();
    if (s.ok()) _exit(14);
    if (!absl::IsPermissionDenied(s.status())) _exit(15);
    if (s.status().message().find("CAP_NET_ADMIN") == std::string::npos)
      _exit(16);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);

  absl::StatusOr<CommandResult> r =
      RunCommand({"kuchanctl", "monitor", "--count", "1"}, kTestUid);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_status, 1) << Describe({"kuchanctl monitor"}, *r);
  EXPECT_NE(r->err.find("CAP_NET_ADMIN"), std::string::npos) << r->err;
  EXPECT_EQ(r->out, "");
}

// A subscriber with the smallest receive buffer the kernel allows, which
// has read one event of `code` (its baseline) and then not read while
// `flood` more were raised through `c`.
Subscriber FloodTinyBuffer(Connection& c, uint32_t code, int flood) {
  Subscriber s = Subscribe(0);
  absl::StatusOr<size_t> size = s.SetReceiveBuffer(1);  // the kernel minimum
  EXPECT_TRUE(size.ok()) << size.status();
  EXPECT_TRUE(Emit(c, code, {{"n", "start"}}).ok());
  EXPECT_EQ(ReadCustom(s, code, 1).size(), 1u);
  for (int i = 0; i < flood; ++i) {
    EXPECT_TRUE(Emit(c, code, {{"n", absl::StrCat(i)}}).ok());
  }
  return s;
}

TEST(Monitor, TinyBufferLossIsCountedExactly) {
  constexpr uint32_t kCode = 0x1002;
  constexpr int kFlood = 2000;
  Connection c = Connect();
  Subscriber s = FloodTinyBuffer(c, kCode, kFlood);
  ASSERT_FALSE(::testing::Test::HasFailure());
  // Drain what the queue kept, then one more event measures the gap.
  uint64_t events = 0, lost = 0, overruns = 0;
  auto count = [&](const StreamItem& item) {
    if (item.kind == StreamItem::Kind::kEvent) ++events;
    if (item.kind == StreamItem::Kind::kOverrun) {
      ++overruns;
      lost += item.lost;
    }
  };
  absl::StatusOr<size_t> n = s.Dispatch(count);
  ASSERT_TRUE(n.ok()) << n.status();
  ASSERT_TRUE(Emit(c, kCode, {{"n", "end"}}).ok());
  std::optional<StreamItem> item;
  while ((item = NextItem(s))) {
    count(*item);
    if (item->kind == StreamItem::Kind::kEvent &&
        Value(*item->event, "n") == "end") {
      break;
    }
  }
  ASSERT_TRUE(item.has_value());
  EXPECT_GT(lost, 0u) << "no loss: the flood did not overflow the buffer";
  EXPECT_GE(overruns, 1u);
  EXPECT_GE(s.counters().overflows, 1u);
  EXPECT_EQ(events + lost, static_cast<uint64_t>(kFlood) + 1)
      << events << " received, " << lost << " reported lost";
  EXPECT_EQ(s.counters().lost, lost);

  // The stream goes on after the overflow.
  ASSERT_TRUE(Emit(c, kCode, {{"n", "after"}}).ok());
  std::vector<msg::Event> after = ReadCustom(s, kCode, 1);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(Value(after[0], "n"), "after");
}

// The end of a burst: no event comes after the overflow to measure the
// gap, and the count must be there anyway, from the module's last event
// number, as soon as the queue is drained.
TEST(Monitor, TailLossIsCountedWithoutALaterEvent) {
  constexpr uint32_t kCode = 0x1003;
  constexpr int kFlood = 2000;
  Connection c = Connect();
  const uint64_t before = N(ReadStats(c).last_seq);
  Subscriber s = FloodTinyBuffer(c, kCode, kFlood);
  ASSERT_FALSE(::testing::Test::HasFailure());
  // The start event and the flood, numbered one after the other.
  ASSERT_EQ(N(ReadStats(c).last_seq), before + 1 + kFlood);
  uint64_t events = 0, lost = 0;
  std::optional<StreamItem> item;
  while ((item = NextItem(s, absl::Milliseconds(500)))) {
    if (item->kind == StreamItem::Kind::kEvent) ++events;
    if (item->kind == StreamItem::Kind::kOverrun) {
      EXPECT_GT(item->lost, 0u) << "an overrun without its count";
      lost += item->lost;
    }
  }
  EXPECT_GT(lost, 0u) << "no loss: the flood did not overflow the buffer";
  EXPECT_EQ(events + lost, static_cast<uint64_t>(kFlood))
      << events << " received, " << lost << " reported lost";
  EXPECT_EQ(s.counters().lost, lost);

  // The next event follows on without a gap of its own.
  ASSERT_TRUE(Emit(c, kCode, {{"n", "after"}}).ok());
  std::vector<StreamItem> others;
  ASSERT_EQ(ReadCustom(s, kCode, 1, &others).size(), 1u);
  EXPECT_TRUE(others.empty());
}

TEST(Monitor, SubscriberSurvivesUnloadAndReload) {
  constexpr uint32_t kCode = 0x1003;
  Subscriber s = Subscribe();
  {
    Connection c = Connect();
    ASSERT_TRUE(Emit(c, kCode, {{"n", "before"}}).ok());
  }
  ASSERT_EQ(ReadCustom(s, kCode, 1).size(), 1u);

  ASSERT_TRUE(UnloadModule().ok());
  std::optional<StreamItem> item = NextItem(s);
  ASSERT_TRUE(item.has_value());
  EXPECT_EQ(item->kind, StreamItem::Kind::kModuleUnloaded);
  EXPECT_EQ(s.family_id(), 0);

  ASSERT_TRUE(LoadModule().ok());
  item = NextItem(s);
  ASSERT_TRUE(item.has_value());
  EXPECT_EQ(item->kind, StreamItem::Kind::kModuleLoaded);
  EXPECT_NE(s.family_id(), 0);

  Connection c = Connect();
  ASSERT_TRUE(Emit(c, kCode, {{"n", "after"}}).ok());
  std::vector<StreamItem> others;
  std::vector<msg::Event> got = ReadCustom(s, kCode, 1, &others);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(Value(got[0], "n"), "after");
  EXPECT_EQ(got[0].seq, 1u) << "the new module counts from 1";
  EXPECT_TRUE(others.empty());
}

TEST(Monitor, ForgedControllerNewsIsIgnored) {
  constexpr uint32_t kCode = 0x1004;
  Subscriber s = Subscribe();
  // A local process sends a CTRL_CMD_DELFAMILY for kuchan straight to the
  // subscriber's port.
  sockaddr_nl self = {};
  socklen_t len = sizeof(self);
  ASSERT_EQ(getsockname(s.fd(), reinterpret_cast<sockaddr*>(&self), &len), 0);
  raw::Attrs a;
  a.Put(CTRL_ATTR_FAMILY_ID, &self.nl_pid, 2)
      .Str(CTRL_ATTR_FAMILY_NAME, KUCHAN_FAMILY_NAME);
  const int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
  ASSERT_GE(fd, 0);
  raw::Socket forger(fd);
  std::string msg = forger.Build(GENL_ID_CTRL, CTRL_CMD_DELFAMILY, a.bytes(), 1);
  sockaddr_nl to = {};
  to.nl_family = AF_NETLINK;
  to.nl_pid = self.nl_pid;
  ASSERT_EQ(sendto(fd, msg.data(), msg.size(), 0,
                   reinterpret_cast<sockaddr*>(&to), sizeof(to)),
            static_cast<ssize_t>(msg.size()));

  Connection c = Connect();
  ASSERT_TRUE(Emit(c, kCode, {}).ok());
  std::vector<StreamItem> others;
  EXPECT_EQ(ReadCustom(s, kCode, 1, &others).size(), 1u);
  EXPECT_TRUE(others.empty());
  EXPECT_EQ(s.counters().forged, 1u);
  EXPECT_NE(s.family_id(), 0);
}

// Starts `kuchanctl monitor ARGS` with its stdout on a pipe.
struct Monitor {
  pid_t pid = -1;
  FILE* out = nullptr;
};

Monitor StartMonitor(const std::vector<std::string>& args) {
  int p[2];
  if (pipe(p) != 0) abort();
  Monitor m;
  m.pid = fork();
  if (m.pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(p[1], 1);
    close(p[0]);
    close(p[1]);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>("kuchanctl"));
    argv.push_back(const_cast<char*>("monitor"));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  close(p[1]);
  m.out = fdopen(p[0], "r");
  return m;
}

// Emits pings (code kPing) until one is multicast: then a subscriber (the
// only one: nothing else here listens) has joined.
constexpr uint32_t kPing = 0x10ff;
void WaitForListener(Connection& c) {
  for (int i = 0; i < 500; ++i) {
    const uint64_t before = N(ReadStats(c).multicast);
    ASSERT_TRUE(Emit(c, kPing, {}).ok());
    if (N(ReadStats(c).multicast) > before) return;
    usleep(10000);
  }
  FAIL() << "the monitor never joined the group";
}

TEST(Monitor, KuchanctlMonitorJsonMatchesWhatWasRaised) {
  constexpr uint32_t kCode = 0x1005;
  constexpr int kEvents = 5;
  Monitor m = StartMonitor({"--json", "--count", absl::StrCat(kEvents + 1)});
  Connection c = Connect();
  WaitForListener(c);
  for (int i = 0; i < kEvents; ++i) {
    ASSERT_TRUE(Emit(c, kCode, {{"n", absl::StrCat(i)}, {"who", "test"}}).ok());
  }
  // jq's view: integers are numbers, enums their names (cli/message_json.h).
  std::vector<std::string> lines;
  char* line = nullptr;
  size_t cap = 0;
  while (getline(&line, &cap, m.out) > 0) lines.emplace_back(line);
  free(line);
  fclose(m.out);
  int status = 0;
  ASSERT_EQ(waitpid(m.pid, &status, 0), m.pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  ASSERT_EQ(lines.size(), static_cast<size_t>(kEvents + 1));
  auto seq = [](const std::string& l) -> uint64_t {
    const size_t at = l.find("{\"seq\":");
    return at == 0 ? strtoull(l.c_str() + 7, nullptr, 10) : 0;
  };
  EXPECT_NE(lines[0].find(absl::StrCat("\"code\":", kPing)), std::string::npos)
      << lines[0];
  for (int i = 0; i < kEvents; ++i) {
    const std::string& l = lines[i + 1];
    EXPECT_EQ(seq(l), seq(lines[i]) + 1) << l;
    EXPECT_NE(l.find("\"type\":\"custom\""), std::string::npos) << l;
    EXPECT_NE(l.find("\"origin\":\"user\""), std::string::npos) << l;
    EXPECT_NE(l.find(absl::StrCat("\"tgid\":", getpid(), ",")), std::string::npos)
        << l;
    EXPECT_NE(l.find(absl::StrCat("\"custom\":{\"code\":", kCode,
                                  ",\"data\":[{\"key\":\"n\",\"value\":\"", i,
                                  "\"},{\"key\":\"who\",\"value\":\"test\"}]}")),
              std::string::npos)
        << l;
    EXPECT_NE(l.find("\"timestamp_ns\":1"), std::string::npos) << l;
  }
}

TEST(Monitor, KuchanctlMonitorTextAndInterrupt) {
  constexpr uint32_t kCode = 0x1006;
  Monitor m = StartMonitor({"--type", "custom", "--timestamp", "relative"});
  Connection c = Connect();
  WaitForListener(c);
  ASSERT_TRUE(Emit(c, kCode, {{"k", "v"}}).ok());
  char* line = nullptr;
  size_t cap = 0;
  std::vector<std::string> lines;
  while (lines.size() < 2 && getline(&line, &cap, m.out) > 0) {
    lines.push_back(line);
  }
  free(line);
  kill(m.pid, SIGINT);
  fclose(m.out);
  int status = 0;
  ASSERT_EQ(waitpid(m.pid, &status, 0), m.pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].substr(0, 1), "+") << lines[1];
  EXPECT_NE(lines[1].find(" custom code=0x1006 k=v actor="), std::string::npos)
      << lines[1];
}

// The filters against the real module, with --json-seq: of four EMITs
// only the two with the code, the key=value and root's uid come out, each
// an RFC 7464 record (RS first, LF last); the pings that found the
// listener do not.
TEST(Monitor, KuchanctlMonitorFiltersAndJsonSeq) {
  constexpr uint32_t kCode = 0x1009;
  Monitor m = StartMonitor({"--json-seq", "--count", "2", "--type", "custom",
                            "--code", "0x1009", "--data", "who=me", "--uid",
                            "0", "--pid", absl::StrCat(getpid())});
  Connection c = Connect();
  WaitForListener(c);
  ASSERT_TRUE(Emit(c, kCode, {{"who", "me"}, {"n", "1"}}).ok());
  ASSERT_TRUE(Emit(c, kCode, {{"who", "you"}}).ok());
  ASSERT_TRUE(Emit(c, kCode + 1, {{"who", "me"}}).ok());
  ASSERT_TRUE(Emit(c, kCode, {{"n", "2"}, {"who", "me"}}).ok());
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), m.out)) > 0) out.append(buf, n);
  fclose(m.out);
  int status = 0;
  ASSERT_EQ(waitpid(m.pid, &status, 0), m.pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  const std::vector<std::string> records =
      absl::StrSplit(out, '\x1e', absl::SkipEmpty());
  ASSERT_EQ(records.size(), 2u) << out;
  EXPECT_EQ(out[0], '\x1e');
  for (int i = 0; i < 2; ++i) {
    const std::string& r = records[static_cast<size_t>(i)];
    EXPECT_EQ(r.back(), '\n') << r;
    EXPECT_EQ(r.find('\n'), r.size() - 1) << r;
    EXPECT_NE(r.find(absl::StrCat("\"code\":", kCode, ",")), std::string::npos)
        << r;
    EXPECT_NE(r.find(absl::StrCat("{\"key\":\"n\",\"value\":\"", i + 1, "\"}")),
              std::string::npos)
        << r;
  }
}

// kuchan_raise_custom() in every context it claims (tests/kmod): a hard
// interrupt, a softirq, process context, and process context under a
// spinlock that is also taken in hard irq (a lockdep kernel would report a
// raise that took an irq-unsafe lock there). Events of one CPU come in
// order, numbered one after the other.
TEST(Monitor, EventsArriveFromEveryContext) {
  constexpr int kCount = 20;
  struct Case {
    const char* ctx;
    const char* seen;  // the context the module reports it ran in
    bool actor;        // raised in task context: the actor is named
  };
  for (const Case& c : {Case{"hardirq", "hardirq", false},
                        Case{"softirq", "softirq", false},
                        Case{"process", "process", true},
                        Case{"locked", "process", true}}) {
    SCOPED_TRACE(c.ctx);
    Subscriber s = Subscribe();
    absl::StatusOr<CommandResult> r =
        RunCommand({"modprobe", "kuchan_test_raise", absl::StrCat("count=", kCount),
                    absl::StrCat("ctx=", c.ctx)});
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->exit_status, 0) << Describe({"modprobe"}, *r);
    std::vector<StreamItem> others;
    std::vector<msg::Event> got = ReadCustom(s, 0x7e57, kCount, &others);
    // rmmod, not modprobe -r: that would unload kuchan too.
    r = RunCommand({"rmmod", "kuchan_test_raise"});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->exit_status, 0) << Describe({"rmmod"}, *r);
    ASSERT_EQ(got.size(), static_cast<size_t>(kCount));
    EXPECT_TRUE(others.empty());
    for (int i = 0; i < kCount; ++i) {
      EXPECT_EQ(Value(got[i], "ctx"), c.seen);
      EXPECT_EQ(Value(got[i], "n"), absl::StrCat(i));
      EXPECT_EQ(got[i].actor.has_value(), c.actor);
      EXPECT_EQ(got[i].origin, msg::ORIGIN_KERNEL);
      if (i > 0) {
        EXPECT_EQ(got[i].seq, *got[i - 1].seq + 1);
      }
    }
  }
}

TEST(Monitor, SignalProducesSignalSentEvent) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    signal(SIGUSR1, SIG_IGN);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    for (;;) pause();
  }
  Subscriber s = Subscribe();
  raw::Socket sock;
  ASSERT_TRUE(sock.ok());
  const int fam = sock.ResolveFamily(KUCHAN_FAMILY_NAME);
  ASSERT_GT(fam, 0);
  raw::Attrs target, req;
  target.S32(KUCHAN_A_TARGET_PID, child);
  req.Nest(KUCHAN_A_SIGNAL_TARGETS, target).U32(KUCHAN_A_SIGNAL_SIGNAL, SIGUSR1);
  raw::Reply rep =
      sock.Request(static_cast<uint16_t>(fam), KUCHAN_CMD_SIGNAL, req.bytes());
  EXPECT_EQ(rep.error, 0) << rep.extack;

  std::optional<msg::Event> ev;
  while (!ev) {
    std::optional<StreamItem> item = NextItem(s);
    ASSERT_TRUE(item.has_value());
    if (item->kind == StreamItem::Kind::kEvent &&
        item->event->type == msg::EVENT_SIGNAL_SENT) {
      ev = *item->event;
    }
  }
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  ASSERT_TRUE(ev->signal_sent && ev->signal_sent->target && ev->actor);
  const msg::SignalSent& p = *ev->signal_sent;
  EXPECT_EQ(p.target->pid, static_cast<uint32_t>(child));
  EXPECT_EQ(p.target->uid, 0u);
  EXPECT_EQ(p.signal, static_cast<uint32_t>(SIGUSR1));
  EXPECT_FALSE(p.value.has_value());
  EXPECT_EQ(p.error, 0u);
  EXPECT_EQ(ev->actor->tgid, static_cast<uint32_t>(getpid()));
  EXPECT_EQ(ev->origin, msg::ORIGIN_USER);
}

TEST(Monitor, StatsCountRaisedMulticastAndUnheard) {
  constexpr uint32_t kCode = 0x1007;
  Connection c = Connect();
  const msg::Stats s0 = ReadStats(c);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Emit(c, kCode, {}).ok());
  const msg::Stats s1 = ReadStats(c);
  EXPECT_EQ(N(s1.raised) - N(s0.raised), 3u);
  EXPECT_EQ(N(s1.dropped_no_listener) - N(s0.dropped_no_listener), 3u);
  EXPECT_EQ(N(s1.multicast), N(s0.multicast));
  EXPECT_EQ(CustomRaised(s1) - CustomRaised(s0), 3u);
  {
    Subscriber sub = Subscribe();
    for (int i = 0; i < 2; ++i) ASSERT_TRUE(Emit(c, kCode, {}).ok());
    EXPECT_EQ(ReadCustom(sub, kCode, 2).size(), 2u);
  }
  const msg::Stats s2 = ReadStats(c);
  EXPECT_EQ(N(s2.raised) - N(s1.raised), 2u);
  EXPECT_EQ(N(s2.multicast) - N(s1.multicast), 2u);
  EXPECT_EQ(N(s2.dropped_no_listener), N(s1.dropped_no_listener));
  EXPECT_EQ(N(s2.dropped_nomem), N(s0.dropped_nomem));
  EXPECT_EQ(CustomRaised(s2) - CustomRaised(s1), 2u);

  // kuchanctl stats says the same.
  absl::StatusOr<CommandResult> r = RunCommand({"kuchanctl", "stats"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_status, 0) << Describe({"kuchanctl stats"}, *r);
  EXPECT_NE(r->out.find(absl::StrCat("raised: ", N(s2.raised))),
            std::string::npos)
      << r->out;
  // ... and as JSON a query can use: numbers, the schema's names.
  r = RunCommand({"kuchanctl", "stats", "--json"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_status, 0) << Describe({"kuchanctl stats --json"}, *r);
  EXPECT_EQ(r->out.find(absl::StrCat("{\"raised\":", N(s2.raised), ",")), 0u)
      << r->out;
  EXPECT_NE(r->out.find("\"per_type\":[{\"type\":\"signal_sent\",\"raised\":"),
            std::string::npos)
      << r->out;
  // ... and for Prometheus (node_exporter's textfile collector).
  r = RunCommand({"kuchanctl", "stats", "--prometheus"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_status, 0) << Describe({"kuchanctl stats --prometheus"}, *r);
  EXPECT_NE(r->out.find("# TYPE kuchan_events_raised_total counter\n"
                        "kuchan_events_raised_total " +
                        absl::StrCat(N(s2.raised), "\n")),
            std::string::npos)
      << r->out;
  EXPECT_NE(r->out.find(absl::StrCat(
                "kuchan_events_raised_by_type_total{type=\"custom\"} ",
                CustomRaised(s2), "\n")),
            std::string::npos)
      << r->out;
}

TEST(Monitor, KuchanctlEmit) {
  Subscriber s = Subscribe();
  absl::StatusOr<CommandResult> r =
      RunCommand({"kuchanctl", "emit", "0x1008", "a=1", "b=two words"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_status, 0) << Describe({"kuchanctl emit"}, *r);
  std::vector<msg::Event> got = ReadCustom(s, 0x1008, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(Value(got[0], "a"), "1");
  EXPECT_EQ(Value(got[0], "b"), "two words");
  // A user's EMIT is told apart from the kernel's events.
  EXPECT_EQ(got[0].origin, msg::ORIGIN_USER);

  r = RunCommand({"kuchanctl", "emit", "0x1008"}, kTestUid);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_status, 1) << Describe({"kuchanctl emit"}, *r);
  EXPECT_NE(r->err.find("CAP_NET_ADMIN"), std::string::npos) << r->err;
  r = RunCommand({"kuchanctl", "emit", "nope"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_status, 2) << Describe({"kuchanctl emit"}, *r);
}

// EMIT and GET_STATS need CAP_NET_ADMIN of both the sender and the
// socket's opener: root writing on a socket the test user opened (and
// passed over SCM_RIGHTS) is refused, with a message. GENL_ADMIN_PERM
// (netlink_capable()) would let it through, since the sender names the
// destination address.
TEST(Monitor, EmitAndStatsRefuseAConfusedDeputy) {
  const int fd = SocketOpenedBy(kTestUid);
  ASSERT_GE(fd, 0);
  raw::Socket borrowed(fd);
  const int fam = borrowed.ResolveFamily(KUCHAN_FAMILY_NAME);
  ASSERT_GT(fam, 0);
  raw::Reply rep = borrowed.Request(
      static_cast<uint16_t>(fam), KUCHAN_CMD_EMIT,
      raw::Attrs().U32(KUCHAN_A_CUSTOM_CODE, 0x100d).bytes());
  EXPECT_EQ(rep.error, EPERM);
  EXPECT_NE(rep.extack.find("the socket's opener"), std::string::npos)
      << rep.extack;
  rep = borrowed.Request(static_cast<uint16_t>(fam), KUCHAN_CMD_GET_STATS, "");
  EXPECT_EQ(rep.error, EPERM);
  EXPECT_NE(rep.extack.find("the socket's opener"), std::string::npos)
      << rep.extack;
  EXPECT_TRUE(rep.messages.empty()) << "no counters for the deputy";

  // On root's own socket both go through.
  raw::Socket own;
  EXPECT_EQ(own.Request(static_cast<uint16_t>(fam), KUCHAN_CMD_EMIT,
                        raw::Attrs().U32(KUCHAN_A_CUSTOM_CODE, 0x100d).bytes())
                .error,
            0);
  EXPECT_EQ(own.Request(static_cast<uint16_t>(fam), KUCHAN_CMD_GET_STATS, "")
                .error,
            0);
}

// The unprivileged user is refused too, with a message (not a bare EPERM
// from the genetlink core).
TEST(Monitor, EmitAndStatsRefuseTheUnprivilegedWithAMessage) {
  const int rc = InChild([] {
    if (!DropTo(kTestUid)) return 10;
    raw::Socket s;
    const int fam = s.ResolveFamily(KUCHAN_FAMILY_NAME);
    if (fam <= 0) return 11;
    raw::Reply e = s.Request(static_cast<uint16_t>(fam), KUCHAN_CMD_EMIT,
                             raw::Attrs().U32(KUCHAN_A_CUSTOM_CODE, 1).bytes());
    if (e.error != EPERM || e.extack.find("CAP_NET_ADMIN") == std::string::npos)
      return 12;
    raw::Reply g = s.Request(static_cast<uint16_t>(fam), KUCHAN_CMD_GET_STATS, "");
    if (g.error != EPERM || g.extack.find("CAP_NET_ADMIN") == std::string::npos)
      return 13;
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

// Two keys that would give the helper the same variable name are refused
// when the event is raised, not silently merged when the helper runs.
TEST(Monitor, EmitRefusesKeysThatCollideInTheHelpersEnvironment) {
  raw::Socket s;
  const int fam = s.ResolveFamily(KUCHAN_FAMILY_NAME);
  ASSERT_GT(fam, 0);
  auto emit = [&](const std::vector<std::string>& keys) {
    raw::Attrs a;
    a.U32(KUCHAN_A_CUSTOM_CODE, 0x100e);
    for (const std::string& key : keys)
      a.Nest(KUCHAN_A_CUSTOM_DATA,
             raw::Attrs().Str(KUCHAN_A_KV_KEY, key).Str(KUCHAN_A_KV_VALUE, "v"));
    return s.Request(static_cast<uint16_t>(fam), KUCHAN_CMD_EMIT, a.bytes());
  };
  for (const auto& keys : std::vector<std::vector<std::string>>{
           {"a-b", "a_b"}, {"x", "y", "x"}, {"caf\xe9", "caf_"}, {"k.1", "k=1"}}) {
    raw::Reply r = emit(keys);
    EXPECT_EQ(r.error, EINVAL) << keys[0];
    EXPECT_NE(r.extack.find("same variable name"), std::string::npos) << r.extack;
  }
  EXPECT_EQ(emit({"a-b", "a_c", "A_b"}).error, 0);
}

// A CPU's event buffer that overflows refuses events and says so in the
// stream, in order: with a tiny buffer (event_buffer_kb=16) and a burst
// raised back to back, every event of the burst is either received or
// counted by an EVENT_LOST that comes exactly where it is missing (between
// the received events around the hole), and GET_STATS counts the same.
TEST(Monitor, BufferOverflowIsReportedInOrder) {
  constexpr int kBurst = 20000;
  ASSERT_TRUE(UnloadModule().ok());
  absl::StatusOr<CommandResult> r =
      RunCommand({"insmod", ModulePath(), "event_buffer_kb=16"});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->exit_status, 0) << Describe({"insmod"}, *r);
  {
    Subscriber s = Subscribe();
    r = RunCommand({"modprobe", "kuchan_test_raise", "count=0",
                    absl::StrCat("burst=", kBurst)});
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->exit_status, 0) << Describe({"modprobe"}, *r);
    RunCommand({"rmmod", "kuchan_test_raise"}).IgnoreError();

    uint64_t received = 0, lost = 0, lost_events = 0, pending_lost = 0;
    int64_t last_n = -1;
    while (received + lost < kBurst) {
      std::optional<StreamItem> item = NextItem(s);
      ASSERT_TRUE(item.has_value())
          << received << " received, " << lost << " reported lost";
      ASSERT_NE(item->kind, StreamItem::Kind::kOverrun)
          << "the socket overflowed: the test cannot tell its loss apart";
      if (item->kind != StreamItem::Kind::kEvent) continue;
      const msg::Event& e = *item->event;
      if (e.type == msg::EVENT_LOST) {
        ASSERT_TRUE(e.lost.has_value());
        EXPECT_EQ(e.origin, msg::ORIGIN_KERNEL);
        lost += e.lost->count.value_or(0);
        pending_lost += e.lost->count.value_or(0);
        ++lost_events;
        continue;
      }
      if (e.type != msg::EVENT_CUSTOM || !e.custom || e.custom->code != 0xb5u)
        continue;
      int64_t n = 0;
      ASSERT_TRUE(absl::SimpleAtoi(Value(e, "n"), &n));
      // In order, and the hole before it is exactly what was reported.
      EXPECT_EQ(static_cast<uint64_t>(n - last_n - 1), pending_lost)
          << "event " << n << " after " << last_n;
      pending_lost = 0;
      last_n = n;
      ++received;
    }
    EXPECT_EQ(received + lost, static_cast<uint64_t>(kBurst));
    EXPECT_GT(lost_events, 0u) << "a 16 KiB buffer should have overflowed";
    Connection c = Connect();
    const msg::Stats st = ReadStats(c);
    EXPECT_EQ(N(st.dropped_buffer_full), lost);
    EXPECT_GT(N(st.batches), 0u);
    EXPECT_LT(N(st.batches), N(st.multicast)) << "several events a datagram";
  }
  ASSERT_TRUE(UnloadModule().ok());
  ASSERT_TRUE(LoadModule().ok());
}

}  // namespace
}  // namespace kuchan::guest
