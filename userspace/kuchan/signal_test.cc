// SPDX-License-Identifier: GPL-2.0
//
// The SIGNAL hot-path encoder must produce exactly what the schema codec
// does: same attributes, same order, same flags and padding.
#include "userspace/kuchan/signal.h"

#include <string>

#include "gtest/gtest.h"
#include "userspace/kuchan/codec.h"

namespace kuchan {
namespace {

std::string Reflected(const SignalRequest& req) {
  std::string out;
  absl::Status s = EncodeAttrs(req, &out);
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

std::string Fast(const SignalRequest& req) {
  std::string out;
  EncodeSignalRequest(req, &out);
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
    EXPECT_EQ(Fast(req), Reflected(req)) << req.ShortDebugString();
  }
}

TEST(SignalEncoder, TargetWithoutPidMatchesToo) {
  SignalRequest req;
  req.set_signal(0);
  req.add_targets()->set_start_time(5);
  req.add_targets();
  EXPECT_EQ(Fast(req), Reflected(req));
}

TEST(SignalEncoder, RoundTripsThroughTheCodec) {
  SignalRequest req;
  req.set_signal(10);
  req.set_value(42);
  for (int i = 0; i < 64; i++) req.add_targets()->set_pid(i + 1);
  SignalRequest back;
  const std::string bytes = Fast(req);
  ASSERT_TRUE(DecodeAttrs(absl::Span<const uint8_t>(
                              reinterpret_cast<const uint8_t*>(bytes.data()),
                              bytes.size()),
                          &back)
                  .ok());
  EXPECT_EQ(back.ShortDebugString(), req.ShortDebugString());
}

TEST(SignalEncoder, AppendsToWhatIsThere) {
  SignalRequest req;
  req.set_signal(1);
  std::string out = "head";
  EncodeSignalRequest(req, &out);
  EXPECT_EQ(out.substr(0, 4), "head");
  EXPECT_EQ(out.substr(4), Fast(req));
}

}  // namespace
}  // namespace kuchan
