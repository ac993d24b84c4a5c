// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/extack.h"

#include <linux/netlink.h>

#include <cerrno>
#include <climits>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "userspace/kuchan/test_wire.h"

namespace kuchan {
namespace {

using ::testing::HasSubstr;
using wire::Attr;
using wire::Bytes;
using wire::Nest;
using wire::NlMsg;
using wire::Str;
using wire::Value;

constexpr uint32_t kSeq = 77;
constexpr uint32_t kPort = 4242;

// The request being answered: a kuchan SIGNAL with 12 bytes of attributes.
std::string Request() {
  return NlMsg(0x22, NLM_F_REQUEST | NLM_F_ACK, kSeq, kPort,
               std::string(4, '\x01') + std::string(12, '\x02'));
}

// struct nlmsgerr for `request`: the error and the request's header.
std::string NlMsgErr(int error, const std::string& request) {
  return Value(error) + request.substr(0, sizeof(nlmsghdr));
}

// An NLMSG_ERROR answer as a kernel with NETLINK_CAP_ACK and NETLINK_EXT_ACK
// sends it.
std::string CappedError(int error, const std::string& tlvs) {
  uint16_t flags = NLM_F_CAPPED;
  if (!tlvs.empty()) flags |= NLM_F_ACK_TLVS;
  return NlMsg(NLMSG_ERROR, flags, kSeq, kPort,
               NlMsgErr(error, Request()) + tlvs);
}

std::string Policy() {
  return Nest(NLMSGERR_ATTR_POLICY,
              Attr(NL_POLICY_TYPE_ATTR_TYPE, Value<uint32_t>(4)) +  // u32
                  Attr(NL_POLICY_TYPE_ATTR_MIN_VALUE_U, Value<uint64_t>(0)) +
                  Attr(NL_POLICY_TYPE_ATTR_MAX_VALUE_U, Value<uint64_t>(64)));
}

TEST(ParseAckTest, PlainAck) {
  absl::StatusOr<ExtAck> ack = ParseAck(Bytes(CappedError(0, "")));
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_EQ(ack->error, 0);
  EXPECT_EQ(ack->seq, kSeq);
  EXPECT_EQ(ack->port, kPort);
  EXPECT_TRUE(ack->message.empty());
  EXPECT_TRUE(AckToStatus(*ack, "ctx").ok());
}

TEST(ParseAckTest, ExtendedAckWithEveryAttribute) {
  const std::string msg = CappedError(
      -ERANGE, Attr(NLMSGERR_ATTR_MSG, Str("integer out of range")) +
                   Attr(NLMSGERR_ATTR_OFFS, Value<uint32_t>(24)) + Policy() +
                   Attr(NLMSGERR_ATTR_COOKIE, "cookie"));
  absl::StatusOr<ExtAck> ack = ParseAck(Bytes(msg));
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_EQ(ack->error, ERANGE);
  EXPECT_EQ(ack->message, "integer out of range");
  EXPECT_EQ(ack->bad_attr_offset, 24u);
  ASSERT_TRUE(ack->policy.has_value());
  EXPECT_EQ(ack->policy->type, 4u);
  EXPECT_EQ(ack->policy->max_u, 64u);
  EXPECT_EQ(PolicyText(*ack->policy), "u32, range 0..64");

  absl::Status st = AckToStatus(*ack, "kuchan signal");
  EXPECT_EQ(st.code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(st.message(),
            "kuchan signal: Numerical result out of range (ERANGE): integer "
            "out of range (attribute at byte 24; policy: u32, range 0..64)");
  // The caller names the attribute when it knows the request's layout.
  EXPECT_EQ(AckToStatus(*ack, "kuchan signal", "kuchan.SignalRequest.signal")
                .message(),
            "kuchan signal: Numerical result out of range (ERANGE): integer "
            "out of range (attribute kuchan.SignalRequest.signal; policy: "
            "u32, range 0..64)");
  // The errno and the kernel's own words come back out for callers.
  EXPECT_EQ(StatusErrno(st), ERANGE);
  EXPECT_EQ(StatusKernelMessage(st), "integer out of range");
  EXPECT_EQ(StatusErrno(absl::InternalError("not from a kernel")), 0);
  EXPECT_EQ(StatusKernelMessage(absl::OkStatus()), "");
}

TEST(ParseAckTest, ErrnoWithoutExtendedAck) {
  absl::StatusOr<ExtAck> ack = ParseAck(Bytes(CappedError(-EPERM, "")));
  ASSERT_TRUE(ack.ok()) << ack.status();
  absl::Status st = AckToStatus(*ack, "kuchan helper_set");
  EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(st.message(),
            "kuchan helper_set: Operation not permitted (EPERM)");
}

TEST(ParseAckTest, MissingAttribute) {
  const std::string msg = CappedError(
      -EINVAL, Attr(NLMSGERR_ATTR_MSG, Str("missing attribute")) +
                   Attr(NLMSGERR_ATTR_MISS_TYPE, Value<uint32_t>(2)) +
                   Attr(NLMSGERR_ATTR_MISS_NEST, Value<uint32_t>(20)));
  absl::StatusOr<ExtAck> ack = ParseAck(Bytes(msg));
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_EQ(ack->missing_type, 2u);
  EXPECT_EQ(ack->missing_nest_offset, 20u);
  EXPECT_THAT(std::string(AckToStatus(*ack, "x").message()),
              HasSubstr("(missing attribute 2 in the nest at byte 20)"));
  EXPECT_EQ(AckToStatus(*ack, "x").code(), absl::StatusCode::kInvalidArgument);
}

TEST(ParseAckTest, UncappedErrorEchoesTheRequest) {
  // Without NETLINK_CAP_ACK the whole request sits between nlmsgerr.error
  // and the TLVs.
  const std::string request = Request();
  const std::string msg =
      NlMsg(NLMSG_ERROR, NLM_F_ACK_TLVS, kSeq, kPort,
            Value<int>(-EINVAL) + request +
                Attr(NLMSGERR_ATTR_MSG, Str("bad")) +
                Attr(NLMSGERR_ATTR_OFFS, Value<uint32_t>(20)));
  absl::StatusOr<ExtAck> ack = ParseAck(Bytes(msg));
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_EQ(ack->error, EINVAL);
  EXPECT_EQ(ack->message, "bad");
  EXPECT_EQ(ack->bad_attr_offset, 20u);
  EXPECT_EQ(ack->seq, kSeq);
}

TEST(ParseAckTest, TlvsIgnoredWithoutTheFlag) {
  const std::string msg =
      NlMsg(NLMSG_ERROR, NLM_F_CAPPED, kSeq, kPort,
            NlMsgErr(-EINVAL, Request()) + Attr(NLMSGERR_ATTR_MSG, Str("x")));
  absl::StatusOr<ExtAck> ack = ParseAck(Bytes(msg));
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_TRUE(ack->message.empty());
}

TEST(ParseAckTest, MessageWithoutNulIsCut) {
  const std::string msg = CappedError(
      -EINVAL, Attr(NLMSGERR_ATTR_MSG, "no nul") +
                   Attr(NLMSGERR_ATTR_OFFS, Value<uint16_t>(3)));  // Bad size.
  absl::StatusOr<ExtAck> ack = ParseAck(Bytes(msg));
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_EQ(ack->message, "no nul");
  EXPECT_FALSE(ack->bad_attr_offset.has_value());
}

TEST(ParseAckTest, TruncatedTlvsKeepWhatCameBefore) {
  std::string msg = CappedError(-EINVAL, Attr(NLMSGERR_ATTR_MSG, Str("kept")) +
                                             std::string("\x40\x00\x02\x00", 4));
  absl::StatusOr<ExtAck> ack = ParseAck(Bytes(msg));
  ASSERT_TRUE(ack.ok()) << ack.status();
  EXPECT_EQ(ack->message, "kept");
}

TEST(ParseAckTest, DumpDone) {
  absl::StatusOr<ExtAck> done =
      ParseAck(Bytes(NlMsg(NLMSG_DONE, NLM_F_MULTI, kSeq, kPort, Value(0))));
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->error, 0);
  // Some families end a dump without the int.
  done = ParseAck(Bytes(NlMsg(NLMSG_DONE, NLM_F_MULTI, kSeq, kPort, "")));
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->error, 0);
  done = ParseAck(Bytes(NlMsg(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, kSeq,
                              kPort,
                              Value(-ENOBUFS) +
                                  Attr(NLMSGERR_ATTR_MSG, Str("dump failed")))));
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->error, ENOBUFS);
  EXPECT_EQ(done->message, "dump failed");
}

