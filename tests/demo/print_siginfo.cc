// SPDX-License-Identifier: GPL-2.0
//
// kuchan-print-siginfo: waits for signals and prints what each one's
// siginfo says, for the demo (scripts/demo): it shows that a signal sent by
// `kuchanctl signal` arrives exactly as kill(2) or sigqueue(3) would send
// it. Exits on SIGTERM or SIGINT.
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>

int main() {
  sigset_t all;
  sigfillset(&all);
  sigdelset(&all, SIGKILL);
  sigdelset(&all, SIGSTOP);
  sigprocmask(SIG_BLOCK, &all, nullptr);
  printf("kuchan-print-siginfo: pid %d waiting for signals\n", getpid());
  fflush(stdout);
  for (;;) {
    siginfo_t si;
    if (sigwaitinfo(&all, &si) < 0) continue;
    const char* code = si.si_code == SI_USER      ? "SI_USER"
                       : si.si_code == SI_QUEUE   ? "SI_QUEUE"
                       : si.si_code == SI_ASYNCIO ? "SI_ASYNCIO"
                                                  : "other";
    char name[16];
    if (si.si_signo >= SIGRTMIN)
      snprintf(name, sizeof(name), "RTMIN+%d", si.si_signo - SIGRTMIN);
    else
      snprintf(name, sizeof(name), "%s", sigabbrev_np(si.si_signo));
    printf("kuchan-print-siginfo: got SIG%s, si_code=%s", name, code);
    if (si.si_code == SI_ASYNCIO) {
      // A kuchan subscription: the event's number, no sender.
      printf(", si_addr=%ju (the event's seq)",
             static_cast<uintmax_t>(reinterpret_cast<uintptr_t>(si.si_addr)));
    } else {
      printf(", si_pid=%d, si_uid=%d", si.si_pid, si.si_uid);
    }
    if (si.si_code == SI_QUEUE) printf(", si_value=%d", si.si_value.sival_int);
    printf("\n");
    fflush(stdout);
    if (si.si_signo == SIGTERM || si.si_signo == SIGINT) return 0;
  }
}
