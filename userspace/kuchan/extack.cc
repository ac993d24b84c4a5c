// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/extack.h"

#include <linux/netlink.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <utility>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "userspace/kuchan/nla.h"
#include "userspace/kuchan/status_macros.h"

namespace kuchan {
namespace {

// NLMSGERR_ATTR_* and NL_POLICY_TYPE_ATTR_* by number: the values are UAPI
// and fixed, and older kernel headers lack the newer names.
enum : uint16_t {
  kErrAttrMsg = 1,
  kErrAttrOffs = 2,
  kErrAttrPolicy = 4,
  kErrAttrMissType = 5,
  kErrAttrMissNest = 6,
};
enum : uint16_t {
  kPolType = 1,
  kPolMinS = 2,
  kPolMaxS = 3,
  kPolMinU = 4,
  kPolMaxU = 5,
  kPolMinLen = 6,
  kPolMaxLen = 7,
  kPolMask = 12,
};

std::optional<uint32_t> U32(const Nla& a) {
  if (a.payload.size() != 4) return std::nullopt;
  return LoadUnaligned<uint32_t>(a.payload.data());
}

std::optional<uint64_t> U64(const Nla& a) {
  if (a.payload.size() != 8) return std::nullopt;
  return LoadUnaligned<uint64_t>(a.payload.data());
}

ExtAckPolicy ParsePolicy(absl::Span<const uint8_t> data) {
  ExtAckPolicy p;
  NlaReader r(data);
  Nla a;
  while (r.Next(&a)) {
    switch (a.type) {
      case kPolType: p.type = U32(a); break;
      case kPolMinS:
        if (auto v = U64(a)) p.min_s = static_cast<int64_t>(*v);
        break;
      case kPolMaxS:
        if (auto v = U64(a)) p.max_s = static_cast<int64_t>(*v);
        break;
      case kPolMinU: p.min_u = U64(a); break;
      case kPolMaxU: p.max_u = U64(a); break;
      case kPolMinLen: p.min_len = U32(a); break;
      case kPolMaxLen: p.max_len = U32(a); break;
      case kPolMask: p.mask = U64(a); break;
      default: break;
    }
  }
  return p;
}

// Indexed by NL_ATTR_TYPE_*.
constexpr const char* kAttrTypeNames[] = {
    "invalid", "flag",   "u8",         "u16",    "u32",
    "u64",     "s8",     "s16",        "s32",    "s64",
    "binary",  "string", "nul_string", "nested", "nested_array",
    "bitfield32", "sint", "uint",
};

// The kernel answers 0 or -errno, and errnos end at 4095 (MAX_ERRNO).
absl::Status CheckErrno(int e) {
  if (e <= 0 && e >= -4095) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrFormat("netlink answer with error %d, not 0 or -errno", e));
}

}  // namespace

absl::StatusOr<ExtAck> ParseAck(absl::Span<const uint8_t> msg) {
  if (msg.size() < sizeof(nlmsghdr)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "netlink answer of %d bytes, shorter than its header", msg.size()));
  }
  nlmsghdr hdr;
  std::memcpy(&hdr, msg.data(), sizeof(hdr));
  if (hdr.nlmsg_len < sizeof(nlmsghdr) || hdr.nlmsg_len > msg.size()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "netlink answer with nlmsg_len %d in %d bytes", hdr.nlmsg_len,
        msg.size()));
  }
  msg = msg.first(hdr.nlmsg_len);
  absl::Span<const uint8_t> payload = msg.subspan(NLMSG_HDRLEN);
  ExtAck ack;
  ack.seq = hdr.nlmsg_seq;
  ack.port = hdr.nlmsg_pid;

  size_t tlv_offset;
  if (hdr.nlmsg_type == NLMSG_ERROR) {
    if (payload.size() < sizeof(nlmsgerr)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "NLMSG_ERROR with %d bytes of payload, shorter than struct "
          "nlmsgerr (%d)",
          payload.size(), sizeof(nlmsgerr)));
    }
    nlmsgerr err;
    std::memcpy(&err, payload.data(), sizeof(err));
    RETURN_IF_ERROR(CheckErrno(err.error));
    ack.error = -err.error;
    ack.seq = err.msg.nlmsg_seq;
    ack.port = err.msg.nlmsg_pid;
    tlv_offset = sizeof(nlmsgerr);
    // Without NETLINK_CAP_ACK the whole request follows the error: skip it
    // (the request's own nlmsghdr is part of struct nlmsgerr).
    if (!(hdr.nlmsg_flags & NLM_F_CAPPED) &&
        err.msg.nlmsg_len >= sizeof(nlmsghdr)) {
      const size_t echoed = sizeof(err.error) + NLMSG_ALIGN(err.msg.nlmsg_len);
      // Kernels before 4.12 (no NLM_F_CAPPED) never echo an ACK's request.
      if (echoed <= payload.size()) tlv_offset = echoed;
    }
  } else if (hdr.nlmsg_type == NLMSG_DONE) {
    // A dump's end: an int error (0 on success) when the kernel sends one.
    tlv_offset = 0;
    if (payload.size() >= sizeof(int)) {
      const int e = LoadUnaligned<int>(payload.data());
      RETURN_IF_ERROR(CheckErrno(e));
      ack.error = -e;
      tlv_offset = sizeof(int);
    }
  } else {
    return absl::InvalidArgumentError(absl::StrFormat(
        "netlink message type %d is neither NLMSG_ERROR nor NLMSG_DONE",
        hdr.nlmsg_type));
  }
  if (!(hdr.nlmsg_flags & NLM_F_ACK_TLVS)) return ack;

  NlaReader r(payload.subspan(std::min(tlv_offset, payload.size())));
  Nla a;
  while (r.Next(&a)) {
    switch (a.type) {
      case kErrAttrMsg: {
        // A NUL-terminated string; tolerate a missing NUL, cut at the first.
        absl::string_view s(reinterpret_cast<const char*>(a.payload.data()),
                            a.payload.size());
        ack.message = std::string(s.substr(0, s.find('\0')));
        break;
      }
      case kErrAttrOffs: ack.bad_attr_offset = U32(a); break;
      case kErrAttrPolicy: ack.policy = ParsePolicy(a.payload); break;
      case kErrAttrMissType: ack.missing_type = U32(a); break;
      case kErrAttrMissNest: ack.missing_nest_offset = U32(a); break;
      default: break;  // NLMSGERR_ATTR_COOKIE and newer: not ours to read.
    }
  }
  return ack;
}

