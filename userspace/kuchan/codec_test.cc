// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/codec.h"

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "proto/kuchan.pb.h"
#include "userspace/kuchan/attr_set.h"
#include "userspace/kuchan/nla.h"
#include "userspace/kuchan/socket.h"
#include "userspace/kuchan/test_messages.h"
#include "userspace/kuchan/test_wire.h"
#include "userspace/kuchan/testdata/codec_test.pb.h"

namespace kuchan {
namespace {

using ::google::protobuf::Message;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using wire::Attr;
using wire::Bytes;
using wire::Encode;
using wire::Parse;
using wire::Nest;
using wire::RawAttr;
using wire::Str;
using wire::Value;

template <typename M>
absl::Status DecodeError(const std::string& wire) {
  M m;
  return DecodeAttrs(Bytes(wire), &m);
}

void ExpectRoundTrip(const Message& m) {
  const std::string wire = Encode(m);
  std::unique_ptr<Message> back(m.New());
  absl::Status st = DecodeAttrs(Bytes(wire), back.get());
  ASSERT_TRUE(st.ok()) << st;
  EXPECT_TRUE(MessageDifferencer::Equals(m, *back))
      << "sent: " << m.ShortDebugString()
      << "\ngot:  " << back->ShortDebugString();
}

MATCHER_P(InvalidArgument, text, "") {
  *result_listener << "status " << arg;
  return arg.code() == absl::StatusCode::kInvalidArgument &&
         absl::string_view(arg.message()).find(text) != absl::string_view::npos;
}

// ---------------------------------------------------------------------------
// Encoding: exact wire bytes.
// ---------------------------------------------------------------------------
TEST(EncodeTest, U32IsFourBytesInHostOrder) {
  auto m = Parse<SignalRequest>("signal: 9");
  EXPECT_EQ(Encode(m), Attr(2, Value<uint32_t>(9)));
}

TEST(EncodeTest, OnlyPresentFieldsAreEncoded) {
  EXPECT_THAT(Encode(SignalRequest()), IsEmpty());
  test::AllTypes m;
  m.set_flag(false);  // A flag cannot say "false".
  EXPECT_THAT(Encode(m), IsEmpty());
  m.set_u32(0);  // Present with the default value: encoded.
  EXPECT_EQ(Encode(m), Attr(3, Value<uint32_t>(0)));
}

TEST(EncodeTest, EveryScalarType) {
  auto m = Parse<test::AllTypes>(R"pb(
    u8: 200 u16: 60000 u32: 7 u64: 0x100000000 s32: -3 s64: -5000000000
    flag: true str: "hey" bin: "\x00\x01" color: GREEN
    str_as_binary: "ab" far: 1
  )pb");
  const std::string want =
      Attr(1, Value<uint8_t>(200)) + Attr(2, Value<uint16_t>(60000)) +
      Attr(3, Value<uint32_t>(7)) + Attr(4, Value<uint64_t>(0x100000000)) +
      Attr(5, Value<int32_t>(-3)) + Attr(6, Value<int64_t>(-5000000000)) +
      Attr(7, "") + Attr(8, Str("hey")) + Attr(9, std::string("\0\1", 2)) +
      Attr(10, Value<uint32_t>(2)) + Attr(13, "ab") +
      Attr(100, Value<uint32_t>(1));
  EXPECT_EQ(Encode(m), want);
  // U8 and U16 payloads are padded to 4 bytes, nla_len counts no padding.
  EXPECT_EQ(want.substr(0, 8), std::string("\x05\x00\x01\x00\xc8\0\0\0", 8));
}

TEST(EncodeTest, NestsCarryNlaFNested) {
  auto m = Parse<test::AllTypes>(R"pb(leaf { id: 1 })pb");
  EXPECT_EQ(Encode(m), Nest(11, Attr(1, Value<uint32_t>(1))));
}

TEST(EncodeTest, MultiAttrMembersEachCarryTheFieldsType) {
  auto m = Parse<SignalRequest>(R"pb(
    targets { pid: 10 } targets { pid: 20 start_time: 5 } signal: 15
  )pb");
  const std::string want =
      Nest(1, Attr(1, Value<int32_t>(10))) +
      Nest(1, Attr(1, Value<int32_t>(20)) + Attr(2, Value<uint64_t>(5))) +
      Attr(2, Value<uint32_t>(15));
  EXPECT_EQ(Encode(m), want);
}

TEST(EncodeTest, AppendsAfterExistingBytes) {
  std::string out = "abcd";
  ASSERT_TRUE(EncodeAttrs(Parse<SignalRequest>("signal: 1"), &out).ok());
  EXPECT_EQ(out, "abcd" + Attr(2, Value<uint32_t>(1)));
}

// A request as the library sends it (StartGenlRequest(), then the
// attributes), read back by libnl.
TEST(EncodeTest, LibnlReadsARequest) {
  std::string msg;
  StartGenlRequest(&msg, 0x22, 1, 1);
  auto m = Parse<SignalRequest>("targets { pid: 10 } signal: 15");
  ASSERT_TRUE(EncodeAttrs(m, &msg).ok());
  EXPECT_EQ(msg.substr(kGenlHeaders), Encode(m));
  auto* hdr = reinterpret_cast<nlmsghdr*>(msg.data());
  hdr->nlmsg_len = static_cast<uint32_t>(msg.size());
  EXPECT_EQ(hdr->nlmsg_type, 0x22);
  nlattr* tb[3] = {};
  EXPECT_EQ(genlmsg_parse(hdr, 0, tb, 2, nullptr), 0);
  ASSERT_NE(tb[2], nullptr);
  EXPECT_EQ(nla_get_u32(tb[2]), 15u);
  EXPECT_EQ(static_cast<genlmsghdr*>(nlmsg_data(hdr))->cmd, 1);
}

// ---------------------------------------------------------------------------
// Round trips.
// ---------------------------------------------------------------------------
TEST(RoundTripTest, EveryFieldType) {
  ExpectRoundTrip(Parse<test::AllTypes>(R"pb(
    u8: 255 u16: 65535 u32: 4294967295 u64: 18446744073709551615
    s32: -2147483648 s64: -9223372036854775808 flag: true
    str: "h\303\251llo" bin: "\x00\xff\x00" color: RED
    leaf { id: 3 label: "x" }
    leaves { id: 1 } leaves {} leaves { label: "eight ch" }
    str_as_binary: "a\x00b" b: "one of" far: 42
  )pb"));
  ExpectRoundTrip(Parse<test::AllTypes>("u8: 0 u16: 0 s64: 0 str: '' a: 0"));
  // Empty nest: present on the wire, so present after decoding.
  ExpectRoundTrip(Parse<test::AllTypes>("leaf {}"));
}

TEST(RoundTripTest, KuchanSchema) {
  ExpectRoundTrip(Parse<SignalRequest>(R"pb(
    targets { pid: 1 start_time: 99 } targets { pid: 2147483647 }
    signal: 64 value: -1
  )pb"));
  ExpectRoundTrip(Parse<SignalRequest>(R"pb(
    results { pid: 5 error: 0 } results { pid: 6 error: 3 }
  )pb"));
  ExpectRoundTrip(Parse<HelperConfig>(R"pb(
    path: "/usr/sbin/kuchan-helper" args { value: "--verbose" }
    args { value: "" } event_mask: 0x1e
  )pb"));
  ExpectRoundTrip(Parse<Event>(R"pb(
    seq: 7 timestamp_ns: 1700000000000000000 type: EVENT_SIGNAL_SENT
    actor { pid: 10 tgid: 10 uid: 0 comm: "bash" start_time: 4 }
    signal_sent {
      target { pid: 11 tgid: 11 uid: 1000 comm: "sleep" start_time: 5 }
      signal: 15 value: 0 error: 0
    }
  )pb"));
  ExpectRoundTrip(Parse<Event>(R"pb(
    seq: 8 type: EVENT_CUSTOM
    custom { code: 1 data { key: "k" value: "v" } data { key: "k2" } }
  )pb"));
  ExpectRoundTrip(Parse<Event>("helper_changed {}"));
  ExpectRoundTrip(Parse<Stats>(R"pb(
    raised: 1 multicast: 2 dropped_no_listener: 3 dropped_nomem: 4
    per_type { type: EVENT_CUSTOM raised: 1 }
  )pb"));
}

TEST(RoundTripTest, MaxCountMembersAreAccepted) {
  SignalRequest m;
  for (int i = 1; i <= 64; ++i) m.add_targets()->set_pid(i);
  ExpectRoundTrip(m);
}

// ---------------------------------------------------------------------------
// Encoding refuses what the kernel's policy would reject.
// ---------------------------------------------------------------------------
template <typename M>
absl::Status EncodeError(absl::string_view text) {
  std::string out = "keep";
  absl::Status st = EncodeAttrs(Parse<M>(text), &out);
  EXPECT_EQ(out, "keep") << "output must be left as it was";
  return st;
}

TEST(EncodeBoundsTest, Integers) {
  EXPECT_THAT(EncodeError<Subscription>("signal: 65"),
              InvalidArgument("kuchan.Subscription.signal (attr 1): 65 is "
                              "above the maximum 64"));
  EXPECT_THAT(EncodeError<Subscription>("signal: 0"),
              InvalidArgument("kuchan.Subscription.signal (attr 1): 0 is "
                              "below the minimum 1"));
  EXPECT_THAT(EncodeError<test::Bounded>("s32: -6"),
              InvalidArgument("-6 is below the minimum -5"));
  EXPECT_THAT(EncodeError<test::Bounded>("s64: -2"),
              InvalidArgument("-2 is below the minimum -1"));
  EXPECT_THAT(EncodeError<test::Bounded>("u64: 1001"),
              InvalidArgument("1001 is above the maximum 1000"));
  EXPECT_THAT(EncodeError<test::Bounded>("small: 201"),
              InvalidArgument("201 is above the maximum 200"));
  EXPECT_THAT(EncodeError<test::AllTypes>("u8: 256"),
              InvalidArgument("kuchan.test.AllTypes.u8 (attr 1): 256 does "
                              "not fit a u8"));
  EXPECT_THAT(EncodeError<test::AllTypes>("u16: 65536"),
              InvalidArgument("65536 does not fit a u16"));
  // The bounds themselves are allowed.
  std::string out;
  EXPECT_TRUE(
      EncodeAttrs(Parse<test::Bounded>("u32: 1 s32: -5 s64: -1 u64: 1000"),
                  &out)
          .ok());
}

TEST(EncodeBoundsTest, NestedErrorsNameThePath) {
  EXPECT_THAT(
      EncodeError<test::AllTypes>(
          "leaves { label: 'ok' } leaves { label: 'too-long-label' }"),
      InvalidArgument("kuchan.test.AllTypes.leaves[1] (attr 12): "
                      "kuchan.test.Leaf.label (attr 2): "));
}

TEST(EncodeBoundsTest, Strings) {
  EXPECT_THAT(EncodeError<HelperConfig>("path: ''"),
              InvalidArgument("kuchan.HelperConfig.path (attr 1): string `' "
                              "is 0 bytes, below min_len 1"));
  EXPECT_THAT(EncodeError<Process>("comm: '0123456789abcdef'"),
              InvalidArgument("kuchan.Process.comm (attr 4): string "
                              "`0123456789abcdef' is 16 bytes, above "
                              "max_len 15"));
  EXPECT_THAT(EncodeError<HelperConfig>("path: '/bin/a\\000b'"),
              InvalidArgument("string `/bin/a\\000b' has a NUL at byte 6"));
  EXPECT_THAT(EncodeError<test::Bounded>("blob: ''"),
              InvalidArgument("payload `' is 0 bytes, below min_len 1"));
  EXPECT_THAT(EncodeError<test::Bounded>("blob: 'abcd'"),
              InvalidArgument("above max_len 3"));
}

TEST(EncodeBoundsTest, MaxCount) {
  SignalRequest m;
  for (int i = 1; i <= 65; ++i) m.add_targets()->set_pid(i);
  std::string out;
  EXPECT_THAT(EncodeAttrs(m, &out),
              InvalidArgument("kuchan.SignalRequest.targets (attr 1): 65 "
                              "members, above max_count 64"));
}

TEST(EncodeBoundsTest, AttributeLargerThanNlaLen) {
  test::AllTypes m;
  m.set_bin(std::string(70000, 'x'));
  std::string out;
  EXPECT_THAT(EncodeAttrs(m, &out),
              InvalidArgument("kuchan.test.AllTypes.bin (attr 9): 70000 "
                              "bytes do not fit one attribute"));
  // A nest overflows only once its members are in.
  test::AllTypes n;
  for (int i = 0; i < 3; ++i) n.add_leaves();
  n.mutable_leaf()->set_label("x");
  ASSERT_TRUE(EncodeAttrs(n, &out).ok());
}

// ---------------------------------------------------------------------------
// Decoding: what is accepted.
// ---------------------------------------------------------------------------
TEST(DecodeTest, UnknownAttributesAreSkipped) {
  // Subscription knows types 1 and 2; the rest, of any length and even
  // with a nest of garbage, are a newer module's.
  Subscription sub;
  const std::string sub_wire =
      Attr(7, "x") + Attr(1, Value<uint32_t>(9)) + Nest(99, "garbage\xff") +
      Attr(2, Value<uint64_t>(3)) + Attr(3, "") +
      Attr(40, "whatever a newer module sends");
  ASSERT_TRUE(DecodeAttrs(Bytes(sub_wire), &sub).ok());
  EXPECT_EQ(sub.signal(), 9u);
  EXPECT_EQ(sub.event_mask(), 3u);

  // Unknown event payloads (a newer module's EventType) leave the rest.
  Event ev;
  const std::string ev_wire = Attr(1, Value<uint64_t>(5)) +
                              Nest(60, Attr(1, Value<uint32_t>(1))) +
                              Attr(3, Value<uint32_t>(4));
  ASSERT_TRUE(DecodeAttrs(Bytes(ev_wire), &ev).ok());
  EXPECT_EQ(ev.seq(), 5u);
  EXPECT_EQ(ev.type(), EVENT_CUSTOM);
  EXPECT_EQ(ev.payload_case(), Event::PAYLOAD_NOT_SET);
}

TEST(DecodeTest, FlagBitsInTypeAreIgnored) {
  SignalRequest m;
  const std::string wire =
      Attr(2 | NLA_F_NET_BYTEORDER, Value<uint32_t>(3)) +
      Attr(1 | NLA_F_NESTED, Attr(1, Value<int32_t>(4)));
  ASSERT_TRUE(DecodeAttrs(Bytes(wire), &m).ok());
  EXPECT_EQ(m.signal(), 3u);
  ASSERT_EQ(m.targets_size(), 1);
  EXPECT_EQ(m.targets(0).pid(), 4);
}

TEST(DecodeTest, MissingPaddingAfterLastAttribute) {
  test::AllTypes m;
  std::string wire = Attr(1, Value<uint8_t>(7));
  wire.resize(5);  // nla_len 5, no padding.
  ASSERT_TRUE(DecodeAttrs(Bytes(wire), &m).ok());
  EXPECT_EQ(m.u8(), 7u);
}

TEST(DecodeTest, ClearsTheMessageFirst) {
  auto m = Parse<SignalRequest>("signal: 1 value: 2");
  ASSERT_TRUE(DecodeAttrs(Bytes(Attr(2, Value<uint32_t>(3))), &m).ok());
  EXPECT_EQ(m.ShortDebugString(), "signal: 3");
}

TEST(DecodeTest, UnknownEnumValueLandsInUnknownFields) {
  Event ev;
  ASSERT_TRUE(DecodeAttrs(Bytes(Attr(3, Value<uint32_t>(77))), &ev).ok());
  EXPECT_FALSE(ev.has_type());
  EXPECT_EQ(ev.GetReflection()->GetUnknownFields(ev).field_count(), 1);
}

TEST(DecodeTest, WithCachedSet) {
  auto set = AttrSet::For(Event::descriptor());
  ASSERT_TRUE(set.ok()) << set.status();
  Event ev;
  ASSERT_TRUE(
      DecodeAttrs(**set, Bytes(Attr(1, Value<uint64_t>(1))), &ev).ok());
  EXPECT_EQ(ev.seq(), 1u);
  SignalRequest wrong;
  EXPECT_THAT(DecodeAttrs(**set, {}, &wrong),
              InvalidArgument("decoding a kuchan.SignalRequest with the "
                              "attribute set of kuchan.Event"));
}

// ---------------------------------------------------------------------------
// Decoding: hostile input.
// ---------------------------------------------------------------------------
TEST(HostileTest, TruncatedHeader) {
  const std::string wire = Attr(2, Value<uint32_t>(1)) + std::string("\x08\x00", 2);
  EXPECT_THAT(DecodeError<SignalRequest>(wire),
              InvalidArgument("kuchan.SignalRequest: truncated attribute "
                              "header at offset 8 (2 bytes left)"));
  EXPECT_THAT(DecodeError<SignalRequest>(std::string(1, '\x04')),
              InvalidArgument("truncated attribute header at offset 0"));
}

TEST(HostileTest, NlaLenShorterThanHeader) {
  for (uint16_t len : {0, 1, 3}) {
    EXPECT_THAT(DecodeError<SignalRequest>(RawAttr(len, 2, "abcd")),
                InvalidArgument(absl::StrFormat(
                    "kuchan.SignalRequest: attribute at offset 0 has nla_len "
                    "%d, shorter than its 4-byte header",
                    len)));
  }
}

TEST(HostileTest, NlaLenPastTheEnd) {
  EXPECT_THAT(DecodeError<SignalRequest>(RawAttr(9, 2, "abcd")),
              InvalidArgument("kuchan.SignalRequest: attribute at offset 0 "
                              "has nla_len 9 but only 8 bytes remain"));
  EXPECT_THAT(DecodeError<SignalRequest>(RawAttr(0xffff, 2, "")),
              InvalidArgument("has nla_len 65535 but only 4 bytes remain"));
}

TEST(HostileTest, WrongPayloadSize) {
  EXPECT_THAT(DecodeError<SignalRequest>(Attr(2, Value<uint64_t>(1))),
              InvalidArgument("kuchan.SignalRequest.signal (attr 2): "
                              "expected 4 bytes, got 8"));
  EXPECT_THAT(DecodeError<SignalTarget>(Attr(2, Value<uint32_t>(1))),
              InvalidArgument("kuchan.SignalTarget.start_time (attr 2): "
                              "expected 8 bytes, got 4"));
  EXPECT_THAT(DecodeError<test::AllTypes>(Attr(1, Value<uint16_t>(1))),
              InvalidArgument("kuchan.test.AllTypes.u8 (attr 1): expected 1 "
                              "bytes, got 2"));
  EXPECT_THAT(DecodeError<test::AllTypes>(Attr(2, "")),
              InvalidArgument("expected 2 bytes, got 0"));
  EXPECT_THAT(DecodeError<test::AllTypes>(Attr(5, "abc")),
              InvalidArgument("kuchan.test.AllTypes.s32 (attr 5): expected 4 "
                              "bytes, got 3"));
  EXPECT_THAT(DecodeError<test::AllTypes>(Attr(6, "abcd")),
              InvalidArgument("expected 8 bytes, got 4"));
}

TEST(HostileTest, FlagWithPayload) {
  EXPECT_THAT(DecodeError<test::AllTypes>(Attr(7, Value<uint32_t>(1))),
              InvalidArgument("kuchan.test.AllTypes.flag (attr 7): a flag "
                              "carries no payload, got 4 bytes"));
}

TEST(HostileTest, Strings) {
  EXPECT_THAT(DecodeError<HelperConfig>(Attr(1, "/bin/sh")),
              InvalidArgument("kuchan.HelperConfig.path (attr 1): string "
                              "`/bin/sh' lacks its NUL terminator"));
  EXPECT_THAT(DecodeError<HelperConfig>(Attr(1, "")),
              InvalidArgument("string `' lacks its NUL terminator"));
  EXPECT_THAT(DecodeError<HelperConfig>(Attr(1, Str(std::string("/a\0b", 4)))),
              InvalidArgument("kuchan.HelperConfig.path (attr 1): string "
                              "`/a\\000b\\000' has a NUL at byte 2"));
  EXPECT_THAT(DecodeError<Process>(Attr(4, Str("0123456789abcdef"))),
              InvalidArgument("kuchan.Process.comm (attr 4): string "
                              "`0123456789abcdef' is 16 bytes, above "
                              "max_len 15"));
  EXPECT_THAT(DecodeError<HelperConfig>(Attr(1, Str(""))),
              InvalidArgument("below min_len 1"));
  EXPECT_THAT(DecodeError<test::Bounded>(Attr(6, "abcd")),
              InvalidArgument("kuchan.test.Bounded.blob (attr 6): payload "
                              "`abcd' is 4 bytes, above max_len 3"));
  // Binary and long strings are escaped and cut in messages.
  absl::Status st = DecodeError<HelperConfig>(Attr(1, std::string(300, '\x01')));
  EXPECT_THAT(st, InvalidArgument("\\001\\001...' lacks its NUL"));
  EXPECT_LT(st.message().size(), 300u);
}

TEST(HostileTest, OutOfRange) {
  EXPECT_THAT(DecodeError<Subscription>(Attr(1, Value<uint32_t>(65))),
              InvalidArgument("kuchan.Subscription.signal (attr 1): 65 is "
                              "above the maximum 64"));
  EXPECT_THAT(DecodeError<test::Bounded>(Attr(2, Value<int32_t>(-6))),
              InvalidArgument("-6 is below the minimum -5"));
  EXPECT_THAT(DecodeError<test::Bounded>(Attr(7, Value<uint8_t>(255))),
              InvalidArgument("255 is above the maximum 200"));
  EXPECT_THAT(
      DecodeError<test::Bounded>(Attr(4, Value<uint64_t>(UINT64_MAX))),
      InvalidArgument("18446744073709551615 is above the maximum 1000"));
}

TEST(HostileTest, Duplicates) {
  EXPECT_THAT(DecodeError<SignalRequest>(Attr(2, Value<uint32_t>(1)) +
                                         Attr(2, Value<uint32_t>(2))),
              InvalidArgument("kuchan.SignalRequest.signal (attr 2): appears "
                              "more than once"));
  // Also with the flag bits differing.
  EXPECT_THAT(DecodeError<SignalRequest>(
                  Attr(2, Value<uint32_t>(1)) +
                  Attr(2 | NLA_F_NET_BYTEORDER, Value<uint32_t>(2))),
              InvalidArgument("kuchan.SignalRequest.signal (attr 2): appears "
                              "more than once"));
  EXPECT_THAT(DecodeError<test::AllTypes>(Attr(7, "") + Attr(7, "")),
              InvalidArgument("flag (attr 7): appears more than once"));
}

TEST(HostileTest, OneofConflict) {
  EXPECT_THAT(
      DecodeError<Event>(Nest(16, "") + Nest(17, "")),
      InvalidArgument("kuchan.Event.helper_changed (attr 17): conflicts with "
                      "kuchan.Event.signal_sent (attr 16) in oneof payload"));
}

TEST(HostileTest, NestedGarbage) {
  EXPECT_THAT(
      DecodeError<Event>(Nest(4, RawAttr(40, 1, "ab"))),
      InvalidArgument("kuchan.Event.actor (attr 4): kuchan.Process: attribute "
                      "at offset 0 has nla_len 40 but only 8 bytes remain"));
  EXPECT_THAT(
      DecodeError<Event>(Nest(16, Nest(1, Attr(4, "comm")))),
      InvalidArgument("kuchan.Event.signal_sent (attr 16): "
                      "kuchan.SignalSent.target (attr 1): "
                      "kuchan.Process.comm (attr 4): string `comm' lacks its "
                      "NUL terminator"));
  // A member that holds no attributes.
  EXPECT_THAT(DecodeError<SignalRequest>(Attr(1, "xy")),
              InvalidArgument("kuchan.SignalRequest.targets[0] (attr 1): "
                              "kuchan.SignalTarget: truncated attribute "
                              "header at offset 0"));
  // A member's own attributes.
  EXPECT_THAT(
      DecodeError<test::AllTypes>(
          Nest(12, Attr(2, std::string("ok", 3))) +
          Nest(12, Attr(2, std::string("too-long-label", 15)))),
      InvalidArgument("kuchan.test.AllTypes.leaves[1] (attr 12): "
                      "kuchan.test.Leaf.label (attr 2): "));
}

// A multi-attr may come again and again, each time one member more; a
// singular attribute of the same set may not.
TEST(HostileTest, OnlyMultiAttrsRepeat) {
  SignalRequest m;
  ASSERT_TRUE(DecodeAttrs(Bytes(Nest(1, "") + Attr(2, Value<uint32_t>(1)) +
                                Nest(1, Attr(1, Value<int32_t>(7)))),
                          &m)
                  .ok());
  ASSERT_EQ(m.targets_size(), 2);
  EXPECT_EQ(m.targets(1).pid(), 7);
  EXPECT_THAT(DecodeError<SignalRequest>(Attr(2, Value<uint32_t>(1)) +
                                         Attr(2, Value<uint32_t>(1))),
              InvalidArgument("appears more than once"));
}

// The kernel's nla_put_64bit() pads before a u64 where alignment needs it;
// a pad may come anywhere, any number of times, and is read as nothing.
TEST(HostileTest, PadsAreSkipped) {
  Stats s;
  ASSERT_TRUE(DecodeAttrs(Bytes(Attr(15, "") + Attr(1, Value<uint64_t>(3)) +
                                Attr(15, "") + Attr(6, Value<uint64_t>(9))),
                          &s)
                  .ok());
  EXPECT_EQ(s.ShortDebugString(), "raised: 3 last_seq: 9");
}

TEST(HostileTest, MaxCount) {
  std::string members;
  for (uint16_t i = 1; i <= 65; ++i) members += Nest(1, "");
  EXPECT_THAT(DecodeError<SignalRequest>(members),
              InvalidArgument("kuchan.SignalRequest.targets (attr 1): more "
                              "than max_count 64 members"));
}

TEST(HostileTest, DepthLimit) {
  std::string wire = Attr(1, Value<uint32_t>(1));
  for (int i = 0; i < kMaxNestDepth; ++i) wire = Nest(2, wire);
  test::Tree ok;
  ASSERT_TRUE(DecodeAttrs(Bytes(wire), &ok).ok());
  wire = Nest(2, wire);
  EXPECT_THAT(DecodeError<test::Tree>(wire),
              InvalidArgument("kuchan.test.Tree.child (attr 2): nested "
                              "deeper than 16"));
}

// ---------------------------------------------------------------------------
// Schema errors.
// ---------------------------------------------------------------------------
TEST(SchemaTest, RefusesWhatCannotBeAnAttributeSet) {
  EXPECT_THAT(AttrSet::For(test::NotASet::descriptor()).status(),
              InvalidArgument("kuchan.test.NotASet is not an attribute set: "
                              "it has no (nl.set) option"));
  EXPECT_THAT(AttrSet::For(test::WrongExplicitType::descriptor()).status(),
              InvalidArgument("kuchan.test.WrongExplicitType.s: "
                              "(nl.attr).type u32 does not fit a string "
                              "field"));
  EXPECT_THAT(AttrSet::For(test::MisplacedBound::descriptor()).status(),
              InvalidArgument("kuchan.test.MisplacedBound.s: (nl.attr).min "
                              "does not apply to a nul_string attribute"));
  EXPECT_THAT(AttrSet::For(test::RepeatedScalar::descriptor()).status(),
              InvalidArgument("a repeated uint32 cannot be an attribute"));
  EXPECT_THAT(AttrSet::For(test::FloatingPoint::descriptor()).status(),
              InvalidArgument("kuchan.test.FloatingPoint.d: a double cannot "
                              "be an attribute"));
  EXPECT_THAT(AttrSet::For(test::NestsNotASet::descriptor()).status(),
              InvalidArgument("kuchan.test.NotASet is not an attribute set"));
  EXPECT_THAT(AttrSet::For(test::FieldNumberTooLarge::descriptor()).status(),
              InvalidArgument("field number 16384 is above the largest "
                              "attribute type 16383"));
  // Encode and decode report the same.
  std::string out;
  EXPECT_THAT(EncodeAttrs(test::NotASet(), &out),
              InvalidArgument("no (nl.set) option"));
  test::NotASet m;
  EXPECT_THAT(DecodeAttrs({}, &m), InvalidArgument("no (nl.set) option"));
}

TEST(SchemaTest, EveryKuchanSetIsValid) {
  const auto* file = Event::descriptor()->file();
  for (int i = 0; i < file->message_type_count(); ++i) {
    auto set = AttrSet::For(file->message_type(i));
    EXPECT_TRUE(set.ok()) << set.status();
  }
}

TEST(SchemaTest, TableIsBuiltOnceAndSharedAcrossThreads) {
  std::vector<const AttrSet*> got(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&got, i] {
      got[i] = AttrSet::For(test::AllTypes::descriptor()).value();
    });
  }
  for (auto& t : threads) t.join();
  for (const AttrSet* s : got) EXPECT_EQ(s, got[0]);
  EXPECT_EQ(got[0]->max_type(), 100u);
  EXPECT_EQ(got[0]->Find(50), nullptr);
  ASSERT_NE(got[0]->Find(1), nullptr);
  EXPECT_EQ(got[0]->Find(1)->type, nl::U8);
  EXPECT_EQ(got[0]->Find(10)->type, nl::U32);  // enum
  EXPECT_EQ(got[0]->Find(12)->type, nl::MULTI_NESTED);
  EXPECT_EQ(got[0]->Find(12)->max_count, 3u);
}

// ---------------------------------------------------------------------------
// DescribeAttrAt, for the extended ACK's offset.
// ---------------------------------------------------------------------------
TEST(DescribeAttrAtTest, NamesNestedAttributes) {
  auto m = Parse<SignalRequest>(R"pb(
    targets { pid: 10 } targets { pid: 20 start_time: 5 } signal: 15
  )pb");
  const std::string wire = Encode(m);
  const auto* d = SignalRequest::descriptor();
  // targets[0] at 0, its pid at 4; targets[1] at 12, its pid at 16, its
  // start_time at 24; signal at 36.
  EXPECT_EQ(DescribeAttrAt(d, Bytes(wire), 0),
            "kuchan.SignalRequest.targets[0]");
  EXPECT_EQ(DescribeAttrAt(d, Bytes(wire), 4),
            "kuchan.SignalRequest.targets[0].pid");
  EXPECT_EQ(DescribeAttrAt(d, Bytes(wire), 12),
            "kuchan.SignalRequest.targets[1]");
  EXPECT_EQ(DescribeAttrAt(d, Bytes(wire), 24),
            "kuchan.SignalRequest.targets[1].start_time");
  EXPECT_EQ(DescribeAttrAt(d, Bytes(wire), 36), "kuchan.SignalRequest.signal");
  EXPECT_EQ(DescribeAttrAt(d, Bytes(wire), 44), "");
  EXPECT_EQ(DescribeAttrAt(d, Bytes(Attr(9, "")), 0),
            "kuchan.SignalRequest.<attr 9>");
}

// ---------------------------------------------------------------------------
// Fuzz-style: random and mutated buffers must give a status, never a crash
// (run under ASan/UBSan in codec_test_asan).
// ---------------------------------------------------------------------------
template <typename M>
void FeedAll(const std::vector<std::string>& seeds, std::mt19937* rng,
             int rounds) {
  int ok = 0;
  for (int i = 0; i < rounds; ++i) {
    const std::string buf = wire::Mutated(seeds, i, rng);
    // Exact-size heap copy so ASan sees any read past the end.
    std::vector<uint8_t> exact(buf.begin(), buf.end());
    M m;
    absl::Status st = DecodeAttrs(exact, &m);
    if (st.ok()) {
      ++ok;
      // Decoding checks what encoding checks: what decodes encodes again.
      std::string again;
      absl::Status enc = EncodeAttrs(m, &again);
      EXPECT_TRUE(enc.ok()) << enc;
    } else {
      EXPECT_FALSE(st.message().empty());
    }
  }
  // Sanity: the mutations do not make everything invalid.
  EXPECT_GT(ok, 0);
}

TEST(FuzzTest, RandomAndMutatedBuffers) {
  std::mt19937 rng(20240611);
  FeedAll<Event>(
      {Encode(Parse<Event>(R"pb(
         seq: 7 type: EVENT_SIGNAL_SENT actor { pid: 10 comm: "bash" }
         signal_sent { target { pid: 11 comm: "sleep" } signal: 15 }
       )pb")),
       Encode(Parse<Event>(R"pb(
         custom { code: 1 data { key: "k" value: "v" } data { key: "k2" } }
       )pb"))},
      &rng, 20000);
  FeedAll<test::AllTypes>(
      {Encode(Parse<test::AllTypes>(R"pb(
        u8: 1 u16: 2 u32: 3 u64: 4 s32: 5 s64: 6 flag: true str: "s"
        bin: "b" color: RED leaf { id: 1 label: "l" }
        leaves { id: 2 } leaves { label: "m" } a: 9 far: 1
      )pb"))},
      &rng, 20000);
  FeedAll<test::Tree>({Encode(Parse<test::Tree>(
                          "value: 1 child { child { child { value: 2 } } }"))},
                      &rng, 10000);
  FeedAll<SignalRequest>(
      {Encode(Parse<SignalRequest>(
          "targets { pid: 1 } targets { pid: 2 start_time: 3 } signal: 9"))},
      &rng, 10000);
}

}  // namespace
}  // namespace kuchan
