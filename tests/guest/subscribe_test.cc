// SPDX-License-Identifier: GPL-2.0
//
// Suite "Subscribe": KUCHAN_CMD_SUBSCRIBE / UNSUBSCRIBE, signal
// subscriptions, against the real module in the test VM, through a bare
// genetlink socket (tests/raw). The sequence numbers the signals carry are
// compared with the events read from the monitor group.
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "kernel/uapi/kuchan.h"
#include "tests/guest/family_info.h"
#include "tests/guest/guest_util.h"
#include "tests/raw/raw_genl.h"

namespace kuchan::guest {
namespace {

using raw::Attrs;
using raw::Reply;
using ::testing::HasSubstr;

uint64_t Bit(int type) { return uint64_t{1} << type; }

// The seq of each event of `type` multicast on the monitor group.
class Monitor {
 public:
  Monitor() {
    auto info = QueryFamily(KUCHAN_FAMILY_NAME);
    if (!info.ok() || !info->groups.count(KUCHAN_MCGRP_MONITOR)) return;
    uint32_t group = info->groups.at(KUCHAN_MCGRP_MONITOR);
    ok_ = sock_.JoinGroup(group) == 0;
  }
  bool ok() const { return ok_; }

  // The seq of the next event of `type` within `timeout_ms`, or 0.
  uint64_t NextSeq(uint32_t type, int timeout_ms) {
    for (;;) {
      pollfd p{sock_.fd(), POLLIN, 0};
      if (poll(&p, 1, timeout_ms) != 1) return 0;
      char buf[65536];
      ssize_t n = recv(sock_.fd(), buf, sizeof(buf), 0);
      if (n <= 0) return 0;
      for (nlmsghdr* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, n);
           h = NLMSG_NEXT(h, n)) {
        auto attrs = raw::ParseAttrs(
            std::string(static_cast<char*>(NLMSG_DATA(h)) + GENL_HDRLEN,
                        h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN));
        uint64_t seq = 0;
        uint32_t t = 0;
        const std::string& s = attrs[KUCHAN_A_EVENT_SEQ];
        const std::string& ty = attrs[KUCHAN_A_EVENT_TYPE];
        if (s.size() == 8) memcpy(&seq, s.data(), 8);
        if (ty.size() == 4) memcpy(&t, ty.data(), 4);
        if (t == type) return seq;
      }
    }
  }

 private:
  raw::Socket sock_;
  bool ok_ = false;
};

int Family() {
  static int fam = [] {
    raw::Socket s;
    return s.ResolveFamily(KUCHAN_FAMILY_NAME);
  }();
  return fam;
}

Reply Subscribe(raw::Socket& s, int sig, uint64_t mask = 0) {
  Attrs a;
  a.U32(KUCHAN_A_SUBSCRIPTION_SIGNAL, static_cast<uint32_t>(sig));
  if (mask) a.U64(KUCHAN_A_SUBSCRIPTION_EVENT_MASK, mask);
  return s.Request(static_cast<uint16_t>(Family()), KUCHAN_CMD_SUBSCRIBE,
                   a.bytes());
}

Reply Unsubscribe(raw::Socket& s) {
  return s.Request(static_cast<uint16_t>(Family()), KUCHAN_CMD_UNSUBSCRIBE, "");
}

int Emit(uint32_t code) {
  raw::Socket s;
  return s.Request(static_cast<uint16_t>(Family()), KUCHAN_CMD_EMIT,
                   Attrs().U32(KUCHAN_A_CUSTOM_CODE, code).bytes())
      .error;
}

// A SIGNAL probe (signal 0) of ourselves: an EVENT_SIGNAL_SENT.
int Probe() {
  raw::Socket s;
  Attrs a;
  a.Nest(KUCHAN_A_SIGNAL_TARGETS, Attrs().S32(KUCHAN_A_TARGET_PID, getpid()))
      .U32(KUCHAN_A_SIGNAL_SIGNAL, 0);
  return s.Request(static_cast<uint16_t>(Family()), KUCHAN_CMD_SIGNAL, a.bytes())
      .error;
}

// The next `sig` within `timeout_ms` (it must be blocked), or si_signo 0.
siginfo_t Wait(int sig, int timeout_ms) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  timespec ts{timeout_ms / 1000, (timeout_ms % 1000) * 1000000L};
  siginfo_t si{};
  if (sigtimedwait(&set, &si, &ts) != sig) si.si_signo = 0;
  return si;
}

