// SPDX-License-Identifier: GPL-2.0
//
// A bare generic netlink socket for tests and benchmarks: hand-built
// messages straight to the kernel, with no library in between.
//
// The library (userspace/kuchan) is what users get; this exists because the
// tests must also send what the library would never produce (malformed
// attributes, wrong sizes, random bytes) and because the benchmarks need a
// raw-socket baseline to compare the library against. It is deliberately
// small and depends on nothing but the kernel's UAPI headers.
#ifndef KUCHAN_TESTS_RAW_RAW_GENL_H_
#define KUCHAN_TESTS_RAW_RAW_GENL_H_

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kuchan::raw {

// The outcome of one request: the ACK's errno (0 for success), the extack
// message if any, the offset of the bad attribute if any, and the payloads
// (genl header onward) of the non-ACK messages that came first.
struct Reply {
  int error = 0;
  std::string extack;
  int bad_attr_offset = -1;
  std::vector<std::string> messages;
};

// Appends attributes to a byte string, NLA_ALIGNed.
class Attrs {
 public:
  Attrs& U32(uint16_t type, uint32_t v) { return Put(type, &v, sizeof(v)); }
  Attrs& S32(uint16_t type, int32_t v) { return Put(type, &v, sizeof(v)); }
  Attrs& U64(uint16_t type, uint64_t v) { return Put(type, &v, sizeof(v)); }
  Attrs& Str(uint16_t type, const std::string& s) {
    return Put(type, s.c_str(), s.size() + 1);
  }
  Attrs& Put(uint16_t type, const void* data, size_t len);
  Attrs& Nest(uint16_t type, const Attrs& inner);  // sets NLA_F_NESTED
  const std::string& bytes() const { return buf_; }

 private:
  std::string buf_;
};

// The attributes at the start of `b`, by type with the flag bits masked off
// (the last of each type). Stops at the first malformed header.
std::map<int, std::string> ParseAttrs(const std::string& b);

// The payloads of every attribute of `type` in `b`, in order: a
// multi-attr's members. Stops at the first malformed header.
std::vector<std::string> ParseAll(const std::string& b, int type);

class Socket {
 public:
  Socket();  // check ok() after
  ~Socket();
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  // Takes over an already open NETLINK_GENERIC socket (e.g. one received
  // over SCM_RIGHTS from another process).
  explicit Socket(int fd);

  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }

  // Binds the socket (a multicast listener needs a port id of its own:
  // the kernel's multicasts skip port 0) and joins multicast group `group`.
  // 0 or -errno.
  int JoinGroup(uint32_t group);

  // The family's id through CTRL_CMD_GETFAMILY, or -errno.
  int ResolveFamily(const std::string& name);

  // Sends one request (NLM_F_REQUEST | NLM_F_ACK) and waits for its ACK.
  Reply Request(uint16_t family, uint8_t cmd, const std::string& attrs,
                uint8_t version = 1);
  // Sends raw bytes as they are (a whole netlink message, or garbage) and
  // waits for the kernel's answer to sequence number `seq`.
  Reply SendRaw(const std::string& msg, uint32_t seq);
  // Builds a request without sending it.
  std::string Build(uint16_t family, uint8_t cmd, const std::string& attrs,
                    uint32_t seq, uint8_t version = 1) const;

  uint32_t NextSeq() { return ++seq_; }

 private:
  Reply Receive(uint32_t seq);

  int fd_ = -1;
  uint32_t seq_ = 0;
};

}  // namespace kuchan::raw

#endif  // KUCHAN_TESTS_RAW_RAW_GENL_H_
