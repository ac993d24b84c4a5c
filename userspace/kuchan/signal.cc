// SPDX-License-Identifier: GPL-2.0
//
// Client::Signal() and its encoder (see signal.h for why they bypass
// reflection).
#include "userspace/kuchan/signal.h"

#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "kernel/uapi/kuchan.h"
#include "userspace/kuchan/client.h"
#include "userspace/kuchan/codec.h"
#include "userspace/kuchan/extack.h"
#include "userspace/kuchan/schema.h"

namespace kuchan {
namespace {

void Put(std::string* out, uint16_t type, const void* data, size_t len) {
  nlattr nla;
  nla.nla_len = static_cast<uint16_t>(NLA_HDRLEN + len);
  nla.nla_type = type;
  const size_t at = out->size();
  out->resize(at + NLA_HDRLEN + NLA_ALIGN(len));
  char* p = out->data() + at;
  std::memcpy(p, &nla, sizeof(nla));
  if (len > 0) std::memcpy(p + NLA_HDRLEN, data, len);
  std::memset(p + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
}

// Opens a nest; Close() fills in its length.
size_t Open(std::string* out, uint16_t type) {
  const size_t at = out->size();
  Put(out, type | NLA_F_NESTED, nullptr, 0);
  return at;
}

void Close(std::string* out, size_t at) {
  const uint16_t len = static_cast<uint16_t>(out->size() - at);
  std::memcpy(out->data() + at, &len, sizeof(len));
}

constexpr size_t kHeaders = NLMSG_HDRLEN + GENL_HDRLEN;
constexpr size_t kRecvSize = 16384;

}  // namespace

void EncodeSignalRequest(const SignalRequest& req, std::string* out) {
  if (req.targets_size() > 0) {
    const size_t list = Open(out, KUCHAN_A_SIGNAL_TARGETS);
    for (int i = 0; i < req.targets_size(); i++) {
      const SignalTarget& t = req.targets(i);
      const size_t member = Open(out, static_cast<uint16_t>(i + 1));
      if (t.has_pid()) {
        const int32_t pid = t.pid();
        Put(out, KUCHAN_A_TARGET_PID, &pid, sizeof(pid));
      }
      if (t.has_start_time()) {
        const uint64_t start = t.start_time();
        Put(out, KUCHAN_A_TARGET_START_TIME, &start, sizeof(start));
      }
      Close(out, member);
    }
    Close(out, list);
  }
  if (req.has_signal()) {
    const uint32_t sig = req.signal();
    Put(out, KUCHAN_A_SIGNAL_SIGNAL, &sig, sizeof(sig));
  }
  if (req.has_value()) {
    const int32_t value = req.value();
    Put(out, KUCHAN_A_SIGNAL_VALUE, &value, sizeof(value));
  }
}

absl::Status Client::Signal(const SignalRequest& req, SignalReply* results) {
  // Send and receive straight on the socket's fd, with buffers kept from
  // call to call: libnl's nl_send_auto() + nl_wait_for_ack() path costs
  // about twice a bare socket's round trip (docs/benchmarks.md).
  std::string& msg = send_buf_;
  msg.assign(kHeaders, '\0');
  EncodeSignalRequest(req, &msg);
  nlmsghdr nlh{};
  nlh.nlmsg_len = static_cast<uint32_t>(msg.size());
  nlh.nlmsg_type = family_id_;
  nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  nlh.nlmsg_seq = nl_socket_use_seq(sock_.get());
  nlh.nlmsg_pid = sock_.port();
  genlmsghdr gnl{};
  gnl.cmd = KUCHAN_CMD_SIGNAL;
  gnl.version = static_cast<uint8_t>(SchemaVersion());
  std::memcpy(msg.data(), &nlh, sizeof(nlh));
  std::memcpy(msg.data() + NLMSG_HDRLEN, &gnl, sizeof(gnl));

  const int fd = sock_.fd();
  ssize_t n;
  do {
    n = send(fd, msg.data(), msg.size(), 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return absl::ErrnoToStatus(errno, "kuchan signal: sending");

  if (!recv_buf_) recv_buf_.reset(new uint8_t[kRecvSize]);
  uint8_t* buf = recv_buf_.get();
  for (;;) {
    do {
      n = recv(fd, buf, kRecvSize, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return absl::ErrnoToStatus(errno, "kuchan signal: receiving");
    size_t off = 0;
    const size_t len = static_cast<size_t>(n);
    while (len - off >= NLMSG_HDRLEN) {
      nlmsghdr h;
      std::memcpy(&h, buf + off, sizeof(h));
      if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - off) {
        return absl::DataLossError(
            "kuchan signal: malformed answer from the kernel");
      }
      const absl::Span<const uint8_t> m(buf + off, h.nlmsg_len);
      off += std::min<size_t>(NLMSG_ALIGN(h.nlmsg_len), len - off);
      if (h.nlmsg_seq != nlh.nlmsg_seq) continue;  // an earlier request's
      if (h.nlmsg_type == family_id_) {
        // Per-target results: they come before the failed ACK.
        if (results != nullptr && m.size() >= kHeaders) {
          absl::Status s = DecodeAttrs(m.subspan(kHeaders), results);
          if (!s.ok()) {
            return absl::DataLossError(
                absl::StrCat("kuchan signal: results: ", s.message()));
          }
        }
        continue;
      }
      if (h.nlmsg_type != NLMSG_ERROR) continue;
      nlmsgerr err;
      if (m.size() < NLMSG_HDRLEN + sizeof(err)) {
        return absl::DataLossError("kuchan signal: truncated ACK");
      }
      std::memcpy(&err, m.data() + NLMSG_HDRLEN, sizeof(err));
      if (err.error == 0) return absl::OkStatus();  // the common case
      absl::StatusOr<ExtAck> ack = ParseAck(m);
      if (!ack.ok()) return ack.status();
      std::string bad_attr;
      if (ack->bad_attr_offset && *ack->bad_attr_offset >= kHeaders) {
        bad_attr = DescribeAttrAt(
            SignalRequest::descriptor(),
            absl::Span<const uint8_t>(
                reinterpret_cast<const uint8_t*>(msg.data()) + kHeaders,
                msg.size() - kHeaders),
            *ack->bad_attr_offset - kHeaders);
      }
      return AckToStatus(*ack, "kuchan signal", bad_attr);
    }
  }
}

}  // namespace kuchan
