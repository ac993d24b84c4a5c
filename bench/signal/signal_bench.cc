// SPDX-License-Identifier: GPL-2.0
//
// kuchan_signal_bench: the cost of sending a signal through kuchan, against
// kill(2) and a bare genetlink socket, measured in one run. Runs inside the
// test VM as root with kuchan.ko loaded (bench/run-signal-bench).
//
// Timings under QEMU/TCG drift by tens of percent within seconds, so every
// figure that matters is a ratio to kill(2) or to the raw socket measured in
// the same repetition, the methods interleaved in short blocks so that they
// sample the same stretch of time. Reported: the median over repetitions.
//
// The target is a child that ignores SIGUSR1, as in the reference figures
// (shared notes: perf-anchors.md), so delivery costs nothing and the path to
// the signal is what is measured.
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "kernel/uapi/kuchan.h"
#include "tests/raw/raw_genl.h"
#include "userspace/kuchan/connection.h"

namespace {

double Now() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

// ns per call of fn over n calls (a template: no indirect call inside the
// timed loop).
template <typename Fn>
double Time(int n, const Fn& fn) {
  const double t0 = Now();
  for (int i = 0; i < n; i++) fn();
  return (Now() - t0) / n;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void Die(const char* what) {
  perror(what);
  exit(1);
}

// A whole process: fork, exec, wait. ns per run.
double RunProcess(const std::vector<std::string>& argv) {
  std::vector<char*> a;
  for (const std::string& s : argv) a.push_back(const_cast<char*>(s.c_str()));
  a.push_back(nullptr);
  const double t0 = Now();
  pid_t p = fork();
  if (p == 0) {
    execvp(a[0], a.data());
    _exit(127);
  }
  int st;
  waitpid(p, &st, 0);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    fprintf(stderr, "%s failed\n", argv[0].c_str());
    exit(1);
  }
  return Now() - t0;
}

}  // namespace