TEST(ParseAckTest, MalformedAnswers) {
  EXPECT_THAT(std::string(ParseAck(Bytes("short")).status().message()),
              HasSubstr("shorter than its header"));
  std::string lying = CappedError(0, "");
  lying[0] = static_cast<char>(200);  // nlmsg_len past the end.
  EXPECT_THAT(std::string(ParseAck(Bytes(lying)).status().message()),
              HasSubstr("nlmsg_len 200 in 36 bytes"));
  EXPECT_THAT(
      std::string(ParseAck(Bytes(NlMsg(NLMSG_ERROR, 0, 1, 1, Value(-1))))
                      .status()
                      .message()),
      HasSubstr("shorter than struct nlmsgerr"));
  EXPECT_THAT(
      std::string(ParseAck(Bytes(NlMsg(0x22, 0, 1, 1, ""))).status().message()),
      HasSubstr("type 34 is neither NLMSG_ERROR nor NLMSG_DONE"));
  for (int bad : {1, INT_MIN, -5000}) {
    EXPECT_THAT(
        std::string(ParseAck(Bytes(CappedError(bad, ""))).status().message()),
        HasSubstr("not 0 or -errno"));
  }
}

TEST(ErrnoTextTest, NamesTheErrno) {
  EXPECT_EQ(ErrnoText(EPERM), "Operation not permitted (EPERM)");
  EXPECT_EQ(ErrnoText(ESRCH), "No such process (ESRCH)");
  EXPECT_EQ(ErrnoText(4000), "Unknown error 4000 (errno 4000)");
}