std::string ErrnoText(int errnum) {
  char buf[128];
  // The GNU strerror_r: returns the message, maybe not in buf.
  const char* text = strerror_r(errnum, buf, sizeof(buf));
  const char* name = strerrorname_np(errnum);
  if (name == nullptr) return absl::StrFormat("%s (errno %d)", text, errnum);
  return absl::StrFormat("%s (%s)", text, name);
}

std::string PolicyText(const ExtAckPolicy& p) {
  std::vector<std::string> parts;
  if (p.type) {
    parts.push_back(*p.type < std::size(kAttrTypeNames)
                        ? kAttrTypeNames[*p.type]
                        : absl::StrCat("type ", *p.type));
  }
  auto range = [&](auto min, auto max) {
    if (min && max) {
      parts.push_back(absl::StrCat("range ", *min, "..", *max));
    } else if (min) {
      parts.push_back(absl::StrCat("min ", *min));
    } else if (max) {
      parts.push_back(absl::StrCat("max ", *max));
    }
  };
  range(p.min_s, p.max_s);
  range(p.min_u, p.max_u);
  if (p.min_len) parts.push_back(absl::StrCat("min_len ", *p.min_len));
  if (p.max_len) parts.push_back(absl::StrCat("max_len ", *p.max_len));
  if (p.mask) parts.push_back(absl::StrFormat("mask 0x%x", *p.mask));
  return absl::StrJoin(parts, ", ");
}

absl::Status AckToStatus(const ExtAck& ack, absl::string_view context,
                         absl::string_view bad_attr) {
  if (ack.error == 0) return absl::OkStatus();
  std::string msg = absl::StrCat(context, ": ", ErrnoText(ack.error));
  if (!ack.message.empty()) absl::StrAppend(&msg, ": ", ack.message);
  std::vector<std::string> details;
  if (!bad_attr.empty()) {
    details.push_back(absl::StrCat("attribute ", bad_attr));
  } else if (ack.bad_attr_offset) {
    details.push_back(
        absl::StrCat("attribute at byte ", *ack.bad_attr_offset));
  }
  if (ack.policy) {
    const std::string p = PolicyText(*ack.policy);
    if (!p.empty()) details.push_back(absl::StrCat("policy: ", p));
  }
  if (ack.missing_type) {
    std::string missing = absl::StrCat("missing attribute ", *ack.missing_type);
    if (ack.missing_nest_offset) {
      absl::StrAppend(&missing, " in the nest at byte ",
                      *ack.missing_nest_offset);
    }
    details.push_back(std::move(missing));
  }
  if (!details.empty()) {
    absl::StrAppend(&msg, " (", absl::StrJoin(details, "; "), ")");
  }
  absl::Status status(absl::ErrnoToStatusCode(ack.error), msg);
  status.SetPayload(kErrnoPayload, absl::Cord(absl::StrCat(ack.error)));
  if (!ack.message.empty())
    status.SetPayload(kKernelMessagePayload, absl::Cord(ack.message));
  return status;
}

int StatusErrno(const absl::Status& status) {
  const auto p = status.GetPayload(kErrnoPayload);
  int e = 0;
  return p && absl::SimpleAtoi(std::string(*p), &e) ? e : 0;
}

std::string StatusKernelMessage(const absl::Status& status) {
  const auto p = status.GetPayload(kKernelMessagePayload);
  return p ? std::string(*p) : std::string();
}

}  // namespace kuchan