// The event's number: SI_ASYNCIO carries it in si_addr, all 64 bits.
uint64_t SeqOf(const siginfo_t& si) {
  return reinterpret_cast<uintptr_t>(si.si_addr);
}

unsigned ReadParam(const std::string& name) {
  std::ifstream f("/sys/module/kuchan/parameters/" + name);
  unsigned v = 0;
  f >> v;
  return v;
}

class SubscribeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ModuleLoaded());
    ASSERT_GT(Family(), 0);
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGUSR1, SIGUSR2, kRt}) sigaddset(&set, s);
    ASSERT_EQ(sigprocmask(SIG_BLOCK, &set, nullptr), 0);
  }
  void TearDown() override {
    // Nothing left pending for the next test.
    for (int s : {SIGUSR1, SIGUSR2, kRt})
      while (Wait(s, 0).si_signo) {
      }
  }
  const int kRt = SIGRTMIN + 2;
};

TEST_F(SubscribeTest, OneSignalPerMatchingEventWithItsSeq) {
  Monitor mon;
  ASSERT_TRUE(mon.ok());
  raw::Socket s;
  ASSERT_EQ(Subscribe(s, kRt, Bit(KUCHAN_EVENT_CUSTOM)).error, 0);
  std::vector<uint64_t> seqs;
  for (uint32_t i = 0; i < 5; i++) {
    ASSERT_EQ(Emit(i), 0);
    seqs.push_back(mon.NextSeq(KUCHAN_EVENT_CUSTOM, 5000));
    ASSERT_NE(seqs.back(), 0u);
  }
  for (uint64_t seq : seqs) {
    siginfo_t si = Wait(kRt, 5000);
    ASSERT_EQ(si.si_signo, kRt);
    EXPECT_EQ(si.si_code, SI_ASYNCIO);
    EXPECT_EQ(si.si_errno, 0);
    EXPECT_EQ(SeqOf(si), seq);
  }
  // An event of another type: no signal.
  ASSERT_EQ(Probe(), 0);
  EXPECT_NE(mon.NextSeq(KUCHAN_EVENT_SIGNAL_SENT, 5000), 0u);
  EXPECT_EQ(Wait(kRt, 500).si_signo, 0);

  // A standard signal, one event at a time (they do not queue).
  ASSERT_EQ(Subscribe(s, SIGUSR1, Bit(KUCHAN_EVENT_CUSTOM)).error, 0);
  for (uint32_t i = 0; i < 3; i++) {
    ASSERT_EQ(Emit(i), 0);
    uint64_t seq = mon.NextSeq(KUCHAN_EVENT_CUSTOM, 5000);
    siginfo_t si = Wait(SIGUSR1, 5000);
    ASSERT_EQ(si.si_signo, SIGUSR1);
    EXPECT_EQ(SeqOf(si), seq);
  }
  // Replaced, not added: nothing on the first signal any more.
  EXPECT_EQ(Wait(kRt, 300).si_signo, 0);
}

TEST_F(SubscribeTest, UnsubscribeStopsSignals) {
  raw::Socket s;
  ASSERT_EQ(Subscribe(s, kRt).error, 0);
  ASSERT_EQ(Emit(1), 0);
  EXPECT_EQ(Wait(kRt, 5000).si_signo, kRt);
  ASSERT_EQ(Unsubscribe(s).error, 0);
  ASSERT_EQ(Emit(2), 0);
  EXPECT_EQ(Wait(kRt, 500).si_signo, 0);
  Reply r = Unsubscribe(s);
  EXPECT_EQ(r.error, ENOENT);
  EXPECT_THAT(r.extack, HasSubstr("no subscription"));
}

TEST_F(SubscribeTest, VanishesWhenItsSocketCloses) {
  auto s = std::make_unique<raw::Socket>();
  ASSERT_EQ(Subscribe(*s, kRt).error, 0);
  s.reset();
  ASSERT_EQ(Emit(1), 0);
  EXPECT_EQ(Wait(kRt, 500).si_signo, 0);
  // A new socket, likely with the same port id: its own subscription only.
  raw::Socket again;
  ASSERT_EQ(Subscribe(again, kRt).error, 0);
  ASSERT_EQ(Emit(2), 0);
  EXPECT_EQ(Wait(kRt, 5000).si_signo, kRt);
  EXPECT_EQ(Wait(kRt, 300).si_signo, 0);
}