TEST(PolicyTextTest, Bounds) {
  ExtAckPolicy p;
  p.type = 12;  // nul_string
  p.max_len = 255;
  EXPECT_EQ(PolicyText(p), "nul_string, max_len 255");
  ExtAckPolicy s;
  s.type = 8;  // s32
  s.min_s = 1;
  EXPECT_EQ(PolicyText(s), "s32, min 1");
  ExtAckPolicy unknown;
  unknown.type = 99;
  EXPECT_EQ(PolicyText(unknown), "type 99");
}

TEST(ParseAckFuzzTest, RandomAndMutatedAnswers) {
  std::mt19937 rng(7);
  const std::vector<std::string> seeds = {
      CappedError(-ERANGE, Attr(NLMSGERR_ATTR_MSG, Str("integer out of range")) +
                               Attr(NLMSGERR_ATTR_OFFS, Value<uint32_t>(24)) +
                               Policy()),
      NlMsg(NLMSG_ERROR, NLM_F_ACK_TLVS, kSeq, kPort,
            Value<int>(-EINVAL) + Request() + Attr(NLMSGERR_ATTR_MSG, Str("b"))),
  };
  for (int i = 0; i < 20000; ++i) {
    std::string buf = seeds[rng() % seeds.size()];
    for (int f = 0; f < 1 + static_cast<int>(rng() % 4); ++f) {
      buf[rng() % buf.size()] = static_cast<char>(rng());
    }
    if (i % 3 == 0) buf.resize(rng() % buf.size());
    std::vector<uint8_t> exact(buf.begin(), buf.end());
    absl::StatusOr<ExtAck> ack = ParseAck(exact);
    if (ack.ok()) (void)AckToStatus(*ack, "fuzz");
  }
}

}  // namespace
}  // namespace kuchan
