// SPDX-License-Identifier: GPL-2.0
//
// The usermode helper (CMD_HELPER_SET/GET/CLEAR) and signal subscriptions
// (CMD_SUBSCRIBE) from user space. See docs/helper.md.
#ifndef KUCHAN_USERSPACE_KUCHAN_HELPER_CONFIG_H_
#define KUCHAN_USERSPACE_KUCHAN_HELPER_CONFIG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/kuchan.pb.h"
#include "userspace/kuchan/client.h"

namespace kuchan {

// The event type `name` names, as ParseEventTypeName() (events.h) reads
// it, or its number (1..63). InvalidArgument quoting `name` otherwise.
absl::StatusOr<EventType> ParseEventType(absl::string_view name);
// "custom,signal_sent" for a mask (EventTypeName(), events.h); "all" for 0.
std::string EventMaskNames(uint64_t mask);

// HELPER_SET, HELPER_GET (no path when none is set), HELPER_CLEAR.
absl::Status SetHelper(Client& client, const HelperConfig& config);
absl::StatusOr<HelperConfig> GetHelper(Client& client);
absl::Status ClearHelper(Client& client);

// Subscribes the calling process to `sig` on events in `event_mask` (0: all)
// on a new socket, and returns that socket's file descriptor, the caller's
// to keep: the subscription lives as long as the socket (and the process).
// The descriptor is not close-on-exec, so a program exec'd by this process
// keeps the subscription.
absl::StatusOr<int> SubscribeSelf(int sig, uint64_t event_mask);

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_HELPER_CONFIG_H_