TEST_F(SubscribeTest, RequestCannotNameAnotherProcess) {
  // The request names no process; an attribute that tried is refused.
  raw::Socket s;
  Attrs a;
  a.U32(KUCHAN_A_SUBSCRIPTION_SIGNAL, kRt).S32(KUCHAN_A_SUBSCRIPTION_MAX + 1, 1);
  EXPECT_EQ(s.Request(static_cast<uint16_t>(Family()), KUCHAN_CMD_SUBSCRIBE,
                      a.bytes())
                .error,
            EINVAL);
}

TEST_F(SubscribeTest, ChildSubscriptionSignalsTheChildNotTheSocketsOwner) {
  raw::Socket s;
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (Subscribe(s, kRt).error) _exit(1);
    if (write(ready[1], "s", 1) != 1) _exit(2);
    _exit(Wait(kRt, 10000).si_signo == kRt ? 0 : 3);
  }
  char c;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  ASSERT_EQ(Emit(1), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(Wait(kRt, 300).si_signo, 0);  // the socket's owner: nothing
  close(ready[0]);
  close(ready[1]);
}

TEST_F(SubscribeTest, PerUserBoundAndProcessExit) {
  const unsigned per_user = ReadParam("max_subscriptions_per_user");
  ASSERT_GT(per_user, 0u);
  // Sockets that outlive the first subscriber: only its exit can end its
  // subscriptions.
  std::vector<std::unique_ptr<raw::Socket>> kept;
  for (unsigned i = 0; i < per_user; i++)
    kept.push_back(std::make_unique<raw::Socket>());
  int rc = InChild([&] {
    if (!DropTo(2001)) return 10;
    for (auto& s : kept)
      if (Subscribe(*s, SIGUSR2).error) return 11;
    raw::Socket extra;
    Reply r = Subscribe(extra, SIGUSR2);
    if (r.error != EDQUOT) return 12;
    if (r.extack.find("for this user") == std::string::npos) return 13;
    return 0;
  });
  EXPECT_EQ(rc, 0);
  // The first process is gone (and reaped): the same user gets its full
  // share again.
  rc = InChild([&] {
    if (!DropTo(2001)) return 10;
    std::vector<std::unique_ptr<raw::Socket>> mine;
    for (unsigned i = 0; i < per_user; i++) {
      mine.push_back(std::make_unique<raw::Socket>());
      if (Subscribe(*mine.back(), SIGUSR2).error) return 20 + static_cast<int>(i);
    }
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

TEST_F(SubscribeTest, TotalBound) {
  const unsigned total = ReadParam("max_subscriptions");
  const unsigned per_user = ReadParam("max_subscriptions_per_user");
  ASSERT_GT(per_user, 0u);
  int ready[2], done[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(done), 0);
  std::vector<pid_t> kids;
  unsigned left = total;
  for (uid_t uid = 3000; left > 0; uid++) {
    unsigned n = std::min(left, per_user);
    left -= n;
    pid_t pid = fork();
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      close(done[1]);
      if (!DropTo(uid)) _exit(1);
      std::vector<std::unique_ptr<raw::Socket>> mine;
      char c = 'k';
      for (unsigned i = 0; i < n; i++) {
        mine.push_back(std::make_unique<raw::Socket>());
        if (Subscribe(*mine.back(), SIGUSR2).error) c = 'f';
      }
      (void)!write(ready[1], &c, 1);
      (void)!read(done[0], &c, 1);  // until the parent closes it
      _exit(0);
    }
    kids.push_back(pid);
  }
  for (size_t i = 0; i < kids.size(); i++) {
    char c = 0;
    ASSERT_EQ(read(ready[0], &c, 1), 1);
    EXPECT_EQ(c, 'k');
  }
  int rc = InChild([] {
    if (!DropTo(3999)) return 10;
    raw::Socket s;
    Reply r = Subscribe(s, SIGUSR2);
    if (r.error != ENOSPC) return 11;
    return r.extack.find("max_subscriptions") != std::string::npos ? 0 : 12;
  });
  EXPECT_EQ(rc, 0);
  close(done[1]);
  for (pid_t pid : kids) waitpid(pid, nullptr, 0);
  close(done[0]);
  close(ready[0]);
  close(ready[1]);
  // All released: there is room again.
  raw::Socket s;
  EXPECT_EQ(Subscribe(s, SIGUSR2).error, 0);
}

TEST_F(SubscribeTest, SocketOpenedByAnotherUserIsRefused) {
  int rc = InChild([] {
    if (setresuid(kTestUid, kTestUid, 0)) return 10;
    raw::Socket s;  // opened by kTestUid
    if (setresuid(0, 0, 0)) return 11;
    Reply r = Subscribe(s, SIGUSR1);
    if (r.error != EPERM) return 12;
    return r.extack.find("opener may not signal") != std::string::npos ? 0 : 13;
  });
  EXPECT_EQ(rc, 0);
}

TEST_F(SubscribeTest, BadRequests) {
  raw::Socket s;
  Reply r = s.Request(static_cast<uint16_t>(Family()), KUCHAN_CMD_SUBSCRIBE, "");
  EXPECT_EQ(r.error, EINVAL);
  EXPECT_THAT(r.extack, HasSubstr("missing signal number"));
  EXPECT_NE(Subscribe(s, 65).error, 0);
  EXPECT_NE(Subscribe(s, 0).error, 0);
  // Signals that act on the process rather than tell it something.
  for (int sig : {SIGKILL, SIGSTOP, SIGSEGV, SIGTERM, SIGHUP, SIGCHLD, SIGCONT,
                  SIGALRM, 31}) {
    r = Subscribe(s, sig);
    EXPECT_EQ(r.error, EINVAL) << sig;
    EXPECT_THAT(r.extack, HasSubstr("SIGUSR1, SIGUSR2, SIGIO or a real-time"))
        << sig;
  }
  for (int sig : {SIGUSR1, SIGUSR2, SIGIO, 32, 33, SIGRTMIN, 64})
    EXPECT_EQ(Subscribe(s, sig).error, 0) << sig;
  EXPECT_EQ(Unsubscribe(s).error, 0);
}

// The subscriber's main thread has ended while another thread waits for the
// signal: it is sent to the process, not to the thread that is gone.
TEST_F(SubscribeTest, DeliveredToTheProcessAfterItsMainThreadEnded) {
  const int sig = kRt;
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    static raw::Socket* sock = new raw::Socket;
    static int ready_fd = ready[1];
    static int want = sig;
    if (Subscribe(*sock, want).error) _exit(1);
    pthread_t t;
    if (pthread_create(
            &t, nullptr,
            [](void*) -> void* {
              if (write(ready_fd, "s", 1) != 1) _exit(2);
              // exit(), not return: the whole process ends with it.
              _exit(Wait(want, 10000).si_signo == want ? 0 : 3);
            },
            nullptr))
      _exit(4);
    // The main thread alone ends (pthread_exit() would unwind through
    // GoogleTest's frames).
    syscall(SYS_exit, 0);
  }
  char c;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  usleep(100000);  // the main thread has surely exited by now
  ASSERT_EQ(Emit(1), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  close(ready[0]);
  close(ready[1]);
}

// The setuid program a subscription must not follow: a copy of this test
// binary, set-user-ID root, that runs ChildAfterExec() (below) in place of
// the tests.
constexpr char kSuidDir[] = "/run/kuchan-subscribe-suid";
constexpr char kModeVar[] = "KUCHAN_SUBSCRIBE_TEST_CHILD";

// The exec'd child: takes root for good when it can ("become-root"), says
// it is ready on fd 3, and exits 0 when no subscription signal came within
// two seconds, 1 when one did. Runs before main() when kModeVar is set.
__attribute__((constructor)) void ChildAfterExec() {
  const char* mode = getenv(kModeVar);
  if (mode == nullptr) return;
  const int sig = SIGRTMIN + 2;  // SubscribeTest::kRt
  if (strcmp(mode, "become-root") == 0 && setresuid(0, 0, 0) != 0) _exit(10);
  if (write(3, "r", 1) != 1) _exit(11);
  _exit(Wait(sig, 2000).si_signo == sig ? 1 : 0);
}

// A process of the test user subscribes (its socket kept across exec, as
// `kuchanctl subscribe -- PROGRAM` keeps it), then execs `program` with
// mode `mode`; the test emits events while it waits. Returns its exit
// status: 0 when no signal reached it.
int SubscribeThenExec(const std::string& program, const char* mode) {
  int ready[2];
  if (pipe(ready)) return 100;
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (!DropTo(kTestUid)) _exit(101);
    raw::Socket* s = new raw::Socket;  // kept open across exec
    if (Subscribe(*s, SIGRTMIN + 2).error) _exit(102);
    if (fcntl(s->fd(), F_SETFD, 0) || dup2(ready[1], 3) != 3) _exit(103);
    setenv(kModeVar, mode, 1);
    // The signal stays blocked across exec: the child collects it.
    execl(program.c_str(), program.c_str(), nullptr);
    _exit(104);
  }
  close(ready[1]);
  char c;
  if (read(ready[0], &c, 1) != 1) c = 0;
  close(ready[0]);
  for (int i = 0; c && i < 5; i++) Emit(static_cast<uint32_t>(i));
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 200;
}

// What pdeath_signal and kill_fasync() guarantee: a subscription never
// follows its process into more privilege. After a setuid-root exec, and
// after that program's setresuid(0, 0, 0), the test user's kill(2) could
// not signal it any more, and neither may its subscription.
TEST_F(SubscribeTest, EndsWhenTheProcessGainsPrivileges) {
  ASSERT_TRUE(RunCommand({"rm", "-rf", kSuidDir}).ok());
  ASSERT_EQ(mkdir(kSuidDir, 0755), 0);
  const std::string plain = std::string(kSuidDir) + "/plain";
  const std::string suid = std::string(kSuidDir) + "/suid";
  char self[4096] = {};
  ASSERT_GT(readlink("/proc/self/exe", self, sizeof(self) - 1), 0);
  for (const std::string& p : {plain, suid}) {
    auto cp = RunCommand({"cp", self, p});
    ASSERT_TRUE(cp.ok() && cp->exit_status == 0) << p;
  }
  ASSERT_EQ(chmod(plain.c_str(), 0755), 0);
  ASSERT_EQ(chmod(suid.c_str(), 04755), 0);

  // The control: an ordinary exec keeps the subscription.
  EXPECT_EQ(SubscribeThenExec(plain, "stay"), 1)
      << "a plain exec should keep the subscription";
  // A setuid exec ends it, whether or not the program then takes root.
  EXPECT_EQ(SubscribeThenExec(suid, "stay"), 0);
  EXPECT_EQ(SubscribeThenExec(suid, "become-root"), 0);
  RunCommand({"rm", "-rf", kSuidDir}).IgnoreError();
}

bool WaitFor(const std::function<bool()>& cond, int timeout_ms) {
  for (int i = 0; i < timeout_ms / 20; i++) {
    if (cond()) return true;
    usleep(20000);
  }
  return false;
}

std::string Slurp(const std::string& path) {
  std::ifstream f(path);
  std::string s;
  std::getline(f, s);
  return s;
}

TEST_F(SubscribeTest, KuchanctlSubscribeRunsACommandThatIsSignalled) {
  const std::string d = "/tmp/kuchan-subscribe";
  ASSERT_TRUE(RunCommand({"rm", "-rf", d}).ok());
  ASSERT_TRUE(RunCommand({"mkdir", "-p", d}).ok());
  {
    std::ofstream f(d + "/count.sh");
    f << "n=0\n"
         "trap 'n=$((n+1)); echo $n > " << d << "/count' USR1\n"
         "echo $$ > " << d << "/ready\n"
         "while [ ! -e " << d << "/stop ]; do sleep 0.1; done\n";
  }
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execlp("kuchanctl", "kuchanctl", "subscribe", "--signal", "USR1", "--type",
           "custom", "--", "sh", (d + "/count.sh").c_str(), nullptr);
    _exit(127);
  }
  ASSERT_TRUE(WaitFor([&] { return !Slurp(d + "/ready").empty(); }, 10000));
  // The command is the subscribed process itself.
  EXPECT_EQ(Slurp(d + "/ready"), std::to_string(pid));
  for (int n = 1; n <= 3; n++) {
    ASSERT_EQ(Emit(static_cast<uint32_t>(n)), 0);
    EXPECT_TRUE(WaitFor([&] { return Slurp(d + "/count") == std::to_string(n); },
                        10000))
        << n;
  }
  ASSERT_EQ(Probe(), 0);  // another type: no signal
  usleep(300000);
  EXPECT_EQ(Slurp(d + "/count"), "3");
  std::ofstream(d + "/stop") << "";
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;

  auto r = RunCommand({"kuchanctl", "subscribe", "--signal", "USR1", "--", "/nonexistent"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_status, 127);
  EXPECT_THAT(r->err, HasSubstr("cannot run `/nonexistent'"));
  r = RunCommand({"kuchanctl", "subscribe", "--", "true"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_status, 2);
  EXPECT_THAT(r->err, HasSubstr("missing --signal"));
}

}  // namespace
}  // namespace kuchan::guest
