// SPDX-License-Identifier: GPL-2.0
//
// The protocol-version check Connection::Open() makes before any request:
// whichever side is newer, the program is told in the same plain words.
// And on a host without the kuchan module, opening fails with the
// one-line message kuchanctl prints.
#include "userspace/kuchan/connection.h"

#include "gtest/gtest.h"
#include "userspace/kuchan/controller.h"
#include "userspace/kuchan/schema_constants.h"

namespace kuchan {
namespace {

TEST(CheckModuleVersion, SameVersionIsOk) {
  EXPECT_TRUE(CheckModuleVersion(SchemaVersion(), SchemaVersion(), "kuchanctl").ok());
}

TEST(CheckModuleVersion, V1ProgramMeetingV2Module) {
  absl::Status st = CheckModuleVersion(2, 1, "kuchanctl");
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(st.message(),
            "kuchan module speaks protocol version 2 but this kuchanctl was "
            "built for version 1: rebuild kuchanctl or load the matching "
            "module");
}

TEST(CheckModuleVersion, V2ProgramMeetingV1Module) {
  absl::Status st = CheckModuleVersion(1, 2, "kuchan-eventd");
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(st.message(),
            "kuchan module speaks protocol version 1 but this kuchan-eventd "
            "was built for version 2: rebuild kuchan-eventd or load the "
            "matching module");
}

TEST(ConnectionTest, ModuleNotLoadedMessage) {
  EXPECT_EQ(ModuleNotLoadedMessage(),
            "kuchan module is not loaded (load it with: modprobe kuchan, or "
            "insmod kuchan.ko)");
}

TEST(ConnectionTest, OpenWithoutTheModule) {
  {
    absl::StatusOr<Socket> s = Socket::Open();
    if (!s.ok()) GTEST_SKIP() << "no generic netlink here: " << s.status();
    if (GetFamily(*s, "kuchan").ok()) {
      GTEST_SKIP() << "the kuchan module is loaded on this host";
    }
  }
  absl::StatusOr<Connection> c = Connection::Open();
  EXPECT_EQ(c.status().code(), absl::StatusCode::kNotFound) << c.status();
  EXPECT_EQ(c.status().message(), ModuleNotLoadedMessage());
}

}  // namespace
}  // namespace kuchan
