// SPDX-License-Identifier: GPL-2.0
//
// The protobuf-free SIGNAL codec (signal.h) against the schema codec, which
// is the reference: the encoder must produce exactly EncodeAttrs()'s bytes,
// the reply decoder must take and refuse what DecodeAttrs() does with the
// same values, and the namer must say what DescribeAttrAt() says.
#include "userspace/kuchan/signal.h"

#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "proto/kuchan.pb.h"
#include "userspace/kuchan/codec.h"
#include "userspace/kuchan/nla.h"
#include "userspace/kuchan/test_messages.h"
#include "userspace/kuchan/test_wire.h"

namespace kuchan {
namespace {

using wire::Bytes;
using wire::Encode;
using wire::Parse;

SignalSpec SpecOf(const SignalRequest& req) {
  SignalSpec spec;
  for (const SignalTarget& t : req.targets()) {
    SignalTargetSpec& s = spec.targets.emplace_back();
    if (t.has_pid()) s.pid = t.pid();
    if (t.has_start_time()) s.start_time = t.start_time();
  }
  if (req.has_signal()) spec.signal = req.signal();
  if (req.has_value()) spec.value = req.value();
  return spec;
}

std::string Fast(const SignalRequest& req) {
  std::string out;
  EncodeSignal(SpecOf(req), &out);
  return out;
}

TEST(SignalEncoder, MatchesCodecForEveryFieldCombination) {
  for (int mask = 0; mask < 32; mask++) {
    SignalRequest req;
    if (mask & 1) req.set_signal(15);
    if (mask & 2) req.set_value(-7);
    const int targets = (mask >> 2) & 3;  // 0..3 targets
    for (int i = 0; i < targets; i++) {
      SignalTarget* t = req.add_targets();
      t->set_pid(100 + i);
      if (mask & 16) t->set_start_time(123456789012ull + i);
    }
    EXPECT_EQ(Fast(req), Encode(req)) << req.ShortDebugString();
  }
}

TEST(SignalEncoder, TargetWithoutPidMatchesToo) {
  SignalRequest req;
  req.set_signal(0);
  req.add_targets()->set_start_time(5);
  req.add_targets();
  EXPECT_EQ(Fast(req), Encode(req));
}

TEST(SignalEncoder, RoundTripsThroughTheCodec) {
  SignalRequest req;
  req.set_signal(10);
  req.set_value(42);
  for (int i = 0; i < 64; i++) req.add_targets()->set_pid(i + 1);
  SignalRequest back;
  const std::string bytes = Fast(req);
  ASSERT_TRUE(DecodeAttrs(Bytes(bytes), &back).ok());
  EXPECT_EQ(back.ShortDebugString(), req.ShortDebugString());
}

TEST(SignalEncoder, AppendsToWhatIsThere) {
  SignalRequest req;
  req.set_signal(1);
  std::string out = "head";
  EncodeSignal(SpecOf(req), &out);
  EXPECT_EQ(out.substr(0, 4), "head");
  EXPECT_EQ(out.substr(4), Fast(req));
}

// The reply decoder takes what the codec takes, with the same values, and
// refuses what it refuses, on valid, mutated and random replies.
TEST(SignalReplyDecoder, AgreesWithTheCodec) {
  const std::vector<std::string> seeds = {
      Encode(Parse<SignalRequest>("results { pid: 5 error: 0 } "
                                  "results { pid: 6 error: 3 }")),
      Encode(Parse<SignalRequest>("results { pid: -1 error: 1 }")),
      Encode(SignalRequest()),
  };
  std::mt19937 rng(4242);
  std::uniform_int_distribution<int> byte(0, 255);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string buf = seeds[rng() % seeds.size()];
    if (i > 0) {
      const int flips = 1 + rng() % 3;
      for (int f = 0; f < flips && !buf.empty(); ++f) {
        buf[rng() % buf.size()] = static_cast<char>(byte(rng));
      }
      if (i % 3 == 1 && !buf.empty()) buf.resize(rng() % buf.size());
      if (i % 3 == 2) buf += seeds[rng() % seeds.size()];
    }
    const std::vector<uint8_t> exact(buf.begin(), buf.end());
    // A reply holds results alone: a mutation that turned one into a
    // request attribute (targets, signal, value), which the fast decoder
    // skips and the codec reads, is not a reply to compare on.
    bool request_attr = false;
    NlaReader top(exact);
    for (Nla a; top.Next(&a);) request_attr |= a.type >= 1 && a.type <= 3;
    if (request_attr) continue;
    std::vector<SignalOutcome> fast;
    const bool ok = DecodeSignalReply(exact, &fast).ok();
    SignalRequest reference;
    const bool ref_ok = DecodeAttrs(exact, &reference).ok();
    ASSERT_EQ(ok, ref_ok) << "input " << i;
    if (!ok) continue;
    ++accepted;
    ASSERT_EQ(fast.size(), static_cast<size_t>(reference.results_size()));
    for (size_t j = 0; j < fast.size(); ++j) {
      EXPECT_EQ(fast[j].pid, reference.results(static_cast<int>(j)).pid());
      EXPECT_EQ(fast[j].error, reference.results(static_cast<int>(j)).error());
    }
  }
  EXPECT_GT(accepted, 0);
}

// Every byte of a request is named as the codec names it.
TEST(SignalAttrNamer, AgreesWithTheCodecAtEveryOffset) {
  std::vector<std::string> requests = {
      Encode(Parse<SignalRequest>(
          "targets { pid: 1 } targets { pid: 2 start_time: 3 } signal: 9 "
          "value: 4")),
      Encode(Parse<SignalRequest>("signal: 1")),
      // An attribute the schema lacks, at the top and inside a target.
      Encode(Parse<SignalRequest>("signal: 1")) + wire::Attr(9, wire::Value<uint32_t>(1)) +
          wire::Nest(1, wire::Nest(1, wire::Attr(7, wire::Value<uint32_t>(2)))),
  };
  for (const std::string& r : requests) {
    for (size_t off = 0; off <= r.size(); ++off) {
      EXPECT_EQ(DescribeSignalAttr(Bytes(r), off),
                DescribeAttrAt(SignalRequest::descriptor(), Bytes(r), off))
          << "offset " << off;
    }
  }
}

}  // namespace
}  // namespace kuchan
