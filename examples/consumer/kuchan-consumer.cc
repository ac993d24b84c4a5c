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

#include "proto/kuchan.pb.h"
#include "userspace/kuchan/client.h"
#include "userspace/kuchan/helper_config.h"
#include "userspace/kuchan/schema_constants.h"

int main() {
  absl::StatusOr<kuchan::Client> client =
      kuchan::Client::Connect("kuchan-consumer");
  if (!client.ok()) {
    std::fprintf(stderr, "kuchan-consumer: %s\n",
                 std::string(client.status().message()).c_str());
    return 1;
  }
  absl::StatusOr<kuchan::FamilyInfo> info = client->Info();
  if (!info.ok()) {
    std::fprintf(stderr, "kuchan-consumer: %s\n",
                 std::string(info.status().message()).c_str());
    return 1;
  }
  std::printf(
      "%s family %u, protocol version %u (libkuchan speaks %u), "
      "%zu commands\n",
      info->name.c_str(), info->id, info->version, kuchan::SchemaVersion(),
      info->ops.size());

  kuchan::Stats stats;
  absl::Status st = client->Do(kuchan::CMD_GET_STATS, nullptr, &stats);
  if (!st.ok()) {
    std::fprintf(stderr, "kuchan-consumer: %s\n",
                 std::string(st.message()).c_str());
    return 1;
  }
  std::printf("events raised: %llu\n",
              static_cast<unsigned long long>(stats.raised()));

  absl::StatusOr<kuchan::HelperConfig> helper = kuchan::GetHelper(*client);
  if (!helper.ok()) {
    std::fprintf(stderr, "kuchan-consumer: %s\n",
                 std::string(helper.status().message()).c_str());
    return 1;
  }
  std::printf("usermode helper: %s\n",
              helper->has_path() ? helper->path().c_str() : "none");
  return 0;
}
