// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/socket.h"

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "userspace/kuchan/extack.h"
#include "userspace/kuchan/nla.h"
#include "userspace/kuchan/status_macros.h"

namespace kuchan {

// ---------------------------------------------------------------------------
// Requests.
// ---------------------------------------------------------------------------
void StartGenlRequest(std::string* buf, uint16_t family_id, uint8_t cmd,
                      uint8_t version, uint16_t flags) {
  buf->assign(kGenlHeaders, '\0');
  nlmsghdr nlh{};
  nlh.nlmsg_type = family_id;
  nlh.nlmsg_flags = flags;
  genlmsghdr gnl{};
  gnl.cmd = cmd;
  gnl.version = version;
  std::memcpy(buf->data(), &nlh, sizeof(nlh));
  std::memcpy(buf->data() + NLMSG_HDRLEN, &gnl, sizeof(gnl));
}

namespace {

// The message of a malformed answer: the kernel does not send those, so
// this means a bug here or memory corruption; say so plainly.
absl::Status Malformed(absl::string_view context, absl::string_view what) {
  return absl::DataLossError(
      absl::StrCat(context, ": malformed answer from the kernel: ", what));
}

// Names the attribute an extended ACK's offset points at, when the request
// can.
std::string BadAttrName(const ExtAck& ack, const Request& req,
                        const nlmsghdr* request) {
  constexpr size_t kAttrs = kGenlHeaders;
  if (!ack.bad_attr_offset || !req.name_attr) return "";
  const size_t off = *ack.bad_attr_offset;
  if (off < kAttrs || request->nlmsg_len <= kAttrs) return "";
  absl::Span<const uint8_t> attrs(
      reinterpret_cast<const uint8_t*>(request) + kAttrs,
      request->nlmsg_len - kAttrs);
  return req.name_attr(attrs, off - kAttrs);
}

}  // namespace

// ---------------------------------------------------------------------------
// Socket.
// ---------------------------------------------------------------------------
absl::StatusOr<Socket> Socket::Open() {
  const int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
  if (fd < 0) {
    return absl::ErrnoToStatus(errno, "opening a generic netlink socket");
  }
  Socket s(fd);
  // Port 0: the kernel picks one that is free, as libnl's
  // nl_connect() lets it.
  sockaddr_nl local = {};
  local.nl_family = AF_NETLINK;
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)) < 0) {
    return absl::ErrnoToStatus(errno, "binding a generic netlink socket");
  }
  socklen_t len = sizeof(local);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) < 0) {
    return absl::ErrnoToStatus(errno, "reading a netlink socket's port");
  }
  s.port_ = local.nl_pid;
  // Both options only add to or trim the ACK; kernels older than 4.12
  // (NETLINK_EXT_ACK) or 4.3 (NETLINK_CAP_ACK) refuse them with
  // ENOPROTOOPT, and the ACK parser copes with either layout.
  const int one = 1;
  for (int opt : {NETLINK_EXT_ACK, NETLINK_CAP_ACK}) {
    if (setsockopt(fd, SOL_NETLINK, opt, &one, sizeof(one)) < 0 &&
        errno != ENOPROTOOPT) {
      return absl::ErrnoToStatus(
          errno, absl::StrFormat("setting netlink socket option %d", opt));
    }
  }
  return s;
}

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    port_ = other.port_;
    seq_ = other.seq_;
    recv_buf_ = std::move(other.recv_buf_);
  }
  return *this;
}

Socket::~Socket() {
  if (fd_ >= 0) close(fd_);
}

