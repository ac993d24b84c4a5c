// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/subscriber.h"

#include <linux/genetlink.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "userspace/kuchan/connection.h"
#include "userspace/kuchan/family.h"
#include "userspace/kuchan/genl_ctrl.msg.h"
#include "userspace/kuchan/kuchan.ops.h"
#include "userspace/kuchan/nla.h"
#include "userspace/kuchan/schema_constants.h"
#include "userspace/kuchan/status_macros.h"

namespace kuchan {
namespace {

// Datagrams read per recvmmsg(2), and the room for each. One multicast
// datagram holds one message: an event is a few hundred bytes, the
// controller's family announcements under a page. A bigger datagram is
// counted as truncated and, if it was an event, shows as a gap.
constexpr size_t kBatch = 64;
constexpr size_t kSlot = 8192;

constexpr size_t kGenlAttrs = NLMSG_HDRLEN + GENL_HDRLEN;

absl::Status SockOpt(int fd, int level, int opt, int value,
                     absl::string_view what) {
  if (setsockopt(fd, level, opt, &value, sizeof(value)) < 0) {
    return absl::ErrnoToStatus(errno, what);
  }
  return absl::OkStatus();
}

}  // namespace

const char* StreamItemKindName(StreamItem::Kind kind) {
  switch (kind) {
    case StreamItem::Kind::kEvent: return "event";
    case StreamItem::Kind::kOverrun: return "overrun";
    case StreamItem::Kind::kModuleUnloaded: return "module unloaded";
    case StreamItem::Kind::kModuleLoaded: return "module loaded again";
  }
  return "unknown";
}

// The datagrams of the last recvmmsg(2) and where the walk over them is.
struct Subscriber::Batch {
  Batch() : data(kBatch * kSlot) {
    for (size_t i = 0; i < kBatch; ++i) {
      iov[i].iov_base = data.data() + i * kSlot;
      iov[i].iov_len = kSlot;
    }
  }
  void Arm() {
    for (size_t i = 0; i < kBatch; ++i) {
      msgs[i] = {};
      msgs[i].msg_hdr.msg_name = &peers[i];
      msgs[i].msg_hdr.msg_namelen = sizeof(peers[i]);
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
  }

  std::vector<uint8_t> data;
  iovec iov[kBatch];
  sockaddr_nl peers[kBatch];
  mmsghdr msgs[kBatch];
  size_t count = 0;  // datagrams in the batch
  size_t index = 0;  // the datagram being walked
  size_t offset = 0;  // the next message in it
};

Subscriber::Subscriber(int fd, std::string program)
    : fd_(fd),
      program_(std::move(program)),
      event_(std::make_unique<msg::Event>()),
      batch_(std::make_unique<Batch>()) {}

Subscriber::Subscriber(Subscriber&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      program_(std::move(other.program_)),
      family_id_(other.family_id_),
      group_(other.group_),
      have_seq_(other.have_seq_),
      last_seq_(other.last_seq_),
      overflow_pending_(other.overflow_pending_),
      overflow_counted_(other.overflow_counted_),
      have_horizon_(other.have_horizon_),
      horizon_(other.horizon_),
      event_held_(other.event_held_),
      event_(std::move(other.event_)),
      batch_(std::move(other.batch_)),
      counters_(other.counters_) {}

Subscriber& Subscriber::operator=(Subscriber&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    program_ = std::move(other.program_);
    family_id_ = other.family_id_;
    group_ = other.group_;
    have_seq_ = other.have_seq_;
    last_seq_ = other.last_seq_;
    overflow_pending_ = other.overflow_pending_;
    overflow_counted_ = other.overflow_counted_;
    have_horizon_ = other.have_horizon_;
    horizon_ = other.horizon_;
    event_held_ = other.event_held_;
    event_ = std::move(other.event_);
    batch_ = std::move(other.batch_);
    counters_ = other.counters_;
  }
  return *this;
}

Subscriber::~Subscriber() {
  if (fd_ >= 0) close(fd_);
}

absl::StatusOr<Subscriber> Subscriber::Connect(
    const SubscriberOptions& options) {
  const int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
                        NETLINK_GENERIC);
  if (fd < 0) {
    return absl::ErrnoToStatus(errno, "opening a generic netlink socket");
  }
  Subscriber sub(fd, options.program);
  sockaddr_nl local = {};
  local.nl_family = AF_NETLINK;
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)) < 0) {
    return absl::ErrnoToStatus(errno, "binding a generic netlink socket");
  }
  if (options.receive_buffer != 0) {
    RETURN_IF_ERROR(sub.SetReceiveBuffer(options.receive_buffer).status());
  }
  // The controller's "notify" group first, so that an unload between the
  // look-up below and the join is announced rather than missed. Its id is
  // fixed: genetlink.c registers nlctrl with mcgrp_offset = GENL_ID_CTRL.
  RETURN_IF_ERROR(SockOpt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, GENL_ID_CTRL,
                          "joining the genetlink controller's notify group"));

  absl::StatusOr<Connection> conn = Connection::Open(options.program);
  if (absl::IsNotFound(conn.status()) && options.wait_for_module) {
    return sub;
  }
  if (!conn.ok()) return conn.status();
  RETURN_IF_ERROR(sub.Join(conn->family_id(), conn->monitor_group()));
  return sub;
}

