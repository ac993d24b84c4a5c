// SPDX-License-Identifier: GPL-2.0
#include "tests/guest/receiver.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

namespace kuchan::guest {
namespace {

int g_report_fd = -1;

void Record(int, siginfo_t* si, void*) {
  Seen s{si->si_signo, si->si_code, si->si_errno, si->si_value.sival_int,
         si->si_pid, si->si_uid};
  (void)!write(g_report_fd, &s, sizeof(s));
}

}  // namespace

Receiver::Receiver(uid_t uid) {
  int fds[2], ready[2];
  if (pipe(fds) || pipe(ready)) abort();
  pid_ = fork();
  if (pid_ == 0) {
    close(fds[0]);
    close(ready[0]);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (uid && (setresgid(uid, uid, uid) || setresuid(uid, uid, uid)))
      _exit(1);
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
