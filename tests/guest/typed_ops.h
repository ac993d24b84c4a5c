// SPDX-License-Identifier: GPL-2.0
//
// The library's typed op calls (kuchan.ops.h) in the shapes the guest
// suites use most: a connection that must open, an EMIT from key/value
// pairs, the module's counters.
#ifndef KUCHAN_TESTS_GUEST_TYPED_OPS_H_
#define KUCHAN_TESTS_GUEST_TYPED_OPS_H_

#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "userspace/kuchan/connection.h"
#include "userspace/kuchan/kuchan.msg.h"
#include "userspace/kuchan/kuchan.ops.h"

namespace kuchan::guest {

// A connection to the module; a failure fails the test and aborts (a suite
// can do nothing without it).
inline Connection Connect(absl::string_view program = "guest test") {
  absl::StatusOr<Connection> c = Connection::Open(program);
  if (!c.ok()) {
    ADD_FAILURE() << c.status();
    abort();
  }
  return *std::move(c);
}

// CMD_EMIT of a custom event with `code` and the data pairs in order.
inline absl::Status Emit(
    Connection& c, uint32_t code,
    const std::vector<std::pair<std::string, std::string>>& data) {
  msg::CustomEvent e;
  e.code = code;
  for (const auto& [key, value] : data) e.data.push_back({key, value});
  return msg::Emit(c, e);
}

// CMD_GET_STATS; a failure fails the test and gives empty counters.
inline msg::Stats ReadStats(Connection& c) {
  msg::Stats s;
  const absl::Status st = msg::GetStats(c, &s);
  EXPECT_TRUE(st.ok()) << st;
  return s;
}

}  // namespace kuchan::guest

#endif  // KUCHAN_TESTS_GUEST_TYPED_OPS_H_