absl::Status Socket::Transact(std::string* request_buf, const Request& req,
                              ReplyFn on_reply) {
  const absl::Span<uint8_t> bytes(
      reinterpret_cast<uint8_t*>(request_buf->data()), request_buf->size());
  if (bytes.size() < NLMSG_HDRLEN) {
    return absl::InvalidArgumentError(
        absl::StrCat(req.context, ": no netlink header to send"));
  }
  auto* request = reinterpret_cast<nlmsghdr*>(bytes.data());
  request->nlmsg_len = static_cast<uint32_t>(bytes.size());
  request->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
  const uint32_t seq = request->nlmsg_seq = ++seq_;
  const uint32_t port = request->nlmsg_pid = this->port();
  const int fd = this->fd();
  ssize_t n;
  do {
    n = send(fd, bytes.data(), bytes.size(), 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat(req.context, ": sending"));
  }

  // Not zeroed (make_unique<T[]> would): only what the kernel writes is
  // read, and zeroing 32 KiB touched 8 pages that a short-lived kuchanctl
  // then faulted in for nothing.
  if (!recv_buf_) recv_buf_.reset(new uint8_t[kRecvSize]);
  absl::Status reply_status;  // The first on_reply failure.
  bool interrupted = false;   // A dump changed while it was read.
  for (;;) {
    sockaddr_nl peer = {};
    socklen_t peer_len = sizeof(peer);
    // recvfrom(), not recvmsg(): the lighter syscall, on the hot path of
    // every SIGNAL. MSG_TRUNC makes it return the datagram's whole length.
    do {
      n = recvfrom(fd, recv_buf_.get(), kRecvSize, MSG_TRUNC,
                   reinterpret_cast<sockaddr*>(&peer), &peer_len);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      // ENOBUFS: the socket's buffer overflowed, and the answer may be
      // among what was dropped: say so rather than wait for it.
      return absl::ErrnoToStatus(errno,
                                 absl::StrCat(req.context, ": receiving"));
    }
    if (n == 0) {
      return absl::UnavailableError(
          absl::StrCat(req.context, ": no answer from the kernel"));
    }
    if (static_cast<size_t>(n) > kRecvSize) {
      return Malformed(req.context,
                       absl::StrFormat("a datagram of %d bytes, larger than %d",
                                       n, kRecvSize));
    }
    if (peer.nl_pid != 0) continue;  // Only the kernel answers requests.

    const absl::Span<const uint8_t> buf(recv_buf_.get(),
                                        static_cast<size_t>(n));
    NlmsgReader messages(buf);
    nlmsghdr hdr;
    absl::Span<const uint8_t> m;
    while (messages.Next(&hdr, &m)) {
      // Answers to an earlier request that gave up, or notifications.
      if (hdr.nlmsg_seq != seq || hdr.nlmsg_pid != port) continue;
      if (hdr.nlmsg_flags & NLM_F_DUMP_INTR) interrupted = true;

      switch (hdr.nlmsg_type) {
        case NLMSG_NOOP:
          continue;
        case NLMSG_OVERRUN:
          return absl::DataLossError(
              absl::StrCat(req.context, ": netlink overrun: answer lost"));
        case NLMSG_ERROR:
        case NLMSG_DONE: {
          // The common case, a plain success ACK, without parsing it.
          nlmsgerr err;
          if (hdr.nlmsg_type == NLMSG_ERROR && !interrupted &&
              m.size() >= NLMSG_HDRLEN + sizeof(err)) {
            std::memcpy(&err, m.data() + NLMSG_HDRLEN, sizeof(err));
            if (err.error == 0) return reply_status;
          }
          absl::StatusOr<ExtAck> ack = ParseAck(m);
          if (!ack.ok()) return Malformed(req.context, ack.status().message());
          RETURN_IF_ERROR(
              AckToStatus(*ack, req.context, BadAttrName(*ack, req, request)));
          if (interrupted) {
            return absl::AbortedError(absl::StrCat(
                req.context, ": the dump changed while it was read; retry"));
          }
          return reply_status;
        }
        default:
          if (reply_status.ok()) reply_status = on_reply(m);
      }
    }
    if (messages.malformed()) {
      return Malformed(req.context,
                       absl::StrFormat("nlmsg_len %d at byte %d of %d",
                                       hdr.nlmsg_len, messages.offset(),
                                       buf.size()));
    }
  }
}

}  // namespace kuchan
