// SPDX-License-Identifier: GPL-2.0
//
// Helpers for the guest test suites: they run as root inside the test VM
// (tests/vm), with kuchan.ko installed for modprobe, kuchanctl and genl on
// the PATH. Nothing here talks kuchan's protocol: the suites test the
// product (module, library, kuchanctl) from the outside.
#ifndef KUCHAN_TESTS_GUEST_GUEST_UTIL_H_
#define KUCHAN_TESTS_GUEST_GUEST_UTIL_H_

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace kuchan::guest {

// The unprivileged user the guest has for tests (tests/vm/guest-init).
inline constexpr uid_t kTestUid = 1000;

// Drops this process to `uid` (its gid too, no supplementary groups).
bool DropTo(uid_t uid);

// Runs fn in a child process and returns its exit status: what fn
// returned (0..255), or 300 when the child did not exit. The child dies
// with its parent.
int InChild(const std::function<int()>& fn);

// A NETLINK_GENERIC socket that a child process running as `uid` opened
// and passed back over SCM_RIGHTS: what a confused deputy is handed, a
// socket an unprivileged process opened (CVE-2014-0181). -1 on failure.
int SocketOpenedBy(uid_t uid);

// What a finished command left behind.
struct CommandResult {
  int exit_status = -1;  // exit code, or 128 + signal number
  std::string out;       // all of its stdout
  std::string err;       // all of its stderr
};

// Runs argv[0] (searched on the PATH) with stdin from /dev/null and waits for
// it. With `uid`, the child drops to that uid and gid (and no supplementary
// groups) first. An exec failure shows as exit status 127 with the reason on
// `err`, like a shell's.
absl::StatusOr<CommandResult> RunCommand(const std::vector<std::string>& argv,
                                         std::optional<uid_t> uid = {});

// "argv[0] argv[1] ..." and what it printed, for failure messages.
std::string Describe(const std::vector<std::string>& argv,
                     const CommandResult& r);

// Field 22 of /proc/PID/stat: the process's start time in clock ticks since
// boot, what SIGNAL's start_time attribute carries.
absl::StatusOr<uint64_t> ProcStartTime(pid_t pid);

// The kuchan.ko the guest boots with: $KUCHAN_KO, else
// /lib/modules/$(uname -r)/extra/kuchan.ko (where tests/vm installs it).
std::string ModulePath();

// finit_module(2) of ModulePath().
absl::Status LoadModule();
// delete_module(2) of "kuchan", O_NONBLOCK like rmmod: fails with EWOULDBLOCK
// rather than waiting while something holds a reference.
absl::Status UnloadModule();
// /sys/module/kuchan exists.
bool ModuleLoaded();
// The module's /sys/module/kuchan/initstate ("live", "coming", "going").
absl::StatusOr<std::string> ModuleState();

// One record of the kernel log as /dev/kmsg returns it.
struct KmsgRecord {
  int level = 0;  // 0 (emerg) .. 7 (debug)
  uint64_t seq = 0;
  std::string text;
};

// Reads the kernel log records that appear after it was opened.
class KmsgReader {
 public:
  // Opens /dev/kmsg and skips everything already logged.
  static absl::StatusOr<KmsgReader> Open();
  KmsgReader(KmsgReader&& other) noexcept;
  KmsgReader& operator=(KmsgReader&& other) noexcept;
  KmsgReader(const KmsgReader&) = delete;
  KmsgReader& operator=(const KmsgReader&) = delete;
  ~KmsgReader();

  // Every record logged since Open() or the previous call. DataLoss if
  // records were overwritten before they could be read.
  absl::StatusOr<std::vector<KmsgRecord>> ReadNew();

 private:
  explicit KmsgReader(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// True for a record that reports trouble: level warning or worse, or text
// the kernel prints for warnings, BUGs, oopses and slab corruption whatever
// its level, and the debug kernel's KASAN, lockdep, UBSAN, DEBUG_LIST,
// DEBUG_OBJECTS and kmemleak reports. The out-of-tree taint notes and the
// note that a timer interrupt ran late (TCG stalls) do not count. The notes the kernel prints when an unsigned out-of-tree module
// first loads (taint) are expected and do not count.
bool IsKernelProblem(const KmsgRecord& r);

}  // namespace kuchan::guest

#endif  // KUCHAN_TESTS_GUEST_GUEST_UTIL_H_
