// SPDX-License-Identifier: GPL-2.0
//
// The move-only owner of a connected generic netlink socket, the one way
// the library builds a request's headers, and its one request/answer
// exchange on top: send one
// request, read every message that answers it up to its ACK (or a dump's
// DONE), and turn a failed ACK into an absl::Status that carries the
// kernel's extended ACK. Every command goes through it, SIGNAL included.
//
// Written on the socket API rather than libnl's nl_sock: the exchange is
// send(2) and recvfrom(2) on the fd, each datagram read once into a buffer
// the socket keeps (libnl's nl_send() + nl_recv() allocate per datagram
// and peek first, two reads each, which doubled `kuchanctl signal`'s round
// trip, docs/benchmarks.md; and libnl 3.7's callbacks hide the
// extended-ACK attributes that follow struct nlmsgerr). What libnl was
// left doing (socket, bind, the port, a sequence counter) is four system
// calls, and linking it cost kuchanctl, a short-lived program measured
// against kill(1), its start-up constructors and pages.
#ifndef KUCHAN_USERSPACE_KUCHAN_SOCKET_H_
#define KUCHAN_USERSPACE_KUCHAN_SOCKET_H_

#include <linux/genetlink.h>
#include <linux/netlink.h>

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

// Starts a generic netlink request in *buf (replacing what it held): the
// nlmsghdr (type `family_id`, `flags` such as NLM_F_DUMP; its length, port
// and sequence number are Transact()'s to fill, as are NLM_F_REQUEST and
// NLM_F_ACK) and the genlmsghdr with `cmd` and `version`. The caller
// appends the attributes. A string the caller keeps is reused from one
// request to the next.
void StartGenlRequest(std::string* buf, uint16_t family_id, uint8_t cmd,
                      uint8_t version, uint16_t flags = 0);

// The bytes of those two headers: a request's attributes start here, and
// so do a reply's (kuchan and the controller declare no family header).
inline constexpr size_t kGenlHeaders = NLMSG_HDRLEN + GENL_HDRLEN;

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

// Owns a NETLINK_GENERIC socket bound to a port the kernel chose, with
// NETLINK_EXT_ACK and NETLINK_CAP_ACK on (see Open()).
class Socket {
 public:
  // Opens and binds the socket. ACKs are asked to carry extended
  // information (NETLINK_EXT_ACK) and not to echo the request
  // (NETLINK_CAP_ACK); kernels without them still work, with less detail.
  static absl::StatusOr<Socket> Open();

  Socket(Socket&& other) noexcept
      : fd_(other.fd_),
        port_(other.port_),
        seq_(other.seq_),
        recv_buf_(std::move(other.recv_buf_)) {
    other.fd_ = -1;
  }
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket();

  int fd() const { return fd_; }
  // The port the kernel bound the socket to (its nl_pid).
  uint32_t port() const { return port_; }

  // One whole netlink message answering a request, from its nlmsghdr.
  using ReplyFn = absl::FunctionRef<absl::Status(absl::Span<const uint8_t>)>;

  // Sends `request`, one whole netlink message (StartGenlRequest() and
  // the attributes): its length is set, its flags get NLM_F_REQUEST and
  // NLM_F_ACK (a dump's NLM_F_DUMP, if set, stays), its sequence number and
  // port are filled in. Then reads its answer: every reply message goes
  // to `on_reply`, up to the ACK (or NLMSG_DONE for a dump). Returns the
  // ACK's error as AckToStatus() spells it; when `on_reply` fails, the
  // rest of the answer is still read (so the next request does not see it)
  // and that first failure is returned. Blocks until the kernel answers.
  absl::Status Transact(std::string* request, const Request& req,
                        ReplyFn on_reply);

  // Bytes of the receive buffer: the kernel sizes a dump's datagrams to the
  // reader's buffer (at most 32 KiB less its overhead, netlink_recvmsg()),
  // and no reply to a kuchan or controller request comes near it. A
  // datagram that would not fit fails the exchange (DataLoss), never
  // silently truncated.
  static constexpr size_t kRecvSize = 32768;

 private:
  explicit Socket(int fd) : fd_(fd) {}
  int fd_;
  uint32_t port_ = 0;
  // The last request's sequence number: each request takes the next.
  uint32_t seq_ = 0;
  // Allocated at the first exchange and kept: no allocation per datagram.
  std::unique_ptr<uint8_t[]> recv_buf_;
};

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_SOCKET_H_
