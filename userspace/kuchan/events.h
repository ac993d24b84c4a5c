// SPDX-License-Identifier: GPL-2.0
//
// Events from user space with the schema's protobuf messages (Client):
// raising a custom event (CMD_EMIT) and reading the module's event counters
// (CMD_GET_STATS). The typed calls (kuchan.ops.h: msg::Emit(),
// msg::GetStats()) do the same without protobuf; events themselves arrive
// through a Subscriber (subscriber.h). The names of event types are
// event_types.h's.
#ifndef KUCHAN_USERSPACE_KUCHAN_EVENTS_H_
#define KUCHAN_USERSPACE_KUCHAN_EVENTS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/kuchan.pb.h"
#include "userspace/kuchan/client.h"
#include "userspace/kuchan/event_types.h"

namespace kuchan {

// Raises a custom event (CMD_EMIT; needs CAP_NET_ADMIN).
absl::Status Emit(Client& client, uint32_t code,
                  const std::vector<std::pair<std::string, std::string>>& data);

// The module's event counters (CMD_GET_STATS; needs CAP_NET_ADMIN).
absl::StatusOr<Stats> GetStats(Client& client);

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_EVENTS_H_