absl::Status Subscriber::Join(uint16_t family_id, uint32_t group) {
  const int g = static_cast<int>(group);
  if (setsockopt(fd_, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)) < 0) {
    const int e = errno;
    const std::string what = absl::StrFormat(
        "joining the %s family's `%s' multicast group (id %d)",
        SchemaFamilyName(), SchemaMonitorGroupName(), group);
    if (e == EPERM || e == EACCES) {
      return absl::PermissionDeniedError(absl::StrCat(
          what, ": permission denied: reading events needs CAP_NET_ADMIN "
                "(events name other users' processes); run as root"));
    }
    return absl::ErrnoToStatus(e, what);
  }
  family_id_ = family_id;
  group_ = group;
  return absl::OkStatus();
}

absl::StatusOr<size_t> Subscriber::SetReceiveBuffer(size_t bytes) {
  if (bytes > static_cast<size_t>(INT32_MAX) / 2) bytes = INT32_MAX / 2;
  const int size = static_cast<int>(bytes);
  if (setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0) {
    if (errno != EPERM) {
      return absl::ErrnoToStatus(errno, "setting the receive buffer size");
    }
    RETURN_IF_ERROR(SockOpt(fd_, SOL_SOCKET, SO_RCVBUF, size,
                            "setting the receive buffer size"));
  }
  int now = 0;
  socklen_t len = sizeof(now);
  if (getsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &now, &len) < 0) {
    return absl::ErrnoToStatus(errno, "reading the receive buffer size");
  }
  return static_cast<size_t>(now);
}

absl::Status Subscriber::Fill(bool* got) {
  *got = false;
  Batch& b = *batch_;
  for (;;) {
    b.Arm();
    const int n = recvmmsg(fd_, b.msgs, kBatch, MSG_DONTWAIT, nullptr);
    if (n > 0) {
      b.count = static_cast<size_t>(n);
      b.index = 0;
      b.offset = 0;
      *got = true;
      return absl::OkStatus();
    }
    if (n == 0) return absl::OkStatus();
    switch (errno) {
      case EINTR:
        continue;
      case EAGAIN:
        return absl::OkStatus();
      case ENOBUFS:
        // The queue overflowed and the kernel dropped messages; what was
        // queued before is still there. Count it and read on: the gap in
        // the sequence numbers says how many events went.
        ++counters_.overflows;
        overflow_pending_ = true;
        continue;
      default:
        return absl::ErrnoToStatus(errno, "reading kuchan events");
    }
  }
}

