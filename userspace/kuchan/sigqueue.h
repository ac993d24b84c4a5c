// SPDX-License-Identifier: GPL-2.0
//
// Signals with a value (sigqueue(3)), sent from user space.
//
// The kuchan module does not send them: a signal with a value needs a
// siginfo of its own, and no function the kernel exports to modules both
// takes one and applies kill(2)'s permission, LSM and audit checks
// (docs/security.md). pidfd_send_signal(2) from the caller's own process
// applies all of them, and maps si_uid into the target's user namespace.
// Connection::Signal() sends a request with a value through here.
#ifndef KUCHAN_USERSPACE_KUCHAN_SIGQUEUE_H_
#define KUCHAN_USERSPACE_KUCHAN_SIGQUEUE_H_

#include <sys/types.h>

#include <cstdint>
#include <optional>

#include "absl/status/status.h"

namespace kuchan {

// Sends `sig` to process `pid` as sigqueue(3) does: SI_QUEUE, our pid and
// uid, si_value.sival_int = `value`. Signal 0 probes. With `start_time`
// (field 22 of /proc/PID/stat), a process that did not start then is
// refused with ESRCH: checked through a pidfd, so a PID reused between the
// check and the send is refused, never signalled.
// Returns 0 or the errno kill(2) would give (EPERM, ESRCH, EINVAL...).
int QueueSignalErrno(pid_t pid, int sig, int32_t value,
                     std::optional<uint64_t> start_time = {});

// QueueSignalErrno() as a status: its code from the errno, its message
// "pid PID: " and strerror()'s text.
absl::Status QueueSignal(pid_t pid, int sig, int32_t value,
                         std::optional<uint64_t> start_time = {});

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_SIGQUEUE_H_
