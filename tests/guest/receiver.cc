// SPDX-License-Identifier: GPL-2.0
#include "tests/guest/receiver.h"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace kuchan::guest {
namespace {

int g_report_fd = -1;

void Record(int, siginfo_t* si, void*) {
  Seen s{si->si_signo, si->si_code, si->si_errno, si->si_value.sival_int,
         si->si_pid, si->si_uid};
  (void)!write(g_report_fd, &s, sizeof(s));
}

}  // namespace

namespace {

// unshare -U -r: a new user namespace where our uid and gid are 0.
bool EnterOwnUserNs(uid_t uid, gid_t gid) {
  // Dumpable again after the uid change, or /proc/self/*_map stay root's.
  if (prctl(PR_SET_DUMPABLE, 1) || unshare(CLONE_NEWUSER) != 0) return false;
  auto write_file = [](const char* path, const std::string& s) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = write(fd, s.data(), s.size()) == static_cast<ssize_t>(s.size());
    close(fd);
    return ok;
  };
  return write_file("/proc/self/setgroups", "deny") &&
         write_file("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1") &&
         write_file("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1");
}

}  // namespace

Receiver::Receiver(uid_t uid, bool own_user_ns) {
  int fds[2], ready[2];
  if (pipe(fds) || pipe(ready)) abort();
  pid_ = fork();
  if (pid_ == 0) {
    close(fds[0]);
    close(ready[0]);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (uid && (setgroups(0, nullptr) || setresgid(uid, uid, uid) ||
                setresuid(uid, uid, uid)))
      _exit(1);
    if (own_user_ns && !EnterOwnUserNs(uid, uid)) _exit(1);
    g_report_fd = fds[1];
    struct sigaction sa {};
    sa.sa_sigaction = Record;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, nullptr);
    sigaction(SIGUSR2, &sa, nullptr);
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
      sigaction(sig, &sa, nullptr);
    (void)!write(ready[1], "r", 1);
    for (;;) pause();
  }
  close(fds[1]);
  close(ready[1]);
  report_ = fds[0];
  char c;
  (void)!read(ready[0], &c, 1);
  close(ready[0]);
}

Receiver::~Receiver() {
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  close(report_);
}

bool Receiver::Next(Seen* s) {
  fd_set set;
  FD_ZERO(&set);
  FD_SET(report_, &set);
  timeval tv{5, 0};
  if (select(report_ + 1, &set, nullptr, nullptr, &tv) != 1) return false;
  return read(report_, s, sizeof(*s)) == sizeof(*s);
}

}  // namespace kuchan::guest
