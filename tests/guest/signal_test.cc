// SPDX-License-Identifier: GPL-2.0
//
// Suite "Signal": KUCHAN_CMD_SIGNAL against the real module, in the test VM,
// through a bare genetlink socket (tests/raw) so that every request is
// exactly what the test says, including those no library would send.
//
// What kill(2) would do is the oracle: each check compares kuchan's answer
// with the errno kill(2) gives, and what the receiver sees in its siginfo.
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <random>
#include <sstream>
#include <utility>
#include <vector>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "kernel/uapi/kuchan.h"
#include "tests/guest/guest_util.h"
#include "tests/guest/receiver.h"
#include "tests/raw/raw_genl.h"
#include "userspace/kuchan/connection.h"

namespace kuchan::guest {
namespace {

using raw::Attrs;
using raw::Reply;
using ::testing::HasSubstr;


Attrs Target(int32_t pid) {
  Attrs t;
  t.S32(KUCHAN_A_TARGET_PID, pid);
  return t;
}

std::string SignalRequest(const std::vector<Attrs>& targets, int sig,
                          const int32_t* value = nullptr) {
  Attrs a;
  for (const Attrs& t : targets) a.Nest(KUCHAN_A_SIGNAL_TARGETS, t);
  a.U32(KUCHAN_A_SIGNAL_SIGNAL, sig);
  if (value) a.S32(KUCHAN_A_SIGNAL_VALUE, *value);
  return a.bytes();
}

// (pid, errno) per target from a SIGNAL reply (genl header onward).
std::vector<std::pair<int32_t, uint32_t>> Results(const std::string& msg) {
  std::vector<std::pair<int32_t, uint32_t>> out;
  for (const std::string& member :
       raw::ParseAll(msg.substr(GENL_HDRLEN), KUCHAN_A_SIGNAL_RESULTS)) {
    auto a = raw::ParseAttrs(member);
    std::pair<int32_t, uint32_t> r{0, 0};
    if (a[KUCHAN_A_RESULT_PID].size() == 4)
      memcpy(&r.first, a[KUCHAN_A_RESULT_PID].data(), 4);
    if (a[KUCHAN_A_RESULT_ERROR].size() == 4)
      memcpy(&r.second, a[KUCHAN_A_RESULT_ERROR].data(), 4);
    out.push_back(r);
  }
  return out;
}

class SignalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(sock_.ok());
    family_ = sock_.ResolveFamily(KUCHAN_FAMILY_NAME);
    ASSERT_GT(family_, 0) << "is kuchan.ko loaded?";
  }
  Reply Send(const std::string& attrs) {
    return sock_.Request(static_cast<uint16_t>(family_), KUCHAN_CMD_SIGNAL,
                         attrs);
  }
  Reply Signal(pid_t pid, int sig) {
    return Send(SignalRequest({Target(pid)}, sig));
  }

  raw::Socket sock_;
  int family_ = 0;
};

// Runs fn in a child as `uid` (with a fresh socket of its own) and returns
// what fn returned (0..255).
int AsUser(uid_t uid, const std::function<int()>& fn) {
  return InChild([&] { return DropTo(uid) ? fn() : 200; });
}

// The errno of one SIGNAL request made by the calling process, on a new
// socket; 250 when the family cannot be resolved.
int SignalAs(pid_t target, int sig, const int32_t* value = nullptr) {
  raw::Socket s;
  int fam = s.ResolveFamily(KUCHAN_FAMILY_NAME);
  if (fam <= 0) return 250;
  return s.Request(static_cast<uint16_t>(fam), KUCHAN_CMD_SIGNAL,
                   SignalRequest({Target(target)}, sig, value))
      .error;
}

int KillErrno(pid_t pid, int sig) { return kill(pid, sig) ? errno : 0; }

