// SPDX-License-Identifier: GPL-2.0
#include "tests/guest/guest_util.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace kuchan::guest {
namespace {

constexpr char kModuleName[] = "kuchan";

absl::Status Errno(int err, absl::string_view what) {
  return absl::ErrnoToStatus(err, what);
}

// A file descriptor closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      Reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Reset(); }
  int get() const { return fd_; }
  void Reset() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// Child side of RunCommand(); never returns.
[[noreturn]] void ExecChild(const std::vector<std::string>& argv,
                            std::optional<uid_t> uid, int out_fd, int err_fd) {
  int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 ||
      dup2(out_fd, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0) {
    _exit(126);
  }
  if (uid.has_value()) {
    // The test user's gid equals its uid (see tests/vm/mkinitramfs).
    if (setgroups(0, nullptr) != 0 || setgid(*uid) != 0 || setuid(*uid) != 0) {
      dprintf(STDERR_FILENO, "cannot become uid %u: %s\n", *uid,
              strerror(errno));
      _exit(126);
    }
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execvp(args[0], args.data());
  dprintf(STDERR_FILENO, "cannot run `%s': %s\n", args[0], strerror(errno));
  _exit(127);
}

}  // namespace

absl::StatusOr<CommandResult> RunCommand(const std::vector<std::string>& argv,
                                         std::optional<uid_t> uid) {
  if (argv.empty()) return absl::InvalidArgumentError("empty command");
  std::array<int, 2> out_pipe{}, err_pipe{};
  if (pipe2(out_pipe.data(), O_CLOEXEC) != 0) return Errno(errno, "pipe");
  Fd out_r(out_pipe[0]), out_w(out_pipe[1]);
  if (pipe2(err_pipe.data(), O_CLOEXEC) != 0) return Errno(errno, "pipe");
  Fd err_r(err_pipe[0]), err_w(err_pipe[1]);

  pid_t pid = fork();
  if (pid < 0) return Errno(errno, absl::StrCat("fork for ", argv[0]));
  if (pid == 0) ExecChild(argv, uid, out_w.get(), err_w.get());
  out_w.Reset();
  err_w.Reset();

  // Both pipes at once: a child that fills one while we block on the
  // other would never finish.
  CommandResult r;
  std::array<pollfd, 2> fds = {pollfd{out_r.get(), POLLIN, 0},
                               pollfd{err_r.get(), POLLIN, 0}};
  std::array<std::string*, 2> sinks = {&r.out, &r.err};
  int open_fds = 2;
  while (open_fds > 0) {
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return Errno(errno, "poll");
    }
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      ssize_t n = read(fds[i].fd, buf, sizeof(buf));
      if (n > 0) {
        sinks[i]->append(buf, n);
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0) {
    if (errno != EINTR) return Errno(errno, "waitpid");
  }
  r.exit_status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus)
                                     : 128 + WTERMSIG(wstatus);
  return r;
}

std::string Describe(const std::vector<std::string>& argv,
                     const CommandResult& r) {
  return absl::StrCat("`", absl::StrJoin(argv, " "), "' exited with status ",
                      r.exit_status, "\n--- stdout:\n", r.out,
                      "--- stderr:\n", r.err, "---");
}

absl::StatusOr<uint64_t> ProcStartTime(pid_t pid) {
  const std::string path = absl::StrCat("/proc/", pid, "/stat");
  std::ifstream f(path);
  std::string stat((std::istreambuf_iterator<char>(f)),
                   std::istreambuf_iterator<char>());
  // The command name can hold spaces and parentheses: count the fields
  // after the last ")", which ends it; that one is field 2.
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos || paren + 2 > stat.size())
    return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::istringstream in(stat.substr(paren + 2));
  std::string field;
  for (int i = 3; i <= 22; i++) in >> field;
  uint64_t ticks;
  if (!absl::SimpleAtoi(field, &ticks))
    return absl::DataLossError(absl::StrCat(path, ": no field 22"));
  return ticks;
}

std::string ModulePath() {
  if (const char* env = getenv("KUCHAN_KO"); env != nullptr && *env != '\0') {
    return env;
  }
  utsname u{};
  uname(&u);
  return absl::StrCat("/lib/modules/", u.release, "/extra/kuchan.ko");
}

absl::Status LoadModule() {
  const std::string path = ModulePath();
  Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return Errno(errno, absl::StrCat("opening ", path));
  if (syscall(SYS_finit_module, fd.get(), "", 0) != 0) {
    return Errno(errno, absl::StrCat("finit_module(", path, ")"));
  }
  return absl::OkStatus();
}

absl::Status UnloadModule() {
  if (syscall(SYS_delete_module, kModuleName, O_NONBLOCK) != 0) {
    return Errno(errno, "delete_module(kuchan)");
  }
  return absl::OkStatus();
}

bool ModuleLoaded() {
  struct stat st {};
  return stat("/sys/module/kuchan", &st) == 0 && S_ISDIR(st.st_mode);
}

absl::StatusOr<std::string> ModuleState() {
  std::ifstream in("/sys/module/kuchan/initstate");
  std::string state;
  if (!(in >> state)) {
    return absl::NotFoundError("no /sys/module/kuchan/initstate");
  }
  return state;
}

