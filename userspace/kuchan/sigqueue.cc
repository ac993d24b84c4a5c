// SPDX-License-Identifier: GPL-2.0
//
// QueueSignal(): sigqueue(3) through a pidfd (sigqueue.h says why).
#include "userspace/kuchan/sigqueue.h"

#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace kuchan {
namespace {

// Field 22 of /proc/PID/stat (start time, clock ticks since boot), or
// nullopt when the process is gone. The command name (field 2) may hold
// spaces and parentheses: fields are counted after its last ')'.
std::optional<uint64_t> StartTime(pid_t pid) {
  char buf[1024];
  const std::string path = absl::StrCat("/proc/", pid, "/stat");
  FILE* f = fopen(path.c_str(), "re");
  if (f == nullptr) return std::nullopt;
  const size_t n = fread(buf, 1, sizeof(buf) - 1, f);
  fclose(f);
  const absl::string_view stat(buf, n);
  const size_t paren = stat.rfind(')');
  if (paren == absl::string_view::npos) return std::nullopt;
  // After ") ": field 3 (state) onward, so field 22 is the 20th.
  std::vector<absl::string_view> fields =
      absl::StrSplit(stat.substr(paren + 1), ' ', absl::SkipEmpty());
  uint64_t ticks;
  if (fields.size() < 20 || !absl::SimpleAtoi(fields[19], &ticks))
    return std::nullopt;
  return ticks;
}

// By syscall(2): bookworm's glibc 2.36 declares pidfd_open() and
// pidfd_send_signal() in <sys/pidfd.h> without extern "C" (fixed in 2.37),
// so C++ cannot link against them.
int PidfdOpen(pid_t pid) {
  return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
}

int PidfdSendSignal(int pidfd, int sig, siginfo_t* info) {
  return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, sig, info, 0));
}

// Closes a file descriptor at scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

int QueueSignalErrno(pid_t pid, int sig, int32_t value,
                     std::optional<uint64_t> start_time) {
  if (pid <= 0) return EINVAL;
  // The pidfd pins the process: whatever the PID names later, the signal
  // goes to the one checked here, or fails with ESRCH once it has exited.
  Fd pidfd(PidfdOpen(pid));
  if (pidfd.get() < 0) return errno;
  if (start_time) {
    // Read after the pidfd was opened: if the PID was reused before, this
    // is the new process and its start time differs; if the process
    // exited since, the file is gone or another's.
    if (StartTime(pid) != start_time) return ESRCH;
  }
  siginfo_t info;
  memset(&info, 0, sizeof(info));
  info.si_signo = sig;
  info.si_code = SI_QUEUE;
  info.si_pid = getpid();
  info.si_uid = getuid();
  info.si_value.sival_int = value;
  if (PidfdSendSignal(pidfd.get(), sig, &info) < 0) return errno;
  return 0;
}

absl::Status QueueSignal(pid_t pid, int sig, int32_t value,
                         std::optional<uint64_t> start_time) {
  const int e = QueueSignalErrno(pid, sig, value, start_time);
  if (e == 0) return absl::OkStatus();
  return absl::ErrnoToStatus(e, absl::StrCat("pid ", pid));
}

}  // namespace kuchan