TEST_F(SignalTest, PlainSignalLooksLikeKill) {
  Receiver r;
  Reply rep = Signal(r.pid(), SIGUSR1);
  ASSERT_EQ(rep.error, 0) << rep.extack;
  Seen s;
  ASSERT_TRUE(r.Next(&s)) << "the signal never arrived";
  EXPECT_EQ(s.signo, SIGUSR1);
  EXPECT_EQ(s.code, SI_USER);
  EXPECT_EQ(s.pid, getpid());
  EXPECT_EQ(s.uid, getuid());
}

// The module sends no signal with a value (kernel/signal.c says why: it
// could not apply the LSM's and audit's checks): even root's request gets
// EOPNOTSUPP, a message naming what does apply them, and nothing is sent.
TEST_F(SignalTest, ValueSignalsAreRefusedByTheModule) {
  Receiver r;
  int32_t value = -123456;
  Reply rep = Send(SignalRequest({Target(r.pid())}, SIGUSR2, &value));
  EXPECT_EQ(rep.error, EOPNOTSUPP);
  EXPECT_THAT(rep.extack, HasSubstr("sigqueue(3) or pidfd_send_signal(2)"));
  // Nothing came before the plain signal sent next.
  ASSERT_EQ(Signal(r.pid(), SIGUSR1).error, 0);
  Seen s;
  ASSERT_TRUE(r.Next(&s));
  EXPECT_EQ(s.signo, SIGUSR1);
  EXPECT_EQ(s.code, SI_USER);
}

// What the library offers instead: sigqueue(3)'s signal from the caller's
// own process, with every check the kernel applies to it.
TEST_F(SignalTest, LibraryValueSignalLooksLikeSigqueue) {
  Receiver r;
  absl::StatusOr<Connection> c = Connection::Open("signal_test");
  ASSERT_TRUE(c.ok()) << c.status();
  msg::SignalRequest spec;
  spec.targets.push_back({r.pid(), std::nullopt});
  spec.signal = SIGUSR2;
  spec.value = -123456;
  ASSERT_TRUE(c->Signal(spec).ok());
  Seen s;
  ASSERT_TRUE(r.Next(&s));
  EXPECT_EQ(s.signo, SIGUSR2);
  EXPECT_EQ(s.code, SI_QUEUE);
  EXPECT_EQ(s.value, -123456);
  EXPECT_EQ(s.pid, getpid());
  EXPECT_EQ(s.uid, getuid());

  // Several targets, one gone: every target's errno, the first failure's.
  spec.targets.push_back({999999, std::nullopt});
  std::vector<msg::SignalResult> results;
  absl::Status st = c->Signal(spec, &results);
  EXPECT_EQ(st.code(), absl::StatusCode::kNotFound);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].error, 0u);
  EXPECT_EQ(results[1].pid, 999999);
  EXPECT_EQ(results[1].error, static_cast<uint32_t>(ESRCH));
  ASSERT_TRUE(r.Next(&s));

  // A start time that is not the process's: refused, nothing sent.
  spec.targets = {{r.pid(), ProcStartTime(r.pid()).value_or(0) + 1}};
  st = c->Signal(spec, &results);
  EXPECT_EQ(st.code(), absl::StatusCode::kNotFound);
  spec.targets = {{r.pid(), ProcStartTime(r.pid()).value_or(0)}};
  spec.value = 5;
  ASSERT_TRUE(c->Signal(spec).ok());
  ASSERT_TRUE(r.Next(&s));
  EXPECT_EQ(s.value, 5);
}

