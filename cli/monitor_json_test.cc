// SPDX-License-Identifier: GPL-2.0
//
// `kuchanctl monitor --json` against checked-in expectations, as the
// kernel's ovpn selftests diff a listener's JSON with golden files: a
// scripted stream of every event type, encoded as the module sends it
// (protocol version 2: multi-attrs, a pad before a u64 here and there),
// decoded by the library as monitor decodes it, printed by monitor's JSON
// formatter. The expectations are testdata/events.jsonl; when the format
// changes on purpose, run this test with KUCHAN_UPDATE_GOLDEN=1 to rewrite
// them, and read the diff.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/event_script_testing.h"
#include "cli/monitor.h"
#include "gtest/gtest.h"

namespace kuchan::cli {
namespace {

// A bare pad attribute of the Event set (nla_put_64bit()'s alignment),
// put first: the decoder must read through it.
std::string Pad() {
  const uint16_t hdr[2] = {4, 6};  // nla_len 4, KUCHAN_A_EVENT_PAD
  return std::string(reinterpret_cast<const char*>(hdr), sizeof(hdr));
}

std::string Golden() {
  return std::string(KUCHAN_CLI_TESTDATA) + "/events.jsonl";
}

TEST(MonitorJsonGolden, ScriptedStreamMatchesTheExpectations) {
  std::string got;
  for (const char* text : test_support::kEventScript) {
    got += FormatEventJson(test_support::ScriptEvent(text, Pad())) + "\n";
  }
  if (getenv("KUCHAN_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(Golden()) << got;
    GTEST_SKIP() << "rewrote " << Golden();
  }
  std::ifstream in(Golden());
  ASSERT_TRUE(in) << "cannot read " << Golden();
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(got, want.str()) << "run with KUCHAN_UPDATE_GOLDEN=1 to accept";
}

}  // namespace
}  // namespace kuchan::cli
