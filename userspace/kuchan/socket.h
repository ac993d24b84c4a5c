// SPDX-License-Identifier: GPL-2.0
//
// Move-only owners of libnl's nl_msg and of a connected generic netlink
// socket, and the library's one request/answer exchange on top: send one
// request, read every message that answers it up to its ACK (or a dump's
// DONE), and turn a failed ACK into an absl::Status that carries the
// kernel's extended ACK. Every command goes through it, SIGNAL included.
//
// libnl does the socket and its port and sequence bookkeeping. The
// exchange itself is send(2) and recvmsg(2) on the socket's fd, each
// datagram read once into a buffer the socket keeps: libnl's nl_send() +
// nl_recv() allocate per datagram and peek first (two reads each), which
// doubled `kuchanctl signal`'s round trip (docs/benchmarks.md); and
// libnl 3.7's callbacks hide the extended-ACK attributes that follow
// struct nlmsgerr.
#ifndef KUCHAN_USERSPACE_KUCHAN_SOCKET_H_
#define KUCHAN_USERSPACE_KUCHAN_SOCKET_H_

#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace kuchan {

// Owns an nl_msg.
class NlMsg {
 public:
  // An empty message with room for `size` bytes (headers included); 0 means
  // libnl's default (a page).
  static absl::StatusOr<NlMsg> Alloc(size_t size = 0);

  NlMsg(NlMsg&& other) noexcept : msg_(other.msg_) { other.msg_ = nullptr; }
  NlMsg& operator=(NlMsg&& other) noexcept;
  NlMsg(const NlMsg&) = delete;
  NlMsg& operator=(const NlMsg&) = delete;
  ~NlMsg();

  nl_msg* get() const { return msg_; }

 private:
  explicit NlMsg(nl_msg* msg) : msg_(msg) {}
  nl_msg* msg_;
};

// Starts a generic netlink request in *msg: the genlmsghdr with `cmd` and
// `version` for family `family_id`, port and sequence number left for
// Socket::Transact to fill.
absl::Status PutGenlHeader(NlMsg* msg, uint16_t family_id, uint8_t cmd,
                           uint8_t version);

// Names the attribute holding byte `offset` of a request's attributes (the
// bytes after its genlmsghdr), to explain an extended ACK's
// NLMSGERR_ATTR_OFFS; "" when it cannot. codec.h's AttrNamerFor() makes
// one from a schema set. A function rather than the set itself, so that
// the socket needs no protobuf (the signal path links none: connection.h).
using AttrNamer =
    std::function<std::string(absl::Span<const uint8_t> attrs, size_t offset)>;

// Options of one exchange; all optional.
struct Request {
  // Prefix of error messages: what was being done ("sending signal").
  absl::string_view context = "netlink request";
  // Names the attribute an extended ACK points at.
  AttrNamer name_attr;
};

// Owns an nl_sock connected to NETLINK_GENERIC, with NETLINK_EXT_ACK and
// NETLINK_CAP_ACK on (see Open()).
class Socket {
 public:
  // Allocates and connects the socket. ACKs are asked to carry extended
  // information (NETLINK_EXT_ACK) and not to echo the request
  // (NETLINK_CAP_ACK); kernels without them still work, with less detail.
  static absl::StatusOr<Socket> Open();

  Socket(Socket&& other) noexcept
      : sk_(other.sk_), recv_buf_(std::move(other.recv_buf_)) {
    other.sk_ = nullptr;
  }
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket();

  nl_sock* get() const { return sk_; }
  int fd() const;
  uint32_t port() const;

  // One whole netlink message answering a request, from its nlmsghdr.
  using ReplyFn = absl::FunctionRef<absl::Status(absl::Span<const uint8_t>)>;

  // Sends `msg` (NLM_F_REQUEST and NLM_F_ACK are added, port and sequence
  // number filled in) and reads its answer: every reply message goes to
  // `on_reply`, up to the ACK (or NLMSG_DONE for a dump). Returns the ACK's
  // error as AckToStatus() spells it; when `on_reply` fails, the rest of
  // the answer is still read (so the next request does not see it) and
  // that first failure is returned. Blocks until the kernel answers.
  absl::Status Transact(NlMsg& msg, const Request& req, ReplyFn on_reply);

  // The same for a request built in place: `request` holds one whole
  // netlink message (nlmsghdr with its length and type, genlmsghdr,
  // attributes); its flags get NLM_F_REQUEST and NLM_F_ACK, its sequence
  // number and port are filled in here.
  absl::Status Transact(absl::Span<uint8_t> request, const Request& req,
                        ReplyFn on_reply);

  // Bytes of the receive buffer: the kernel sizes a dump's datagrams to the
  // reader's buffer (at most 32 KiB less its overhead, netlink_recvmsg()),
  // and no reply to a kuchan or controller request comes near it. A
  // datagram that would not fit fails the exchange (DataLoss), never
  // silently truncated.
  static constexpr size_t kRecvSize = 32768;

 private:
  explicit Socket(nl_sock* sk) : sk_(sk) {}
  nl_sock* sk_;
  // Allocated at the first exchange and kept: no allocation per datagram.
  std::unique_ptr<uint8_t[]> recv_buf_;
};

// A libnl error code (negative NLE_*) as a status, prefixed by `context`.
absl::Status NlErrorToStatus(int nlerr, absl::string_view context);

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_SOCKET_H_