// si_uid is the sender's uid as the receiver's user namespace sees it,
// mapped once: root's uid is not mapped in a namespace the test user made
// (unshare -U -r), so kill(2) shows the overflow uid there, and so must
// both the module's signals and the library's value signals.
TEST_F(SignalTest, SiUidIsMappedOnceIntoTheReceiversNamespace) {
  Receiver r(kTestUid, /*own_user_ns=*/true);
  const uid_t overflow = 65534;
  ASSERT_EQ(kill(r.pid(), SIGUSR1), 0);
  Seen s;
  ASSERT_TRUE(r.Next(&s));
  ASSERT_EQ(s.uid, overflow) << "kill(2), the oracle";

  ASSERT_EQ(Signal(r.pid(), SIGUSR1).error, 0);
  ASSERT_TRUE(r.Next(&s));
  EXPECT_EQ(s.code, SI_USER);
  EXPECT_EQ(s.uid, overflow);

  absl::StatusOr<Connection> c = Connection::Open("signal_test");
  ASSERT_TRUE(c.ok()) << c.status();
  msg::SignalRequest spec;
  spec.targets.push_back({r.pid(), std::nullopt});
  spec.signal = SIGRTMIN;
  spec.value = 3;
  ASSERT_TRUE(c->Signal(spec).ok());
  ASSERT_TRUE(r.Next(&s));
  EXPECT_EQ(s.code, SI_QUEUE);
  EXPECT_EQ(s.value, 3);
  EXPECT_EQ(s.uid, overflow);
}

TEST_F(SignalTest, UnprivilegedCallerHasKillsRightsOnly) {
  Receiver mine(kTestUid), roots;
  // Its own user's process: allowed, and the receiver sees uid 1000.
  EXPECT_EQ(AsUser(kTestUid, [&] { return SignalAs(mine.pid(), SIGUSR1); }), 0);
  Seen s;
  ASSERT_TRUE(mine.Next(&s));
  EXPECT_EQ(s.code, SI_USER);
  EXPECT_EQ(s.uid, kTestUid);
  // Root's: EPERM, as kill(2) says.
  EXPECT_EQ(AsUser(kTestUid, [&] { return KillErrno(roots.pid(), SIGUSR1); }),
            EPERM);
  EXPECT_EQ(AsUser(kTestUid, [&] { return SignalAs(roots.pid(), SIGUSR1); }),
            EPERM);
  // No value signal through the module, for anyone.
  int32_t v = 7;
  EXPECT_EQ(AsUser(kTestUid, [&] { return SignalAs(mine.pid(), SIGUSR1, &v); }),
            EOPNOTSUPP);
  // Signal 0 probes exactly like kill(2).
  for (pid_t p : {mine.pid(), roots.pid(), pid_t{999999}}) {
    int want = AsUser(kTestUid, [&] { return KillErrno(p, 0); });
    EXPECT_EQ(AsUser(kTestUid, [&] { return SignalAs(p, 0); }), want)
        << "probe of pid " << p;
  }
}

TEST_F(SignalTest, UnprivilegedCallerGetsMessage) {
  Receiver roots;
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  int rc = AsUser(kTestUid, [&] {
    raw::Socket s;
    int fam = s.ResolveFamily(KUCHAN_FAMILY_NAME);
    Reply r = s.Request(static_cast<uint16_t>(fam), KUCHAN_CMD_SIGNAL,
                        SignalRequest({Target(roots.pid())}, SIGUSR1));
    (void)!write(fds[1], r.extack.data(), r.extack.size());
    return r.error;
  });
  close(fds[1]);
  char buf[256] = {};
  (void)!read(fds[0], buf, sizeof(buf) - 1);
  close(fds[0]);
  EXPECT_EQ(rc, EPERM);
  EXPECT_STREQ(buf, "not allowed to signal this process");
}

// A root program writing to a socket an unprivileged process opened (and
// passed over SCM_RIGHTS) has only the opener's rights: CVE-2014-0181.
TEST_F(SignalTest, ConfusedDeputyCannotSignalRoot) {
  Receiver roots;
  const int fd = SocketOpenedBy(kTestUid);
  ASSERT_GE(fd, 0);
  raw::Socket borrowed(fd);
  int fam = borrowed.ResolveFamily(KUCHAN_FAMILY_NAME);
  ASSERT_GT(fam, 0);
  Reply rep = borrowed.Request(static_cast<uint16_t>(fam), KUCHAN_CMD_SIGNAL,
                               SignalRequest({Target(roots.pid())}, SIGUSR1));
  EXPECT_EQ(rep.error, EPERM);
  EXPECT_EQ(rep.extack, "the socket's opener may not signal this process");
  int32_t v = 1;
  rep = borrowed.Request(static_cast<uint16_t>(fam), KUCHAN_CMD_SIGNAL,
                         SignalRequest({Target(roots.pid())}, SIGUSR1, &v));
  EXPECT_EQ(rep.error, EOPNOTSUPP);
  // The same request on root's own socket goes through.
  EXPECT_EQ(Signal(roots.pid(), SIGUSR1).error, 0);
}

