// SPDX-License-Identifier: GPL-2.0
//
// The typed codec (protoc-gen-kuchan-cpp's *.msg.{h,cc}) against the
// reflection codec, which is the reference: on any input both decode, with
// the same content (compared by encoding both again, byte for byte), or both
// refuse it with the same status, word for word. Fed with valid encodings,
// mutated ones and noise, for every wire type and bound (the codec's test
// schema) and kuchan's own sets; then the encoder's refusals, case by case.
// The generated JSON is held to the reflection JSON (message_json.h) the
// same way.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "userspace/kuchan/message_json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/kuchan.pb.h"
#include "userspace/kuchan/codec.h"
#include "userspace/kuchan/kuchan.msg.h"
#include "userspace/kuchan/test_messages.h"
#include "userspace/kuchan/test_wire.h"
#include "userspace/kuchan/testdata/codec_test.msg.h"
#include "userspace/kuchan/testdata/codec_test.pb.h"

namespace kuchan {
namespace {

using ::google::protobuf::Message;
using ::testing::HasSubstr;
using wire::Attr;
using wire::Bytes;
using wire::Encode;
using wire::HasUnknownFields;
using wire::Nest;
using wire::Parse;
using wire::Str;
using wire::Value;

// The typed codec's Encode() and Decode() are called unqualified: argument-
// dependent lookup picks kuchan::msg's or kuchan::test::msg's.

// One input through both codecs; returns whether it decoded. `typed` is
// reused from one input to the next, as a reader reuses its message: what
// an earlier decode left (even a half-written one) must not show.
template <typename P, typename T>
bool Compare(const std::string& buf, T* typed) {
  // Exact-size heap copy so ASan sees any read past the end.
  const std::vector<uint8_t> exact(buf.begin(), buf.end());
  const absl::Status got = Decode(exact, typed);
  P reference;
  const absl::Status want = DecodeAttrs(exact, &reference);
  if (!want.ok()) {
    EXPECT_EQ(got, want) << "on " << absl::CEscape(buf);
    return false;
  }
  EXPECT_TRUE(got.ok()) << got << " on " << absl::CEscape(buf);
  if (!got.ok() || HasUnknownFields(reference)) return got.ok();
  std::string typed_wire, reference_wire;
  const absl::Status typed_st = Encode(*typed, &typed_wire);
  const absl::Status reference_st = EncodeAttrs(reference, &reference_wire);
  EXPECT_EQ(typed_st, reference_st);
  EXPECT_EQ(absl::CEscape(typed_wire), absl::CEscape(reference_wire))
      << "codec's message: " << reference.ShortDebugString();
  std::string json;
  AppendJson(*typed, &json);
  EXPECT_EQ(json, MessageJson(reference));
  return true;
}

// A set's extended-ACK namer: msg::DescribeAttr<T> or test::msg's (a
// template-id finds no other namespace's template by itself in C++17).
using Namer = std::string (*)(absl::Span<const uint8_t>, size_t);

// The namer on every byte of `buf`, against the codec's.
template <typename P>
void DescribeEveryByte(const std::string& buf, Namer describe) {
  const std::vector<uint8_t> exact(buf.begin(), buf.end());
  for (size_t off = 0; off <= exact.size(); ++off) {
    ASSERT_EQ(describe(exact, off),
              DescribeAttrAt(P::descriptor(), exact, off))
        << "offset " << off << " of " << absl::CEscape(buf);
  }
}

template <typename P, typename T>
void FeedAll(const std::vector<std::string>& seeds, std::mt19937* rng,
             int rounds, Namer describe) {
  int decoded = 0;
  T reused;
  for (const std::string& seed : seeds) {
    EXPECT_TRUE((Compare<P, T>(seed, &reused))) << "a seed must decode";
    DescribeEveryByte<P>(seed, describe);
  }
  for (int i = 0; i < rounds; ++i) {
    const std::string buf = wire::Mutated(seeds, i, rng);
    decoded += Compare<P, T>(buf, &reused);
    if (i % 10 == 0) DescribeEveryByte<P>(buf, describe);
  }
  // Sanity: the mutations leave some inputs decodable.
  EXPECT_GT(decoded, 0);
}

TEST(MsgTest, AgreesWithTheCodecOnEveryWireTypeAndBound) {
  std::mt19937 rng(20261202);
  FeedAll<test::AllTypes, test::msg::AllTypes>(
      {Encode(Parse<test::AllTypes>(R"pb(
         u8: 1 u16: 2 u32: 3 u64: 4 s32: 5 s64: 6 flag: true str: "s"
         bin: "b" color: RED leaf { id: 1 label: "l" }
         leaves { id: 2 } leaves { label: "m" } a: 9 far: 1
         str_as_binary: "x"
       )pb")),
       Encode(Parse<test::AllTypes>(R"pb(
         u8: 255 u16: 65535 s32: -1 s64: -9 str: "" bin: "" color: GREEN
         b: "choice" leaves { id: 1 } leaves { id: 2 } leaves { id: 3 }
       )pb"))},
      &rng, 20000, &test::msg::DescribeAttr<test::msg::AllTypes>);
  FeedAll<test::Bounded, test::msg::Bounded>(
      {Encode(Parse<test::Bounded>(
           "u32: 1 s32: -5 s64: -1 u64: 1000 name: \"ab\" blob: \"x\" small: 200 "
           "negative: -1")),
       Encode(Parse<test::Bounded>(
           "u32: 64 s32: 5 s64: 99 u64: 0 name: \"abcd\" blob: \"xyz\" small: 0 "
           "negative: -2147483648"))},
      &rng, 20000, &test::msg::DescribeAttr<test::msg::Bounded>);
  FeedAll<test::Tree, test::msg::Tree>(
      {Encode(Parse<test::Tree>("value: 1 child { child { child { value: 2 } } }"))},
      &rng, 10000, &test::msg::DescribeAttr<test::msg::Tree>);
}

TEST(MsgTest, AgreesWithTheCodecOnKuchanSets) {
  std::mt19937 rng(1202);
  FeedAll<Event, msg::Event>(
      {Encode(Parse<Event>(R"pb(
         seq: 7 timestamp_ns: 99 type: EVENT_SIGNAL_SENT origin: ORIGIN_USER
         actor { pid: 10 tgid: 10 uid: 0 comm: "bash" start_time: 5 }
         signal_sent { target { pid: 11 comm: "sleep" } signal: 15 value: -3 }
       )pb")),
       Encode(Parse<Event>(R"pb(
         seq: 8 type: EVENT_CUSTOM
         custom { code: 1 data { key: "k" value: "v" } data { key: "k2" } }
       )pb")),
       Encode(Parse<Event>(R"pb(
         seq: 9 type: EVENT_HELPER_CHANGED
         helper_changed { helper { path: "/h" args { value: "a" } event_mask: 3 } }
       )pb")),
       Encode(Parse<Event>(R"pb(
         seq: 10 type: EVENT_LOST lost { count: 4 cpu: 1 }
       )pb"))},
      &rng, 30000, &msg::DescribeAttr<msg::Event>);
  FeedAll<SignalRequest, msg::SignalRequest>(
      {Encode(Parse<SignalRequest>(
           "targets { pid: 1 } targets { pid: 2 start_time: 3 } signal: 9")),
       Encode(Parse<SignalRequest>(
           "results { pid: 1 error: 0 } results { pid: 2 error: 3 }"))},
      &rng, 10000, &msg::DescribeAttr<msg::SignalRequest>);
  FeedAll<Stats, msg::Stats>({Encode(Parse<Stats>(R"pb(
                               raised: 5 multicast: 4 dropped_no_listener: 1
                               per_type { type: EVENT_CUSTOM raised: 5 }
                               batches: 2
                             )pb"))},
                             &rng, 10000, &msg::DescribeAttr<msg::Stats>);
  FeedAll<HelperConfig, msg::HelperConfig>(
      {Encode(Parse<HelperConfig>(
          "path: \"/bin/h\" args { value: \"-v\" } event_mask: 1 "
          "static_path: \"/s\""))},
      &rng, 10000, &msg::DescribeAttr<msg::HelperConfig>);
}

TEST(MsgTest, KeepsEnumValuesTheSchemaDoesNotKnow) {
  // 60 is no EventType: a newer module's. The reader keeps it.
  const std::string wire =
      Attr(1, Value<uint64_t>(3)) + Attr(3, Value<uint32_t>(60));
  msg::Event e;
  ASSERT_TRUE(Decode(Bytes(wire), &e).ok());
  EXPECT_EQ(e.seq, 3u);
  ASSERT_TRUE(e.type.has_value());
  EXPECT_EQ(static_cast<uint32_t>(*e.type), 60u);
  std::string again;
  ASSERT_TRUE(Encode(e, &again).ok());
  EXPECT_EQ(again, wire);
  // In JSON it is its number; a known value is its name.
  std::string json;
  AppendJson(e, &json);
  EXPECT_EQ(json, R"({"seq":3,"type":60})");
  e.type = msg::EVENT_HELPER_DROPPED;
  e.origin = msg::ORIGIN_KERNEL;
  json.clear();
  AppendJson(e, &json);
  EXPECT_EQ(json, R"({"seq":3,"type":"helper_dropped","origin":"kernel"})");
}

TEST(MsgTest, DecodeReplacesWhatWasThere) {
  msg::CustomEvent c;
  const std::string a = Nest(2, Attr(1, Str("a")));
  const std::string b = Nest(2, Attr(1, Str("b")));
  ASSERT_TRUE(Decode(Bytes(a + Attr(1, Value<uint32_t>(5)) + b), &c).ok());
  ASSERT_EQ(c.data.size(), 2u);
  EXPECT_EQ(c.data[0].key, "a");
  EXPECT_EQ(c.data[1].key, "b");
  EXPECT_EQ(c.code, 5u);
  ASSERT_TRUE(Decode(Bytes(b), &c).ok());
  ASSERT_EQ(c.data.size(), 1u);
  EXPECT_EQ(c.data[0].key, "b");
  EXPECT_FALSE(c.code.has_value());
}

// A reader that keeps its struct decodes the next message of the same
// shape into the same storage: the list's buffer and a long string's
// buffer are the ones the previous decode made.
TEST(MsgTest, DecodeReusesTheStorageOfTheLastDecode) {
  const std::string long1(100, 'x'), long2(90, 'y');
  auto custom = [](const std::string& value) {
    return Nest(2, Attr(1, Str("k")) + Attr(2, Str(value))) +
           Nest(2, Attr(1, Str("n")) + Attr(2, Str("1")));
  };
  msg::CustomEvent c;
  ASSERT_TRUE(Decode(Bytes(custom(long1)), &c).ok());
  ASSERT_EQ(c.data.size(), 2u);
  const msg::KeyValue* list = c.data.data();
  const char* value = c.data[0].value->data();
  ASSERT_TRUE(Decode(Bytes(custom(long2)), &c).ok());
  ASSERT_EQ(c.data.size(), 2u);
  EXPECT_EQ(c.data.data(), list);
  EXPECT_EQ(c.data[0].value->data(), value);
  EXPECT_EQ(c.data[0].value, long2);
  EXPECT_EQ(c.data[1].key, "n");
}

// A refused stream leaves nothing of this decode or the last one.
TEST(MsgTest, ARefusedDecodeLeavesTheStructEmpty) {
  msg::CustomEvent c;
  ASSERT_TRUE(Decode(Bytes(Attr(1, Value<uint32_t>(5)) +
                           Nest(2, Attr(1, Str("a")))),
                     &c)
                  .ok());
  const std::string twice = Attr(1, Value<uint32_t>(6)) + Attr(1, Value<uint32_t>(7));
  EXPECT_FALSE(Decode(Bytes(Nest(2, Attr(1, Str("b"))) + twice), &c).ok());
  EXPECT_FALSE(c.code.has_value());
  EXPECT_TRUE(c.data.empty());
}

// What the encoder refuses, in the codec's words, leaving *out as it was.
template <typename P, typename T>
void ExpectEncodeRefused(const T& typed, const std::string& text,
                         const std::string& words) {
  std::string out = "kept", reference = "kept";
  const absl::Status got = Encode(typed, &out);
  const absl::Status want = EncodeAttrs(Parse<P>(text), &reference);
  EXPECT_FALSE(want.ok()) << text;
  EXPECT_EQ(got, want) << text;
  EXPECT_THAT(got.message(), HasSubstr(words));
  EXPECT_EQ(out, "kept");
}

TEST(MsgTest, EncoderRefusesWhatTheCodecRefuses) {
  test::msg::Bounded b;
  b.u32 = 0;
  ExpectEncodeRefused<test::Bounded>(b, "u32: 0", "below the minimum 1");
  b = {};
  b.u32 = 65;
  ExpectEncodeRefused<test::Bounded>(b, "u32: 65", "above the maximum 64");
  b = {};
  b.s32 = -6;
  ExpectEncodeRefused<test::Bounded>(b, "s32: -6", "below the minimum -5");
  b = {};
  b.u64 = 1001;
  ExpectEncodeRefused<test::Bounded>(b, "u64: 1001", "above the maximum 1000");
  b = {};
  b.small = 201;
  ExpectEncodeRefused<test::Bounded>(b, "small: 201", "above the maximum 200");
  b = {};
  b.negative = 0;
  ExpectEncodeRefused<test::Bounded>(b, "negative: 0", "above the maximum -1");
  b = {};
  b.name = "abcde";
  ExpectEncodeRefused<test::Bounded>(b, "name: \"abcde\"", "above max_len 4");
  b = {};
  b.blob = "";
  ExpectEncodeRefused<test::Bounded>(b, "blob: \"\"", "below min_len 1");

  test::msg::AllTypes t;
  t.u8 = 256;
  ExpectEncodeRefused<test::AllTypes>(t, "u8: 256", "does not fit a u8");
  t = {};
  t.u16 = 65536;
  ExpectEncodeRefused<test::AllTypes>(t, "u16: 65536", "does not fit a u16");
  t = {};
  t.str = std::string("a\0b", 3);
  ExpectEncodeRefused<test::AllTypes>(t, "str: \"a\\000b\"", "has a NUL at byte 1");
  t = {};
  t.leaves.resize(4);
  ExpectEncodeRefused<test::AllTypes>(
      t, "leaves {} leaves {} leaves {} leaves {}", "4 members, above max_count 3");
  t = {};
  t.leaves.resize(2);
  t.leaves[1].label = "too long label";
  ExpectEncodeRefused<test::AllTypes>(
      t, "leaves {} leaves { label: \"too long label\" }",
      "kuchan.test.AllTypes.leaves[1] (attr 12): kuchan.test.Leaf.label");
  t = {};
  t.bin = std::string(70000, 'x');
  ExpectEncodeRefused<test::AllTypes>(
      t, "bin: \"" + std::string(70000, 'x') + "\"", "do not fit one attribute");
}

// A struct can hold two members of a oneof, a protobuf message cannot: the
// encoder refuses them as the kernel's parser would.
TEST(MsgTest, EncoderRefusesTwoMembersOfAOneof) {
  test::msg::AllTypes t;
  t.a = 1;
  t.b.emplace("x");
  std::string out;
  const absl::Status st = Encode(t, &out);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(st.message(),
              HasSubstr("kuchan.test.AllTypes.b (attr 15): conflicts with "
                        "kuchan.test.AllTypes.a (attr 14) in oneof choice"));
  EXPECT_TRUE(out.empty());
}

// A set that nests itself holds its child in a Boxed<>, which copies deeply.
TEST(MsgTest, RecursiveSetsCopyDeeply) {
  test::msg::Tree t;
  t.value = 1;
  t.child.emplace().child.emplace().value = 3;
  test::msg::Tree copy = t;
  copy.child->child->value = 4;
  EXPECT_EQ(*t.child->child->value, 3u);
  std::string a, b;
  ASSERT_TRUE(Encode(t, &a).ok());
  ASSERT_TRUE(EncodeAttrs(Parse<test::Tree>("value: 1 child { child { value: 3 } }"), &b)
                  .ok());
  EXPECT_EQ(a, b);
}


// Attribute types the schema does not know are skipped; a known one that
// breaks its rule is not.
TEST(MsgTest, SkipsUnknownAttributeTypes) {
  test::msg::Leaf leaf;
  // Attribute 2 of a Leaf is a string: this stream breaks the schema.
  EXPECT_FALSE(Decode(Bytes(Attr(1, Value<uint32_t>(7)) +
                            Attr(900, Value<uint32_t>(1)) +
                            Attr(2, Value<uint32_t>(11))),
                      &leaf)
                   .ok());
  ASSERT_TRUE(Decode(Bytes(Attr(1, Value<uint32_t>(7)) +
                           Attr(900, Value<uint32_t>(1))),
                     &leaf)
                  .ok());
  EXPECT_EQ(leaf.id, 7u);
  EXPECT_FALSE(leaf.label.has_value());
}

// A multi-attr's members add up within one stream; the next stream
// replaces them.
TEST(MsgTest, MultiAttrMembersAddUpAndAreReplaced) {
  const std::string a = Nest(2, Attr(1, Str("a"))),
                    b = Nest(2, Attr(1, Str("b")));
  msg::CustomEvent c;
  ASSERT_TRUE(Decode(Bytes(a + Attr(1, Value<uint32_t>(5)) + b), &c).ok());
  ASSERT_EQ(c.data.size(), 2u);
  EXPECT_EQ(c.data[0].key, "a");
  EXPECT_EQ(c.data[1].key, "b");
  ASSERT_TRUE(Decode(Bytes(b), &c).ok());
  ASSERT_EQ(c.data.size(), 1u);
  EXPECT_EQ(c.data[0].key, "b");
  EXPECT_FALSE(c.code.has_value());
}

// Pads (nla_put_64bit()) are skipped, as the codec skips them.
TEST(MsgTest, PadsAreSkipped) {
  msg::Stats s;
  ASSERT_TRUE(Decode(Bytes(Attr(15, "") + Attr(1, Value<uint64_t>(3)) +
                           Attr(15, "")),
                     &s)
                  .ok());
  EXPECT_EQ(s.raised, 3u);
  EXPECT_FALSE(s.multicast.has_value());
}

}  // namespace
}  // namespace kuchan
