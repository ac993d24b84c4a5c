// SPDX-License-Identifier: GPL-2.0
//
// The client on a host without the kuchan module: connecting must fail
// with the one-line message kuchanctl prints.
#include "userspace/kuchan/client.h"

#include "gtest/gtest.h"
#include "userspace/kuchan/controller.h"

namespace kuchan {
namespace {

TEST(ClientTest, ModuleNotLoadedMessage) {
  EXPECT_EQ(ModuleNotLoadedMessage(),
            "kuchan module is not loaded (load it with: modprobe kuchan, or "
            "insmod kuchan.ko)");
}

TEST(ClientTest, ConnectWithoutTheModule) {
  {
    absl::StatusOr<Socket> s = Socket::Open();
    if (!s.ok()) GTEST_SKIP() << "no generic netlink here: " << s.status();
    if (GetFamily(*s, "kuchan").ok()) {
      GTEST_SKIP() << "the kuchan module is loaded on this host";
    }
  }
  absl::StatusOr<Client> c = Client::Connect();
  EXPECT_EQ(c.status().code(), absl::StatusCode::kNotFound) << c.status();
  EXPECT_EQ(c.status().message(), ModuleNotLoadedMessage());
}

}  // namespace
}  // namespace kuchan