// Inside a new PID namespace: PIDs are the caller's numbers, the receiver
// sees the caller's PID as numbered in its namespace, and the namespace's
// init is protected exactly as kill(2) protects it.
TEST_F(SignalTest, PidNamespaces) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t outer = fork();
  if (outer == 0) {
    close(fds[0]);
    if (unshare(CLONE_NEWPID)) _exit(10);
    pid_t init = fork();  // pid 1 of the new namespace
    if (init == 0) {
      // A receiver in the namespace (pid 2), signalled by a sibling (pid 3)
      // that names it by its namespace number.
      Receiver r;
      if (r.pid() != 2) _exit(11);
      pid_t sender = fork();
      if (sender == 0) _exit(SignalAs(2, SIGUSR1));
      int st;
      waitpid(sender, &st, 0);
      if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) _exit(12);
      Seen s;
      if (!r.Next(&s) || s.pid != sender || s.code != SI_USER) _exit(13);
      // A namespace's init ignores signals it has no handler for, when they
      // come from inside: kill(2) says 0 and nothing happens. The same
      // through kuchan, from pid 3 to pid 1.
      pid_t prober = fork();
      if (prober == 0) {
        int k = KillErrno(1, SIGTERM);
        int q = SignalAs(1, SIGTERM);
        _exit(k == 0 && q == 0 ? 0 : 14);
      }
      waitpid(prober, &st, 0);
      if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) _exit(15);
      _exit(0);  // still alive after SIGTERM: init was protected
    }
    int st;
    waitpid(init, &st, 0);
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
    (void)!write(fds[1], &code, sizeof(code));
    _exit(0);
  }
  close(fds[1]);
  int code = -1;
  ASSERT_EQ(read(fds[0], &code, sizeof(code)), static_cast<ssize_t>(sizeof(code)));
  close(fds[0]);
  waitpid(outer, nullptr, 0);
  EXPECT_EQ(code, 0) << "step that failed in the namespace: " << code;
}

// From outside, the namespace's init is an ordinary process: SIGKILL from
// its parent namespace kills it, as kill(2) does.
TEST_F(SignalTest, NamespaceInitKilledFromOutside) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t outer = fork();
  if (outer == 0) {
    close(fds[0]);
    if (unshare(CLONE_NEWPID)) _exit(10);
    pid_t init = fork();
    if (init == 0) {
      for (;;) pause();
    }
    // fork() returned the init's pid as our namespace numbers it.
    (void)!write(fds[1], &init, sizeof(init));
    int st;
    waitpid(init, &st, 0);
    _exit(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ? 0 : 1);
  }
  close(fds[1]);
  pid_t init = -1;
  ASSERT_EQ(read(fds[0], &init, sizeof(init)), static_cast<ssize_t>(sizeof(init)));
  close(fds[0]);
  EXPECT_EQ(Signal(init, SIGKILL).error, 0);
  int st;
  waitpid(outer, &st, 0);
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

TEST_F(SignalTest, StartTimeRefusesReusedPid) {
  Receiver r;
  absl::StatusOr<uint64_t> start_or = ProcStartTime(r.pid());
  ASSERT_TRUE(start_or.ok()) << start_or.status();
  const uint64_t start = *start_or;

  Attrs good = Target(r.pid());
  good.U64(KUCHAN_A_TARGET_START_TIME, start);
  Reply rep = Send(SignalRequest({good}, SIGUSR1));
  EXPECT_EQ(rep.error, 0) << rep.extack;
  Seen s;
  EXPECT_TRUE(r.Next(&s));

  Attrs stale = Target(r.pid());
  stale.U64(KUCHAN_A_TARGET_START_TIME, start + 1);
  rep = Send(SignalRequest({stale}, SIGUSR1));
  EXPECT_EQ(rep.error, ESRCH);
  EXPECT_EQ(rep.extack, "process started at another time: its pid was reused");
}

