// SPDX-License-Identifier: GPL-2.0
//
// kuchan-consumer: a program of someone else's, built against an installed
// libkuchan (libkuchan-dev) with CMake (CMakeLists.txt) or pkg-config
// (Makefile). It asks the module for its family, its event counters and its
// usermode helper:
//
//   $ kuchan-consumer
//   kuchan family 30, protocol version 2 (libkuchan speaks 2), 9 commands
//   events raised: 12
//   usermode helper: none
//
// Exit status 0, or 1 with the reason on stderr (the module not loaded,
// not CAP_NET_ADMIN for the counters).
#include <cstdio>
#include <string>

#include "userspace/kuchan/connection.h"
#include "userspace/kuchan/kuchan.msg.h"
#include "userspace/kuchan/kuchan.ops.h"
#include "userspace/kuchan/schema_constants.h"

namespace {

int Fail(const absl::Status& st) {
  std::fprintf(stderr, "kuchan-consumer: %s\n",
               std::string(st.message()).c_str());
  return 1;
}

}  // namespace

int main() {
  absl::StatusOr<kuchan::Connection> conn =
      kuchan::Connection::Open("kuchan-consumer");
  if (!conn.ok()) return Fail(conn.status());
  absl::StatusOr<kuchan::FamilyInfo> info = conn->Info();
  if (!info.ok()) return Fail(info.status());
  std::printf(
      "%s family %u, protocol version %u (libkuchan speaks %u), "
      "%zu commands\n",
      info->name.c_str(), info->id, info->version, kuchan::SchemaVersion(),
      info->ops.size());

  // Each op is a call generated from the schema, on plain structs.
  kuchan::msg::Stats stats;
  absl::Status st = kuchan::msg::GetStats(*conn, &stats);
  if (!st.ok()) return Fail(st);
  std::printf("events raised: %llu\n",
              static_cast<unsigned long long>(stats.raised.value_or(0)));

  kuchan::msg::HelperConfig helper;
  st = kuchan::msg::HelperGet(*conn, &helper);
  if (!st.ok()) return Fail(st);
  std::printf("usermode helper: %s\n",
              helper.path ? helper.path->c_str() : "none");
  return 0;
}
