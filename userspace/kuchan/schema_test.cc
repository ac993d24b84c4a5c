// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/schema.h"

#include "gtest/gtest.h"
#include "proto/kuchan.pb.h"
#include "proto/netlink.pb.h"

namespace kuchan {
namespace {

TEST(SchemaTest, FamilyFromFileOptions) {
  EXPECT_EQ(SchemaFamilyName(), "kuchan");
  EXPECT_EQ(SchemaVersion(), 2u);
}

// The start-up path reads the generated UAPI header instead of the schema's
// options: they must say the same.
TEST(SchemaTest, UapiHeaderAgreesWithTheSchemaOptions) {
  const nl::Family& f =
      Command_descriptor()->file()->options().GetExtension(nl::family);
  EXPECT_EQ(SchemaFamilyName(), f.name());
  EXPECT_EQ(SchemaVersion(), f.version());
  EXPECT_EQ(SchemaMonitorGroupName(), SchemaGroupName(MONITOR));
}

TEST(SchemaTest, CommandNamesFollowTheGenerator) {
  EXPECT_EQ(SchemaCommandName(CMD_SIGNAL), "signal");
  EXPECT_EQ(SchemaCommandName(CMD_HELPER_SET), "helper_set");
  EXPECT_EQ(SchemaCommandName(CMD_GET_STATS), "get_stats");
  EXPECT_EQ(SchemaCommandName(CMD_EVENT_NTF), "event_ntf");
  // CMD_UNSPEC is no command; numbers past the schema are unknown.
  EXPECT_EQ(SchemaCommandName(0), "");
  EXPECT_EQ(SchemaCommandName(200), "");
  EXPECT_EQ(SchemaCommandName(1000), "");
  ASSERT_NE(SchemaCommand(CMD_SIGNAL), nullptr);
  EXPECT_EQ(SchemaCommand(CMD_SIGNAL)->options().GetExtension(nl::op).request(),
            "kuchan.SignalRequest");
}

TEST(SchemaTest, GroupNames) {
  EXPECT_EQ(SchemaGroupName(MONITOR), "monitor");
  EXPECT_EQ(SchemaGroupName(1), "");
}

TEST(SchemaTest, ShortEnumName) {
  EXPECT_EQ(ShortEnumName("CMD_HELPER_CLEAR"), "helper_clear");
  EXPECT_EQ(ShortEnumName("MONITOR"), "monitor");
}

}  // namespace
}  // namespace kuchan