// A start time is compared only for a caller that may signal the process:
// else a mismatch (ESRCH) and a match (EPERM) would tell anyone the start
// time of any process, even one /proc hides from them. Both say EPERM.
TEST_F(SignalTest, StartTimeTellsNothingToWhoMayNotSignal) {
  Receiver roots;
  const uint64_t start = ProcStartTime(roots.pid()).value_or(0);
  ASSERT_NE(start, 0u);
  for (uint64_t guess : {start, start + 1}) {
    const int rc = AsUser(kTestUid, [&] {
      raw::Socket s;
      const int fam = s.ResolveFamily(KUCHAN_FAMILY_NAME);
      if (fam <= 0) return 250;
      Attrs t = Target(roots.pid());
      t.U64(KUCHAN_A_TARGET_START_TIME, guess);
      return s.Request(static_cast<uint16_t>(fam), KUCHAN_CMD_SIGNAL,
                       SignalRequest({t}, 0))
          .error;
    });
    EXPECT_EQ(rc, EPERM) << (guess == start ? "the right" : "a wrong")
                         << " start time";
  }
}

TEST_F(SignalTest, SeveralTargetsReportEach) {
  Receiver a, b;
  Reply rep = Send(SignalRequest({Target(a.pid()), Target(999999), Target(b.pid())},
                                 SIGUSR1));
  EXPECT_EQ(rep.error, ESRCH);  // the first failure's errno
  EXPECT_EQ(rep.extack, "no such process");
  Seen s;
  EXPECT_TRUE(a.Next(&s));
  EXPECT_TRUE(b.Next(&s));
  // One reply listing every target; the middle one with ESRCH.
  ASSERT_EQ(rep.messages.size(), 1u);
  using R = std::pair<int32_t, uint32_t>;
  EXPECT_EQ(Results(rep.messages[0]),
            (std::vector<R>{{a.pid(), 0}, {999999, ESRCH}, {b.pid(), 0}}));
}

// Every target is read before any is signalled: a malformed one fails the
// whole request with nothing sent, so a caller retrying it does not signal
// the well-formed targets twice.
TEST_F(SignalTest, MalformedTargetSignalsNone) {
  Receiver a;
  Attrs no_pid;
  no_pid.U64(KUCHAN_A_TARGET_START_TIME, 1);
  for (const Attrs& bad : {Target(-1), no_pid}) {
    Reply rep = Send(SignalRequest({Target(a.pid()), bad}, SIGUSR1));
    EXPECT_EQ(rep.error, EINVAL) << rep.extack;
    EXPECT_TRUE(rep.messages.empty());
  }
  // Had either sent its SIGUSR1, it would be seen before this SIGUSR2.
  ASSERT_EQ(Send(SignalRequest({Target(a.pid())}, SIGUSR2)).error, 0);
  Seen s;
  ASSERT_TRUE(a.Next(&s));
  EXPECT_EQ(s.signo, SIGUSR2);
}

struct ErrorCase {
  const char* name;
  std::string attrs;
  int error;
  const char* extack;  // nullptr: any non-empty message
};

