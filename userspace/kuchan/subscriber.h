// SPDX-License-Identifier: GPL-2.0
//
// A subscriber to kuchan's "monitor" multicast group, for daemons: one
// non-blocking netlink socket whose fd goes into the caller's epoll/poll
// loop, and a stream of items, each an event or news about the stream.
//
//   absl::StatusOr<Subscriber> sub = Subscriber::Connect();
//   ... epoll on sub->fd() for EPOLLIN, then:
//   sub->Dispatch([](const StreamItem& item) { ... });
//
// Nothing is lost unseen. The kernel numbers every event it multicasts from
// one counter, in the same critical section as the multicast, so a jump in
// the numbers is exactly the count of events this socket missed (its
// receive queue was full, or an event could not be decoded). The socket
// reports the overflow itself with ENOBUFS (which libnl calls NLE_NOMEM:
// it is never "out of memory" here). Either way the subscriber hands out an
// kOverrun item saying how many events were lost, and goes on: an overflow
// never closes or stops it. Events dropped at the end of a burst leave no
// later event to show the gap: when its queue runs dry after an overflow,
// the subscriber asks the module for its last event number (GET_STATS, on
// a connection of its own; the group needs CAP_NET_ADMIN, and so does
// that) and counts what is missing up to it.
//
// The module may be unloaded and loaded again while a subscriber runs; the
// genetlink controller announces both on its "notify" group, which the
// subscriber also joins. It hands out kModuleUnloaded, then kModuleLoaded,
// and re-joins the new family's monitor group itself (ids may change). Only
// the kernel's own announcements count: a controller message from any other
// sender (port id not 0) could be forged by any local process, and is
// ignored, as is every message not from the kernel.
//
// Reading events needs CAP_NET_ADMIN (the group is GENL_MCAST_CAP_NET_ADMIN:
// events name other users' processes); Connect() says so plainly with
// PermissionDenied.
//
// Not thread-safe; one thread uses a subscriber at a time.
#ifndef KUCHAN_USERSPACE_KUCHAN_SUBSCRIBER_H_
#define KUCHAN_USERSPACE_KUCHAN_SUBSCRIBER_H_

#include <sys/socket.h>
#include <linux/netlink.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "userspace/kuchan/kuchan.msg.h"

namespace kuchan {

// One item of the stream.
struct StreamItem {
  enum class Kind {
    kEvent,           // `event` holds it
    kOverrun,         // `lost` events were lost here (see below)
    kModuleUnloaded,  // the module went away; nothing arrives until...
    kModuleLoaded,    // ...it is back; the subscriber has re-joined
  };
  Kind kind = Kind::kEvent;
  // kEvent: the event, owned by the subscriber and valid until its next
  // Dispatch() or Next() call (it is reused: no allocation per event). The
  // typed struct generated from the schema (kuchan.msg.h): its fields are
  // the schema's, each std::optional or a std::vector; msg::AppendJson()
  // prints it.
  const msg::Event* event = nullptr;
  // kOverrun: how many events were lost, counted from the gap in sequence
  // numbers: between two events, or, when the socket reported an overflow
  // (ENOBUFS) and its queue has run dry, up to the module's last event
  // number (GET_STATS). 0 only when that number cannot be had (the
  // subscriber lost CAP_NET_ADMIN, or had seen no event yet): a later
  // kOverrun then carries the count. The sum over all kOverrun items is
  // the exact number of events lost.
  uint64_t lost = 0;
};

// "event", "overrun", "module unloaded", "module loaded again".
const char* StreamItemKindName(StreamItem::Kind kind);

struct SubscriberOptions {
  // Names the caller in a protocol-version mismatch message.
  std::string program = "kuchan subscriber";
  // SetReceiveBuffer(receive_buffer) at connect when not 0.
  size_t receive_buffer = 0;
  // When the module is not loaded: false fails with NotFound
  // (ModuleNotLoadedMessage()); true connects anyway and starts with the
  // module's arrival (a kModuleLoaded item).
  bool wait_for_module = false;
};

// Counters over the subscriber's life.
struct SubscriberCounters {
  uint64_t events = 0;     // kEvent items handed out
  uint64_t lost = 0;       // sum of kOverrun items' `lost`
  uint64_t overflows = 0;  // ENOBUFS reports from the socket
  uint64_t malformed = 0;  // event messages that failed to decode (lost)
  uint64_t truncated = 0;  // messages larger than a receive slot (lost)
  uint64_t forged = 0;     // messages from a sender other than the kernel
};

class Subscriber {
 public:
  // Opens the socket, joins the controller's notify group, looks the family
  // up and joins its monitor group. Errors: NotFound (module not loaded,
  // unless options.wait_for_module), FailedPrecondition (another protocol
  // version), PermissionDenied (no CAP_NET_ADMIN), or the socket's errno.
  static absl::StatusOr<Subscriber> Connect(
      const SubscriberOptions& options = {});