absl::StatusOr<KmsgReader> KmsgReader::Open() {
  int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return Errno(errno, "opening /dev/kmsg");
  KmsgReader reader(fd);
  if (lseek(fd, 0, SEEK_END) < 0) return Errno(errno, "seeking /dev/kmsg");
  return reader;
}

KmsgReader::KmsgReader(KmsgReader&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)) {}

KmsgReader& KmsgReader::operator=(KmsgReader&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

KmsgReader::~KmsgReader() {
  if (fd_ >= 0) close(fd_);
}

absl::StatusOr<std::vector<KmsgRecord>> KmsgReader::ReadNew() {
  std::vector<KmsgRecord> records;
  // One record per read(2): "<prio>,<seq>,<usec>,<flags>[,...];<text>\n"
  // followed by " KEY=value" continuation lines.
  char buf[8192];
  for (;;) {
    ssize_t n = read(fd_, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) break;
      if (errno == EPIPE) {
        return absl::DataLossError("kernel log records were overwritten "
                                   "before they could be read");
      }
      return Errno(errno, "reading /dev/kmsg");
    }
    absl::string_view rec(buf, n);
    size_t semi = rec.find(';');
    if (semi == absl::string_view::npos) continue;
    KmsgRecord r;
    std::istringstream head(std::string(rec.substr(0, semi)));
    int prio = 0;
    char comma = 0;
    head >> prio >> comma >> r.seq;
    r.level = prio & 7;
    absl::string_view text = rec.substr(semi + 1);
    r.text = std::string(text.substr(0, text.find('\n')));
    records.push_back(std::move(r));
  }
  return records;
}

bool IsKernelProblem(const KmsgRecord& r) {
  // The debug kernel's checkers (tests/vm/debug-kernel.config) report as
  // "BUG: KASAN: ...", "WARNING: possible circular locking dependency
  // detected", "BUG: sleeping function called from invalid context",
  // "UBSAN: ...", "kernel BUG at ..." (DEBUG_LIST), "ODEBUG: ..."
  // (DEBUG_OBJECTS) and "kmemleak: N new suspected memory leaks"; most at
  // warning level or worse anyway, but UBSAN and kmemleak not always.
  static constexpr const char* kTroubles[] = {
      "WARNING:",           "BUG:",
      "Oops",               "Call Trace",
      "refcount_t",         "kmemleak",
      "general protection", "Kernel panic",
      "slab-out-of-bounds", "Poison overwritten",
      "Redzone",            "object pointer:",
      "kernel BUG at",      "KASAN:",
      "UBSAN:",             "ODEBUG:",
      "possible circular locking", "inconsistent lock state",
      "sleeping function called",  "suspicious RCU usage",
      "unreferenced object"};
  for (const char* t : kTroubles) {
    if (absl::StrContains(r.text, t)) return true;
  }
  // An unsigned module from outside the kernel tree taints the kernel; the
  // kernel says so once per boot, at notice and warning level.
  if (absl::StrContains(r.text, "loading out-of-tree module taints kernel") ||
      absl::StrContains(r.text, "module verification failed")) {
    return false;
  }
  // The kernel's one-time note (pr_warn_once) that a timer interrupt ran
  // late: under TCG the emulator stalls the guest now and then, the more
  // so on the debug kernel (KASAN makes every interrupt slower). Not a
  // report about any code.
  if (absl::StartsWith(r.text, "hrtimer: interrupt took ")) return false;
  return r.level <= 4;  // KERN_WARNING or worse
}

bool DropTo(uid_t uid) {
  return setgroups(0, nullptr) == 0 && setresgid(uid, uid, uid) == 0 &&
         setresuid(uid, uid, uid) == 0;
}

int InChild(const std::function<int()>& fn) {
  const pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    _exit(fn());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 300;
}

namespace {

// Sends `fd` over the unix socket `unix_fd` (received is null), or receives
// one into *received. Returns what sendmsg/recvmsg returned.
ssize_t PassFd(int unix_fd, int fd, int* received) {
  char c = 's';
  iovec iov{&c, 1};
  alignas(cmsghdr) char ctl[CMSG_SPACE(sizeof(int))] = {};
  msghdr mh{};
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  mh.msg_control = ctl;
  mh.msg_controllen = sizeof(ctl);
  if (received != nullptr) {
    ssize_t n = recvmsg(unix_fd, &mh, 0);
    cmsghdr* cm = CMSG_FIRSTHDR(&mh);
    if (n == 1 && cm != nullptr) memcpy(received, CMSG_DATA(cm), sizeof(int));
    return n;
  }
  cmsghdr* cm = CMSG_FIRSTHDR(&mh);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(cm), &fd, sizeof(fd));
  return sendmsg(unix_fd, &mh, 0);
}

}  // namespace

int SocketOpenedBy(uid_t uid) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv)) return -1;
  const int rc = InChild([&] {
    if (!DropTo(uid)) return 1;
    const int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
    return s >= 0 && PassFd(sv[0], s, nullptr) == 1 ? 0 : 2;
  });
  int fd = -1;
  if (rc != 0 || PassFd(sv[1], -1, &fd) != 1) fd = -1;
  close(sv[0]);
  close(sv[1]);
  return fd;
}

}  // namespace kuchan::guest
