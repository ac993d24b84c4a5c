// SPDX-License-Identifier: GPL-2.0
#include "tests/raw/raw_genl.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace kuchan::raw {

Attrs& Attrs::Put(uint16_t type, const void* data, size_t len) {
  nlattr nla{};
  nla.nla_len = static_cast<uint16_t>(NLA_HDRLEN + len);
  nla.nla_type = type;
  buf_.append(reinterpret_cast<const char*>(&nla), sizeof(nla));
  buf_.append(static_cast<const char*>(data), len);
  buf_.append(NLA_ALIGN(len) - len, '\0');
  return *this;
}

Attrs& Attrs::Nest(uint16_t type, const Attrs& inner) {
  return Put(type | NLA_F_NESTED, inner.bytes().data(), inner.bytes().size());
}

std::map<int, std::string> ParseAttrs(const std::string& b) {
  std::map<int, std::string> m;
  size_t off = 0;
  while (off + NLA_HDRLEN <= b.size()) {
    nlattr a;
    memcpy(&a, b.data() + off, sizeof(a));
    if (a.nla_len < NLA_HDRLEN || off + a.nla_len > b.size()) break;
    m[a.nla_type & NLA_TYPE_MASK] =
        b.substr(off + NLA_HDRLEN, a.nla_len - NLA_HDRLEN);
    off += NLA_ALIGN(a.nla_len);
  }
  return m;
}

std::vector<std::string> ParseAll(const std::string& b, int type) {
  std::vector<std::string> v;
  size_t off = 0;
  while (off + NLA_HDRLEN <= b.size()) {
    nlattr a;
    memcpy(&a, b.data() + off, sizeof(a));
    if (a.nla_len < NLA_HDRLEN || off + a.nla_len > b.size()) break;
    if ((a.nla_type & NLA_TYPE_MASK) == type)
      v.push_back(b.substr(off + NLA_HDRLEN, a.nla_len - NLA_HDRLEN));
    off += NLA_ALIGN(a.nla_len);
  }
  return v;
}

Socket::Socket() : Socket(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
                                 NETLINK_GENERIC)) {}

Socket::Socket(int fd) : fd_(fd) {
  if (fd_ < 0) return;
  int one = 1;
  setsockopt(fd_, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
  setsockopt(fd_, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
}

Socket::~Socket() {
  if (fd_ >= 0) close(fd_);
}

std::string Socket::Build(uint16_t family, uint8_t cmd,
                          const std::string& attrs, uint32_t seq,
                          uint8_t version) const {
  nlmsghdr nlh{};
  genlmsghdr gnl{};
  nlh.nlmsg_len = static_cast<uint32_t>(NLMSG_HDRLEN + GENL_HDRLEN + attrs.size());
  nlh.nlmsg_type = family;
  nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  nlh.nlmsg_seq = seq;
  gnl.cmd = cmd;
  gnl.version = version;
  std::string msg(reinterpret_cast<const char*>(&nlh), sizeof(nlh));
  msg.append(reinterpret_cast<const char*>(&gnl), sizeof(gnl));
  msg.append(attrs);
  return msg;
}

Reply Socket::Request(uint16_t family, uint8_t cmd, const std::string& attrs,
                      uint8_t version) {
  uint32_t seq = NextSeq();
  return SendRaw(Build(family, cmd, attrs, seq, version), seq);
}

Reply Socket::SendRaw(const std::string& msg, uint32_t seq) {
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (sendto(fd_, msg.data(), msg.size(), 0,
             reinterpret_cast<sockaddr*>(&kernel), sizeof(kernel)) < 0) {
    Reply r;
    r.error = errno;
    return r;
  }
  return Receive(seq);
}

Reply Socket::Receive(uint32_t seq) {
  Reply r;
  alignas(nlmsghdr) char buf[32768];
  for (;;) {
    ssize_t n = recv(fd_, buf, sizeof(buf), 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      r.error = errno;
      return r;
    }
    size_t len = static_cast<size_t>(n);
    for (auto* nlh = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(nlh, len);
         nlh = NLMSG_NEXT(nlh, len)) {
      if (nlh->nlmsg_seq != seq) continue;
      if (nlh->nlmsg_type != NLMSG_ERROR) {
        r.messages.emplace_back(static_cast<char*>(NLMSG_DATA(nlh)),
                                nlh->nlmsg_len - NLMSG_HDRLEN);
        continue;
      }
      auto* err = static_cast<nlmsgerr*>(NLMSG_DATA(nlh));
      r.error = -err->error;
      // With NETLINK_CAP_ACK the request is not echoed back, so the TLVs
      // start right after struct nlmsgerr; they are there only when the
      // kernel sets NLM_F_ACK_TLVS.
      if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
        char* p = reinterpret_cast<char*>(err) + sizeof(*err);
        char* end = reinterpret_cast<char*>(nlh) + nlh->nlmsg_len;
        while (p + NLA_HDRLEN <= end) {
          auto* nla = reinterpret_cast<nlattr*>(p);
          if (nla->nla_len < NLA_HDRLEN || p + nla->nla_len > end) break;
          const char* data = p + NLA_HDRLEN;
          size_t dlen = nla->nla_len - NLA_HDRLEN;
          switch (nla->nla_type & NLA_TYPE_MASK) {
            case NLMSGERR_ATTR_MSG:
              r.extack.assign(data, strnlen(data, dlen));
              break;
            case NLMSGERR_ATTR_OFFS:
              if (dlen == 4) {
                uint32_t off;
                memcpy(&off, data, 4);
                r.bad_attr_offset = static_cast<int>(off);
              }
              break;
          }
          p += NLA_ALIGN(nla->nla_len);
        }
      }
      return r;
    }
  }
}

int Socket::JoinGroup(uint32_t group) {
  sockaddr_nl sa{};
  sa.nl_family = AF_NETLINK;
  if (bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) ||
      setsockopt(fd_, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
                 sizeof(group)))
    return -errno;
  return 0;
}

int Socket::ResolveFamily(const std::string& name) {
  Attrs a;
  a.Str(CTRL_ATTR_FAMILY_NAME, name);
  Reply r = Request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, a.bytes());
  if (r.error) return -r.error;
  for (const std::string& m : r.messages) {
    size_t off = GENL_HDRLEN;
    while (off + NLA_HDRLEN <= m.size()) {
      nlattr nla;
      memcpy(&nla, m.data() + off, sizeof(nla));
      if (nla.nla_len < NLA_HDRLEN || off + nla.nla_len > m.size()) break;
      if ((nla.nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID &&
          nla.nla_len == NLA_HDRLEN + 2) {
        uint16_t id;
        memcpy(&id, m.data() + off + NLA_HDRLEN, 2);
        return id;
      }
      off += NLA_ALIGN(nla.nla_len);
    }
  }
  return -ENOENT;
}

}  // namespace kuchan::raw