  Subscriber(Subscriber&& other) noexcept;
  Subscriber& operator=(Subscriber&& other) noexcept;
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;
  ~Subscriber();

  // The socket, non-blocking, for poll/epoll (POLLIN / EPOLLIN).
  int fd() const { return fd_; }

  // Asks for a receive buffer of `bytes` (the kernel doubles it for its
  // bookkeeping): SO_RCVBUFFORCE when privileged, which ignores
  // net.core.rmem_max, else SO_RCVBUF, capped by rmem_max. Returns the size
  // the kernel now reports (SO_RCVBUF).
  absl::StatusOr<size_t> SetReceiveBuffer(size_t bytes);

  // Hands every item that can be had without blocking to `callback`, in
  // order, and returns how many (after an overflow, that includes the two
  // quick round trips of asking the module for its last event number). Returns an error only for a condition that
  // retrying will not fix (the socket failed, the module came back speaking
  // another protocol, joining the group failed); an overflow is an item.
  using Callback = absl::FunctionRef<void(const StreamItem&)>;
  absl::StatusOr<size_t> Dispatch(Callback callback);

  // Stores the next item in *item and returns true; waits up to `timeout`
  // (absl::InfiniteDuration() for ever, absl::ZeroDuration() not at all).
  // Returns false when the time ran out or a signal interrupted the wait.
  absl::StatusOr<bool> Next(StreamItem* item, absl::Duration timeout);

  const SubscriberCounters& counters() const { return counters_; }
  // The family id and monitor group now joined; 0 while the module is away.
  uint16_t family_id() const { return family_id_; }
  uint32_t group() const { return group_; }

 private:
  struct Batch;
  explicit Subscriber(int fd, std::string program);

  // Reads a batch of datagrams. OK with `*got` false when none is queued.
  absl::Status Fill(bool* got);
  // The next item from the batch, or false when it is used up.
  absl::StatusOr<bool> Take(StreamItem* item);
  // Handles one netlink message; true when it made *item.
  absl::StatusOr<bool> Handle(absl::Span<const uint8_t> msg, StreamItem* item);
  absl::StatusOr<bool> HandleController(absl::Span<const uint8_t> msg,
                                        StreamItem* item);
  absl::Status Join(uint16_t family_id, uint32_t group);
  // The module's last event number (Stats.last_seq), over a connection of
  // its own.
  static absl::StatusOr<uint64_t> QueryLastSeq(const std::string& program);

  int fd_ = -1;
  std::string program_;
  uint16_t family_id_ = 0;
  uint32_t group_ = 0;
  // The last sequence number seen; none yet right after Connect().
  bool have_seq_ = false;
  uint64_t last_seq_ = 0;
  // ENOBUFS seen, and the queue not yet drained since.
  bool overflow_pending_ = false;
  // A gap has been reported since that ENOBUFS.
  bool overflow_counted_ = false;
  // After an overflow: the module's last event number when the queue ran
  // dry; what is missing up to it when it runs dry again was lost.
  bool have_horizon_ = false;
  uint64_t horizon_ = 0;
  // An event decoded into event_ that waits behind an kOverrun item.
  bool event_held_ = false;
  std::unique_ptr<msg::Event> event_;
  std::unique_ptr<Batch> batch_;
  SubscriberCounters counters_;
};

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_SUBSCRIBER_H_