absl::StatusOr<bool> Subscriber::Take(StreamItem* item) {
  if (event_held_) {
    event_held_ = false;
    ++counters_.events;
    item->kind = StreamItem::Kind::kEvent;
    item->event = event_.get();
    item->lost = 0;
    return true;
  }
  Batch& b = *batch_;
  while (b.index < b.count) {
    const msghdr& h = b.msgs[b.index].msg_hdr;
    const size_t len = b.msgs[b.index].msg_len;
    const uint8_t* data = static_cast<const uint8_t*>(h.msg_iov->iov_base);
    if (h.msg_flags & MSG_TRUNC) {
      ++counters_.truncated;
      ++b.index;
      b.offset = 0;
      continue;
    }
    if (b.peers[b.index].nl_pid != 0) {
      // Not from the kernel: anyone can send to a bound netlink socket.
      ++counters_.forged;
      ++b.index;
      b.offset = 0;
      continue;
    }
    // A malformed message ends the walk: the rest of the datagram is
    // dropped.
    NlmsgReader messages(absl::Span<const uint8_t>(data, len), b.offset);
    nlmsghdr hdr;
    absl::Span<const uint8_t> m;
    while (messages.Next(&hdr, &m)) {
      b.offset = messages.offset();
      ASSIGN_OR_RETURN(bool made, Handle(m, item));
      if (made) return true;
    }
    ++b.index;
    b.offset = 0;
  }
  return false;
}

absl::StatusOr<bool> Subscriber::Handle(absl::Span<const uint8_t> msg,
                                        StreamItem* item) {
  nlmsghdr hdr;
  std::memcpy(&hdr, msg.data(), sizeof(hdr));
  if (hdr.nlmsg_type == GENL_ID_CTRL) return HandleController(msg, item);
  if (family_id_ == 0 || hdr.nlmsg_type != family_id_ ||
      msg.size() < kGenlAttrs) {
    return false;
  }
  genlmsghdr gnlh;
  std::memcpy(&gnlh, msg.data() + NLMSG_HDRLEN, sizeof(gnlh));
  if (gnlh.cmd != msg::CMD_EVENT_NTF) return false;

  // An event type or origin this build does not know is kept as its
  // number (the enums' underlying type holds it); the decoder refuses only
  // what breaks the schema.
  if (!msg::Decode(msg.subspan(kGenlAttrs), event_.get()).ok() ||
      !event_->seq) {
    // Its number is unknown: the next event's gap counts it as lost.
    ++counters_.malformed;
    return false;
  }
  const uint64_t seq = *event_->seq;
  uint64_t lost = 0;
  if (have_seq_ && seq > last_seq_ + 1) lost = seq - last_seq_ - 1;
  // A number that goes back means the module's counter restarted without
  // our seeing it go (its announcements lost in an overflow): start over.
  have_seq_ = true;
  last_seq_ = seq;
  // An overflow is not settled by the first event after it: events queued
  // before the drop come first, with no gap. It is settled when the queue
  // runs dry (Next()).
  if (lost > 0) {
    if (overflow_pending_) overflow_counted_ = true;
    counters_.lost += lost;
    item->kind = StreamItem::Kind::kOverrun;
    item->event = nullptr;
    item->lost = lost;
    event_held_ = true;
    return true;
  }
  ++counters_.events;
  item->kind = StreamItem::Kind::kEvent;
  item->event = event_.get();
  item->lost = 0;
  return true;
}