TEST_F(SignalTest, ErrorsCarryErrnoAndMessage) {
  static const char kNotPositive[] =
      "pid must be positive: process groups and all processes are not signalled";
  Attrs no_pid;
  no_pid.U64(KUCHAN_A_TARGET_START_TIME, 1);
  Attrs unknown_attr;
  unknown_attr.Nest(KUCHAN_A_SIGNAL_TARGETS, Target(getpid()))
      .U32(KUCHAN_A_SIGNAL_SIGNAL, 0)
      .U32(KUCHAN_A_SIGNAL_MAX + 1, 0);
  Attrs only_signal;
  only_signal.U32(KUCHAN_A_SIGNAL_SIGNAL, SIGUSR1);
  Attrs only_targets;
  only_targets.Nest(KUCHAN_A_SIGNAL_TARGETS, Target(getpid()));
  std::vector<Attrs> many(KUCHAN_A_SIGNAL_TARGETS_MAX_COUNT + 1, Target(999999));

  const ErrorCase cases[] = {
      {"missing targets", only_signal.bytes(), EINVAL, "missing targets"},
      {"missing signal", only_targets.bytes(), EINVAL,
       "missing signal number"},
      {"signal 65", SignalRequest({Target(getpid())}, 65), EINVAL,
       "invalid signal number"},
      {"pid 0", SignalRequest({Target(0)}, SIGUSR1), EINVAL, kNotPositive},
      {"pid -1", SignalRequest({Target(-1)}, SIGUSR1), EINVAL, kNotPositive},
      {"pid INT_MIN", SignalRequest({Target(INT32_MIN)}, SIGUSR1), EINVAL,
       kNotPositive},
      {"target without pid", SignalRequest({no_pid}, SIGUSR1), EINVAL,
       "target without a pid"},
      {"no such process", SignalRequest({Target(999999)}, SIGUSR1), ESRCH,
       "no such process"},
      {"unknown attribute", unknown_attr.bytes(), EINVAL, nullptr},
      {"too many targets", SignalRequest(many, 0), E2BIG,
       "too many targets in one request"},
  };
  for (const ErrorCase& c : cases) {
    Reply rep = Send(c.attrs);
    EXPECT_EQ(rep.error, c.error) << c.name << ": " << rep.extack;
    if (c.extack)
      EXPECT_EQ(rep.extack, c.extack) << c.name;
    else
      EXPECT_FALSE(rep.extack.empty()) << c.name;
  }
}

// 10,000 malformed SIGNAL requests, straight on the socket: random attribute
// types, lengths and payloads, sometimes well-formed headers around garbage.
// Each gets an error; none crashes, hangs or warns (the harness scans the
// kernel log after the suite). Sent as an unprivileged user, so that a
// request that happened to be valid could not signal anything of root's.
TEST_F(SignalTest, MalformedRequestsGetErrors) {
  int rc = AsUser(kTestUid, [] {
    raw::Socket s;
    int fam = s.ResolveFamily(KUCHAN_FAMILY_NAME);
    if (fam <= 0) return 2;
    std::mt19937 rng(20261122);
    auto rnd = [&](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
    int errors = 0;
    for (int i = 0; i < 10000; i++) {
      std::string attrs;
      int n = 1 + rnd(4);
      for (int j = 0; j < n; j++) {
        uint16_t type = static_cast<uint16_t>(rnd(8));
        if (rnd(4) == 0) type |= NLA_F_NESTED;
        std::string payload(rnd(24), '\0');
        for (char& ch : payload) ch = static_cast<char>(rng());
        nlattr nla{};
        // Sometimes a lying length: shorter than the header, or past the end.
        uint32_t len = NLA_HDRLEN + payload.size();
        switch (rnd(6)) {
          case 0: len = rnd(NLA_HDRLEN); break;
          case 1: len += 1 + rnd(64); break;
          default: break;
        }
        nla.nla_len = static_cast<uint16_t>(len);
        nla.nla_type = type;
        attrs.append(reinterpret_cast<const char*>(&nla), sizeof(nla));
        attrs.append(payload);
        attrs.append(NLA_ALIGN(payload.size()) - payload.size(), '\0');
      }
      if (rnd(8) == 0) attrs.resize(rnd(static_cast<uint32_t>(attrs.size()) + 1));
      uint32_t seq = s.NextSeq();
      Reply r = s.SendRaw(s.Build(static_cast<uint16_t>(fam), KUCHAN_CMD_SIGNAL,
                                  attrs, seq),
                          seq);
      if (r.error != 0) errors++;
    }
    return errors == 10000 ? 0 : 1;
  });
  EXPECT_EQ(rc, 0) << "some malformed request did not get an error";
}

}  // namespace
}  // namespace kuchan::guest
