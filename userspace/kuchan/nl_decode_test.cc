// SPDX-License-Identifier: GPL-2.0
//
// The generated decoders (protoc-gen-kuchan-cpp) against the reflection
// codec, which is the reference: on any input, a generated decoder that
// says "decoded" must have produced exactly the codec's message, and one
// that gives up must give up only where the codec fails or keeps an unknown
// enum value. Fed with valid encodings, mutated ones and noise, for every
// wire type and bound (the codec's test schema) and kuchan's own sets.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "proto/kuchan.pb.h"
#include "userspace/kuchan/codec.h"
#include "userspace/kuchan/events.h"
#include "userspace/kuchan/kuchan.nl.h"
#include "userspace/kuchan/test_messages.h"
#include "userspace/kuchan/test_wire.h"
#include "userspace/kuchan/testdata/codec_test.nl.h"
#include "userspace/kuchan/testdata/codec_test.pb.h"

namespace kuchan {
namespace {

using ::google::protobuf::Message;
using ::google::protobuf::util::MessageDifferencer;
using wire::Attr;
using wire::Bytes;
using wire::Encode;
using wire::HasUnknownFields;
using wire::Parse;
using wire::Nest;
using wire::Str;
using wire::Value;

// One input through both decoders. Returns whether the generated one
// decoded it.
// `fast` is reused from one input to the next, as a subscriber reuses its
// event: what a generated decoder leaves of an earlier message (even a
// half-written one) must not show in the next.
template <typename M>
bool Compare(const std::string& buf, M* reused) {
  // Exact-size heap copy so ASan sees any read past the end.
  const std::vector<uint8_t> exact(buf.begin(), buf.end());
  M& fast = *reused;
  const bool decoded = nlgen::Decode(exact, &fast);
  M reference;
  const absl::Status st = DecodeAttrs(exact, &reference);
  if (decoded) {
    EXPECT_TRUE(st.ok()) << "generated decoder took what the codec refuses: "
                         << st;
    EXPECT_TRUE(MessageDifferencer::Equals(fast, reference))
        << "generated: " << fast.ShortDebugString()
        << "\ncodec: " << reference.ShortDebugString();
  } else if (st.ok()) {
    EXPECT_TRUE(HasUnknownFields(reference))
        << "generated decoder gave up on a clean message: "
        << reference.ShortDebugString();
  }
  return decoded;
}

template <typename M>
void FeedAll(const std::vector<std::string>& seeds, std::mt19937* rng,
             int rounds) {
  int decoded = 0;
  M reused;
  for (const std::string& seed : seeds) {
    EXPECT_TRUE(Compare<M>(seed, &reused))
        << "a valid encoding must take the fast path";
  }
  for (int i = 0; i < rounds; ++i) {
    const std::string buf = wire::Mutated(seeds, i, rng);
    decoded += Compare<M>(buf, &reused);
  }
  // Sanity: the mutations leave some inputs decodable.
  EXPECT_GT(decoded, 0);
}

TEST(NlDecodeTest, AgreesWithTheCodecOnEveryWireTypeAndBound) {
  std::mt19937 rng(20261122);
  FeedAll<test::AllTypes>(
      {Encode(Parse<test::AllTypes>(R"pb(
         u8: 1 u16: 2 u32: 3 u64: 4 s32: 5 s64: 6 flag: true str: "s"
         bin: "b" color: RED leaf { id: 1 label: "l" }
         leaves { id: 2 } leaves { label: "m" } a: 9 far: 1
       )pb")),
       Encode(Parse<test::AllTypes>(R"pb(
         u8: 255 u16: 65535 s32: -1 s64: -9 str: "" bin: "" color: GREEN
         b: "choice" leaves { id: 1 } leaves { id: 2 } leaves { id: 3 }
       )pb"))},
      &rng, 20000);
  FeedAll<test::Bounded>(
      {Encode(Parse<test::Bounded>(
           "u32: 1 s32: -5 s64: -1 u64: 1000 name: \"ab\" blob: \"x\" small: 200 "
           "negative: -1")),
       Encode(Parse<test::Bounded>(
           "u32: 64 s32: 5 s64: 99 u64: 0 name: \"abcd\" blob: \"xyz\" small: 0 "
           "negative: -2147483648"))},
      &rng, 20000);
  FeedAll<test::Tree>({Encode(Parse<test::Tree>(
                          "value: 1 child { child { child { value: 2 } } }"))},
                      &rng, 10000);
}

TEST(NlDecodeTest, AgreesWithTheCodecOnKuchanSets) {
  std::mt19937 rng(1122);
  FeedAll<Event>(
      {Encode(Parse<Event>(R"pb(
         seq: 7 timestamp_ns: 99 type: EVENT_SIGNAL_SENT
         actor { pid: 10 tgid: 10 uid: 0 comm: "bash" start_time: 5 }
         signal_sent { target { pid: 11 comm: "sleep" } signal: 15 value: -3 }
       )pb")),
       Encode(Parse<Event>(R"pb(
         seq: 8 type: EVENT_CUSTOM
         custom { code: 1 data { key: "k" value: "v" } data { key: "k2" } }
       )pb"))},
      &rng, 30000);
  FeedAll<SignalRequest>(
      {Encode(Parse<SignalRequest>(
          "targets { pid: 1 } targets { pid: 2 start_time: 3 } signal: 9"))},
      &rng, 10000);
  FeedAll<Stats>({Encode(Parse<Stats>(R"pb(
                   raised: 5 multicast: 4 dropped_no_listener: 1
                   per_type { type: EVENT_CUSTOM raised: 5 }
                 )pb"))},
                 &rng, 10000);
}

TEST(NlDecodeTest, SkipsUnknownAttributeTypes) {
  const std::string wire = Attr(1, Value<uint32_t>(7)) +
                           Attr(900, Value<uint32_t>(1)) +
                           Attr(2, Value<uint32_t>(11));
  test::Leaf leaf;
  // Attribute 2 of a Leaf is a string: the stream above breaks the schema.
  EXPECT_FALSE(nlgen::Decode(Bytes(wire), &leaf));
  const std::string ok = Attr(1, Value<uint32_t>(7)) +
                         Attr(900, Value<uint32_t>(1));
  leaf.Clear();
  ASSERT_TRUE(nlgen::Decode(Bytes(ok), &leaf));
  EXPECT_EQ(leaf.id(), 7u);
}

TEST(NlDecodeTest, GivesUpOnUnknownEnumValuesAndDecodeEventKeepsThem) {
  // type 60 is no EventType: the codec keeps it as an unknown field.
  const std::string wire = Attr(1, Value<uint64_t>(3)) +
                           Attr(3, Value<uint32_t>(60));
  Event fast;
  EXPECT_FALSE(nlgen::Decode(Bytes(wire), &fast));
  Event e;
  ASSERT_TRUE(DecodeEvent(Bytes(wire), &e).ok());
  EXPECT_EQ(e.seq(), 3u);
  EXPECT_FALSE(e.has_type());
  EXPECT_TRUE(HasUnknownFields(e));
}

TEST(NlDecodeTest, DecodeEventGivesTheCodecsErrors) {
  const std::string dup = Attr(1, Value<uint64_t>(3)) + Attr(1, Value<uint64_t>(4));
  Event e, reference;
  const absl::Status st = DecodeEvent(Bytes(dup), &e);
  const absl::Status want = DecodeAttrs(Bytes(dup), &reference);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st, want);
  EXPECT_THAT(st.message(), ::testing::HasSubstr("appears more than once"));
}

TEST(NlDecodeTest, DecodeEventClearsWhatWasThere) {
  Event e = Parse<Event>("seq: 1 custom { code: 5 data { key: \"a\" } }");
  const std::string wire = Encode(Parse<Event>("seq: 2"));
  ASSERT_TRUE(DecodeEvent(Bytes(wire), &e).ok());
  EXPECT_EQ(e.ShortDebugString(), "seq: 2");
}

// A multi-attr's members add up within one stream; the next stream
// replaces them.
TEST(NlDecodeTest, MultiAttrMembersAddUpAndAreReplaced) {
  const std::string a = Nest(2, Attr(1, Str("a"))), b = Nest(2, Attr(1, Str("b")));
  CustomEvent c;
  ASSERT_TRUE(nlgen::Decode(Bytes(a + Attr(1, Value<uint32_t>(5)) + b), &c));
  ASSERT_EQ(c.data_size(), 2);
  EXPECT_EQ(c.data(0).key(), "a");
  EXPECT_EQ(c.data(1).key(), "b");
  ASSERT_TRUE(nlgen::Decode(Bytes(b), &c));
  ASSERT_EQ(c.data_size(), 1);
  EXPECT_EQ(c.data(0).key(), "b");
  EXPECT_FALSE(c.has_code());
}

// Pads (nla_put_64bit()) are skipped, as the codec skips them.
TEST(NlDecodeTest, PadsAreSkipped) {
  Stats s;
  ASSERT_TRUE(nlgen::Decode(
      Bytes(Attr(15, "") + Attr(1, Value<uint64_t>(3)) + Attr(15, "")), &s));
  EXPECT_EQ(s.ShortDebugString(), "raised: 3");
}

}  // namespace
}  // namespace kuchan
