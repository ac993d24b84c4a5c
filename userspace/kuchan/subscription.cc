// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/subscription.h"

#include <fcntl.h>

#include <cerrno>

#include "absl/status/status.h"
#include "userspace/kuchan/connection.h"
#include "userspace/kuchan/kuchan.ops.h"
#include "userspace/kuchan/status_macros.h"

namespace kuchan {

absl::StatusOr<int> SubscribeSelf(int sig, uint64_t event_mask) {
  ASSIGN_OR_RETURN(Connection conn, Connection::Open());
  msg::Subscription request;
  request.signal = static_cast<uint32_t>(sig);
  if (event_mask != 0) request.event_mask = event_mask;
  RETURN_IF_ERROR(msg::Subscribe(conn, request));
  // A second descriptor for the same socket, without close-on-exec: the
  // socket (and so the subscription) outlives `conn`.
  const int fd = fcntl(conn.socket().fd(), F_DUPFD, 3);
  if (fd < 0) return absl::ErrnoToStatus(errno, "keeping the subscription's socket");
  return fd;
}

}  // namespace kuchan