int main(int argc, char** argv) {
  const int reps = argc > 1 ? atoi(argv[1]) : 5;
  const int n = argc > 2 ? atoi(argv[2]) : 5000;
  const int procs = argc > 3 ? atoi(argv[3]) : 100;

  pid_t target = fork();
  if (target == 0) {
    signal(SIGUSR1, SIG_IGN);
    for (;;) pause();
  }
  usleep(100000);

  // The bare socket: one prebuilt request, sendto + recv of the ACK.
  kuchan::raw::Socket raw;
  const int fam = raw.ResolveFamily(KUCHAN_FAMILY_NAME);
  if (fam <= 0) Die("resolving kuchan (is the module loaded?)");
  kuchan::raw::Attrs t;
  t.S32(KUCHAN_A_TARGET_PID, target);
  kuchan::raw::Attrs req1, req64;
  req1.Nest(KUCHAN_A_SIGNAL_TARGETS, t).U32(KUCHAN_A_SIGNAL_SIGNAL, SIGUSR1);
  for (int i = 1; i <= KUCHAN_A_SIGNAL_TARGETS_MAX_COUNT; i++)
    req64.Nest(KUCHAN_A_SIGNAL_TARGETS, t);
  req64.U32(KUCHAN_A_SIGNAL_SIGNAL, SIGUSR1);
  std::string msg1 = raw.Build(fam, KUCHAN_CMD_SIGNAL, req1.bytes(), 1);
  std::string msg64 = raw.Build(fam, KUCHAN_CMD_SIGNAL, req64.bytes(), 1);
  char buf[8192];
  uint32_t seq = 1;
  auto raw_request = [&](std::string& m) {
    auto* h = reinterpret_cast<nlmsghdr*>(m.data());
    h->nlmsg_seq = ++seq;
    if (send(raw.fd(), m.data(), m.size(), 0) < 0) Die("send");
    for (;;) {
      ssize_t r = recv(raw.fd(), buf, sizeof(buf), 0);
      if (r < 0) Die("recv");
      auto* a = reinterpret_cast<nlmsghdr*>(buf);
      if (a->nlmsg_seq == seq && a->nlmsg_type == NLMSG_ERROR) {
        if (reinterpret_cast<nlmsgerr*>(NLMSG_DATA(a))->error) Die("ACK");
        return;
      }
    }
  };

  absl::StatusOr<kuchan::Connection> client =
      kuchan::Connection::Open("bench");
  if (!client.ok()) {
    fprintf(stderr, "%s\n", std::string(client.status().message()).c_str());
    return 1;
  }
  kuchan::msg::SignalRequest lib1;
  lib1.targets.push_back({target, std::nullopt});
  lib1.signal = SIGUSR1;

  std::vector<double> kill_ns, raw_ns, lib_ns, raw64_ns, lib64_ns;
  std::vector<double> lib_raw, lib_kill, many_kill, cli_kill;
  std::vector<double> killproc_ns, cliproc_ns;
  kuchan::msg::SignalRequest lib64 = lib1;
  for (int i = 1; i < KUCHAN_A_SIGNAL_TARGETS_MAX_COUNT; i++)
    lib64.targets.push_back({target, std::nullopt});
  const int blocks = 10, per = n / blocks, per64 = std::max(1, per / 64);
  const std::string pid = std::to_string(target);

  for (int r = 0; r < reps; r++) {
    double k = 0, w = 0, l = 0, m = 0, lm = 0;
    for (int b = 0; b < blocks; b++) {
      k += Time(per, [&] { kill(target, SIGUSR1); });
      w += Time(per, [&] { raw_request(msg1); });
      l += Time(per, [&] {
        if (!client->Signal(lib1).ok()) Die("Connection::Signal");
      });
      m += Time(per64, [&] { raw_request(msg64); }) / 64;
      lm += Time(per64, [&] {
        if (!client->Signal(lib64).ok()) Die("Connection::Signal x64");
      }) / 64;
    }
    kill_ns.push_back(k / blocks);
    raw_ns.push_back(w / blocks);
    lib_ns.push_back(l / blocks);
    raw64_ns.push_back(m / blocks);
    lib64_ns.push_back(lm / blocks);
    lib_raw.push_back(l / w);
    lib_kill.push_back(l / k);
    many_kill.push_back(lm / k);

    double kp = 0, cp = 0;
    for (int i = 0; i < procs; i++) {
      kp += RunProcess({"kill", "-USR1", pid});
      cp += RunProcess({"kuchanctl", "signal", pid, "USR1"});
    }
    killproc_ns.push_back(kp / procs);
    cliproc_ns.push_back(cp / procs);
    cli_kill.push_back(cp / kp);
  }

  printf("kuchan signal benchmark: %d reps, %d signals per method per rep, "
         "%d processes per rep\n", reps, n, procs);
  printf("| path | ns/signal (median) | ratio (median of per-rep ratios) |\n");
  printf("|---|---:|---:|\n");
  printf("| kill(2) | %.0f | 1.00 x kill |\n", Median(kill_ns));
  printf("| raw genetlink socket, request + ACK | %.0f | %.2f x kill |\n",
         Median(raw_ns), Median(raw_ns) / Median(kill_ns));
  printf("| Connection::Signal, kept-open socket, request + ACK | %.0f | "
         "%.2f x raw, %.2f x kill |\n",
         Median(lib_ns), Median(lib_raw), Median(lib_kill));
  printf("| raw socket, 64 targets in one request, per target | %.0f | "
         "%.2f x kill |\n", Median(raw64_ns), Median(raw64_ns) / Median(kill_ns));
  printf("| Connection::Signal, 64 targets in one request, per target | %.0f | "
         "%.2f x kill |\n", Median(lib64_ns), Median(many_kill));
  printf("| /bin/kill -USR1 PID, whole process | %.0f | 1.00 x /bin/kill |\n",
         Median(killproc_ns));
  printf("| kuchanctl signal PID USR1, whole process | %.0f | "
         "%.2f x /bin/kill |\n", Median(cliproc_ns), Median(cli_kill));

  kill(target, SIGKILL);
  waitpid(target, nullptr, 0);
  return 0;
}
