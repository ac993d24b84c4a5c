// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/helper_config.h"

#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "userspace/kuchan/codec.h"
#include "userspace/kuchan/controller.h"
#include "userspace/kuchan/events.h"
#include "userspace/kuchan/schema.h"
#include "userspace/kuchan/socket.h"
#include "userspace/kuchan/status_macros.h"

namespace kuchan {

absl::StatusOr<EventType> ParseEventType(absl::string_view name) {
  int number = 0;
  EventType type;
  if (absl::SimpleAtoi(name, &number)) {
    if (number > 0 && number < 64) return static_cast<EventType>(number);
  } else if (ParseEventTypeName(name, &type) && type != EVENT_UNSPEC) {
    return type;
  }
  return absl::InvalidArgumentError(
      absl::StrFormat("unknown event type `%s' (one of: %s)", name,
                      absl::StrJoin(EventTypeNames(), ", ")));
}

std::string EventMaskNames(uint64_t mask) {
  if (mask == 0) return "all";
  std::vector<std::string> names;
  for (int t = 0; t < 64; t++)
    if (mask & (uint64_t{1} << t)) names.push_back(EventTypeName(t));
  return absl::StrJoin(names, ",");
}

absl::Status SetHelper(Client& client, const HelperConfig& config) {
  return client.Do(CMD_HELPER_SET, &config, nullptr);
}

absl::StatusOr<HelperConfig> GetHelper(Client& client) {
  HelperConfig config;
  RETURN_IF_ERROR(client.Do(CMD_HELPER_GET, nullptr, &config));
  return config;
}

absl::Status ClearHelper(Client& client) {
  return client.Do(CMD_HELPER_CLEAR, nullptr, nullptr);
}

absl::StatusOr<int> SubscribeSelf(int sig, uint64_t event_mask) {
  ASSIGN_OR_RETURN(Socket sock, Socket::Open());
  // The family's id is all this needs: resolved, not described in full.
  absl::StatusOr<FamilyInfo> info = ResolveFamily(sock, SchemaFamilyName());
  if (absl::IsNotFound(info.status()))
    return absl::NotFoundError(ModuleNotLoadedMessage());
  if (!info.ok()) return info.status();

  Subscription request;
  request.set_signal(static_cast<uint32_t>(sig));
  if (event_mask != 0) request.set_event_mask(event_mask);
  ASSIGN_OR_RETURN(NlMsg msg, NlMsg::Alloc());
  RETURN_IF_ERROR(PutGenlHeader(&msg, info->id, CMD_SUBSCRIBE,
                                static_cast<uint8_t>(SchemaVersion())));
  RETURN_IF_ERROR(EncodeAttrs(request, msg.get()));
  Request req;
  const std::string context =
      absl::StrCat(SchemaFamilyName(), " ", SchemaCommandName(CMD_SUBSCRIBE));
  req.context = context;
  req.name_attr = AttrNamerFor(request.GetDescriptor());
  RETURN_IF_ERROR(sock.Transact(
      msg, req, [](absl::Span<const uint8_t>) { return absl::OkStatus(); }));
  // A second descriptor for the same socket, without close-on-exec: the
  // socket (and so the subscription) outlives `sock`.
  int fd = fcntl(sock.fd(), F_DUPFD, 3);
  if (fd < 0) return absl::ErrnoToStatus(errno, "keeping the subscription's socket");
  return fd;
}

}  // namespace kuchan