absl::StatusOr<bool> Subscriber::HandleController(
    absl::Span<const uint8_t> msg, StreamItem* item) {
  if (msg.size() < kGenlAttrs) return false;
  genlmsghdr gnlh;
  std::memcpy(&gnlh, msg.data() + NLMSG_HDRLEN, sizeof(gnlh));
  if (gnlh.cmd == CTRL_CMD_DELFAMILY) {
    genl::msg::CtrlFamily ctrl;
    if (!Decode(msg.subspan(kGenlAttrs), &ctrl).ok() ||
        ctrl.family_name != SchemaFamilyName() || family_id_ == 0) {
      return false;
    }
    // The kernel has already taken every socket out of the family's groups;
    // dropping ours too keeps a reused group id from reaching us.
    const int g = static_cast<int>(group_);
    setsockopt(fd_, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, &g, sizeof(g));
    family_id_ = 0;
    group_ = 0;
    item->kind = StreamItem::Kind::kModuleUnloaded;
    item->event = nullptr;
    item->lost = 0;
    return true;
  }
  if (gnlh.cmd != CTRL_CMD_NEWFAMILY) return false;
  absl::StatusOr<FamilyInfo> info = ParseNewFamily(msg);
  if (!info.ok() || info->name != SchemaFamilyName()) return false;
  if (info->version != SchemaVersion()) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s module loaded again speaks protocol version %d but this %s was "
        "built for version %d: rebuild %s or load the matching module",
        SchemaFamilyName(), info->version, program_, SchemaVersion(),
        program_));
  }
  const FamilyGroup* monitor = info->FindGroup(SchemaMonitorGroupName());
  if (monitor == nullptr) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s module loaded again has no multicast group `%s'",
        SchemaFamilyName(), SchemaMonitorGroupName()));
  }
  RETURN_IF_ERROR(Join(info->id, monitor->id));
  // The new module numbers its events from 1.
  have_seq_ = true;
  last_seq_ = 0;
  overflow_pending_ = false;
  overflow_counted_ = false;
  have_horizon_ = false;
  item->kind = StreamItem::Kind::kModuleLoaded;
  item->event = nullptr;
  item->lost = 0;
  return true;
}

absl::StatusOr<uint64_t> Subscriber::QueryLastSeq(const std::string& program) {
  // A connection of its own: the subscriber's socket carries the stream.
  // Only after an overflow, so its cost (two round trips) does not matter.
  ASSIGN_OR_RETURN(Connection conn, Connection::Open(program));
  msg::Stats stats;
  RETURN_IF_ERROR(msg::GetStats(conn, &stats));
  if (!stats.last_seq) {
    return absl::UnimplementedError("the module does not report last_seq");
  }
  return *stats.last_seq;
}

absl::StatusOr<size_t> Subscriber::Dispatch(Callback callback) {
  size_t n = 0;
  StreamItem item;
  for (;;) {
    ASSIGN_OR_RETURN(bool ok, Next(&item, absl::ZeroDuration()));
    if (!ok) return n;
    callback(item);
    ++n;
  }
}

absl::StatusOr<bool> Subscriber::Next(StreamItem* item,
                                      absl::Duration timeout) {
  // The clock is read only when there is nothing to hand out: on some
  // machines (a VM without a usable TSC) each read is a system call.
  absl::Time deadline = absl::InfinitePast();
  for (;;) {
    ASSIGN_OR_RETURN(bool made, Take(item));
    if (made) return true;
    bool got = false;
    RETURN_IF_ERROR(Fill(&got));
    if (got) continue;
    // Nothing queued. An overflow with no event after it yet: count what it
    // cost now rather than when the next event comes, which may be never
    // (the end of a burst). The module's last event number bounds it: each
    // event up to there was queued here, and is read by the drain this
    // `continue` starts, or lost.
    if (overflow_pending_) {
      overflow_pending_ = false;
      const bool counted = std::exchange(overflow_counted_, false);
      if (have_seq_) {
        absl::StatusOr<uint64_t> last = QueryLastSeq(program_);
        if (last.ok()) {
          horizon_ = have_horizon_ ? std::max(horizon_, *last) : *last;
          have_horizon_ = true;
          continue;
        }
      }
      // No number to count against (no CAP_NET_ADMIN left, an old module,
      // no event seen yet) and no gap has told the count: say so, and the
      // next event's gap says how many.
      if (!counted) {
        item->kind = StreamItem::Kind::kOverrun;
        item->event = nullptr;
        item->lost = 0;
        return true;
      }
    }
    if (have_horizon_) {
      have_horizon_ = false;
      if (horizon_ > last_seq_) {
        const uint64_t lost = horizon_ - last_seq_;
        last_seq_ = horizon_;
        counters_.lost += lost;
        item->kind = StreamItem::Kind::kOverrun;
        item->event = nullptr;
        item->lost = lost;
        return true;
      }
    }
    int wait_ms = -1;
    if (timeout <= absl::ZeroDuration()) return false;
    if (timeout != absl::InfiniteDuration()) {
      const absl::Time now = absl::Now();
      if (deadline == absl::InfinitePast()) deadline = now + timeout;
      const absl::Duration left = deadline - now;
      if (left <= absl::ZeroDuration()) return false;
      wait_ms = static_cast<int>(absl::ToInt64Milliseconds(
          left + absl::Milliseconds(1) - absl::Nanoseconds(1)));
    }
    pollfd p = {fd_, POLLIN, 0};
    const int r = poll(&p, 1, wait_ms);
    if (r < 0) {
      if (errno == EINTR) return false;
      return absl::ErrnoToStatus(errno, "waiting for kuchan events");
    }
    if (r == 0) return false;
  }
}

}  // namespace kuchan
