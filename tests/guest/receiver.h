// SPDX-License-Identifier: GPL-2.0
//
// A child process that reports the siginfo of each SIGUSR1, SIGUSR2 or
// real-time signal it receives, for the signal suites.
#ifndef KUCHAN_TESTS_GUEST_RECEIVER_H_
#define KUCHAN_TESTS_GUEST_RECEIVER_H_

#include <sys/types.h>

namespace kuchan::guest {

// What the receiver's SA_SIGINFO handler saw.
struct Seen {
  int signo, code, errno_, value;
  pid_t pid;
  uid_t uid;
};

class Receiver {
 public:
  // Forks the receiver, running as `uid` (0: stay root), and waits until
  // its handlers are installed. With `own_user_ns`, it then enters a user
  // namespace of its own in which it is root (unshare -U -r): `uid` is the
  // only uid mapped there.
  explicit Receiver(uid_t uid = 0, bool own_user_ns = false);
  ~Receiver();
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  pid_t pid() const { return pid_; }
  // The siginfo of the next signal; false when none came within 5 s.
  bool Next(Seen* s);

 private:
  pid_t pid_ = -1;
  int report_ = -1;
};

}  // namespace kuchan::guest

#endif  // KUCHAN_TESTS_GUEST_RECEIVER_H_
