// SPDX-License-Identifier: GPL-2.0
//
// A signal subscription for the calling process (CMD_SUBSCRIBE) that
// outlives the call: what `kuchanctl subscribe` does before it execs its
// command. See docs/helper.md.
#ifndef KUCHAN_USERSPACE_KUCHAN_SUBSCRIPTION_H_
#define KUCHAN_USERSPACE_KUCHAN_SUBSCRIPTION_H_

#include <cstdint>

#include "absl/status/statusor.h"

namespace kuchan {

// Subscribes the calling process to `sig` on events in `event_mask` (0: all)
// on a new socket, and returns that socket's file descriptor, the caller's
// to keep: the subscription lives as long as the socket (and the process).
// The descriptor is not close-on-exec, so a program exec'd by this process
// keeps the subscription. Connection::Open()'s errors, then the kernel's.
absl::StatusOr<int> SubscribeSelf(int sig, uint64_t event_mask);

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_SUBSCRIPTION_H_
