// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/family.h"

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "userspace/kuchan/test_wire.h"

namespace kuchan {
namespace {

using ::testing::HasSubstr;
using wire::Attr;
using wire::Bytes;
using wire::GenlHeader;
using wire::Nest;
using wire::NlMsg;
using wire::Str;
using wire::Value;

std::string Op(uint16_t index, uint32_t id, uint32_t flags) {
  // The kernel nests ops without NLA_F_NESTED (nla_nest_start_noflag).
  return Attr(index, Attr(CTRL_ATTR_OP_ID, Value(id)) +
                         Attr(CTRL_ATTR_OP_FLAGS, Value(flags)));
}

std::string Group(uint16_t index, const char* name, uint32_t id) {
  return Attr(index, Attr(CTRL_ATTR_MCAST_GRP_NAME, Str(name)) +
                         Attr(CTRL_ATTR_MCAST_GRP_ID, Value(id)));
}

std::string KuchanAttrs() {
  return Attr(CTRL_ATTR_FAMILY_ID, Value<uint16_t>(34)) +
         Attr(CTRL_ATTR_FAMILY_NAME, Str("kuchan")) +
         Attr(CTRL_ATTR_VERSION, Value<uint32_t>(1)) +
         Attr(CTRL_ATTR_HDRSIZE, Value<uint32_t>(0)) +
         Attr(CTRL_ATTR_MAXATTR, Value<uint32_t>(3)) +
         Attr(CTRL_ATTR_OPS,
              Op(1, 1, GENL_CMD_CAP_DO | GENL_CMD_CAP_HASPOL) +
                  Op(2, 2, GENL_CMD_CAP_DO | GENL_ADMIN_PERM) +
                  Op(3, 12, GENL_CMD_CAP_DUMP | GENL_UNS_ADMIN_PERM)) +
         Attr(CTRL_ATTR_MCAST_GROUPS, Group(1, "monitor", 9)) +
         // Newer kernels add attributes: skipped.
         Nest(CTRL_ATTR_POLICY, "\x01\x02\x03\x04") + Attr(42, "future");
}

std::string NewFamily(const std::string& attrs,
                      uint8_t cmd = CTRL_CMD_NEWFAMILY,
                      uint16_t type = GENL_ID_CTRL) {
  return NlMsg(type, 0, 1, 1, GenlHeader(cmd, 2) + attrs);
}

TEST(ParseNewFamilyTest, EveryField) {
  absl::StatusOr<FamilyInfo> f = ParseNewFamily(Bytes(NewFamily(KuchanAttrs())));
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->name, "kuchan");
  EXPECT_EQ(f->id, 34);
  EXPECT_EQ(f->version, 1u);
  EXPECT_EQ(f->hdrsize, 0u);
  EXPECT_EQ(f->maxattr, 3u);
  ASSERT_EQ(f->ops.size(), 3u);
  EXPECT_EQ(f->ops[0].cmd, 1u);
  EXPECT_EQ(f->ops[0].flags, 0xau);
  EXPECT_EQ(f->ops[1].cmd, 2u);
  EXPECT_EQ(f->ops[1].flags, 0x3u);
  EXPECT_EQ(f->ops[2].cmd, 12u);
  EXPECT_EQ(f->ops[2].flags, 0x14u);
  EXPECT_TRUE(f->ops[0].name.empty());
  ASSERT_EQ(f->groups.size(), 1u);
  EXPECT_EQ(f->groups[0].name, "monitor");
  EXPECT_EQ(f->groups[0].id, 9u);
  ASSERT_NE(f->FindGroup("monitor"), nullptr);
  EXPECT_EQ(f->FindGroup("monitor")->id, 9u);
  EXPECT_EQ(f->FindGroup("other"), nullptr);
}

TEST(ParseNewFamilyTest, FamilyWithoutOpsOrGroups) {
  absl::StatusOr<FamilyInfo> f = ParseNewFamily(
      Bytes(NewFamily(Attr(CTRL_ATTR_FAMILY_ID, Value<uint16_t>(40)) +
                      Attr(CTRL_ATTR_FAMILY_NAME, Str("x")))));
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_TRUE(f->ops.empty());
  EXPECT_TRUE(f->groups.empty());
}

MATCHER_P(InvalidArgument, text, "") {
  *result_listener << "status " << arg;
  return arg.code() == absl::StatusCode::kInvalidArgument &&
         std::string(arg.message()).find(text) != std::string::npos;
}

TEST(ParseNewFamilyTest, RefusesWhatIsNotANewFamilyMessage) {
  EXPECT_THAT(ParseNewFamily(Bytes("tiny")).status(),
              InvalidArgument("shorter than its headers"));
  std::string lying = NewFamily(KuchanAttrs());
  lying[1] = '\x7f';  // nlmsg_len far past the end.
  EXPECT_THAT(ParseNewFamily(Bytes(lying)).status(),
              InvalidArgument("genetlink controller answer with nlmsg_len"));
  EXPECT_THAT(ParseNewFamily(Bytes(NewFamily(KuchanAttrs(), CTRL_CMD_NEWFAMILY,
                                             0x22)))
                  .status(),
              InvalidArgument("got type 34"));
  EXPECT_THAT(
      ParseNewFamily(Bytes(NewFamily(KuchanAttrs(), CTRL_CMD_DELFAMILY)))
          .status(),
      InvalidArgument("got command 2"));
  EXPECT_THAT(ParseNewFamily(Bytes(NewFamily(Attr(CTRL_ATTR_VERSION,
                                                  Value<uint32_t>(1)))))
                  .status(),
              InvalidArgument("without CTRL_ATTR_FAMILY_ID"));
}

TEST(ParseNewFamilyTest, MalformedAttributesAreNamed) {
  EXPECT_THAT(ParseNewFamily(Bytes(NewFamily(
                                 Attr(CTRL_ATTR_FAMILY_ID, Value<uint32_t>(34)))))
                  .status(),
              InvalidArgument("kuchan.genl.CtrlFamily.family_id (attr 1): "
                              "expected 2 bytes, got 4"));
  EXPECT_THAT(
      ParseNewFamily(Bytes(NewFamily(
                         Attr(CTRL_ATTR_FAMILY_ID, Value<uint16_t>(34)) +
                         Attr(CTRL_ATTR_MCAST_GROUPS,
                              Attr(1, Attr(CTRL_ATTR_MCAST_GRP_NAME, "mon"))))))
          .status(),
      InvalidArgument("kuchan.genl.CtrlFamily.mcast_groups[0] (attr 7): "
                      "kuchan.genl.CtrlGroup.name (attr 1): string `mon' "
                      "lacks its NUL terminator"));
}

// A group that cannot be joined by name is refused, not read as group 0.
TEST(ParseNewFamilyTest, GroupWithoutIdOrNameIsRefused) {
  const std::string family = Attr(CTRL_ATTR_FAMILY_ID, Value<uint16_t>(34)) +
                             Attr(CTRL_ATTR_FAMILY_NAME, Str("kuchan"));
  for (const std::string& group :
       {Attr(1, Attr(CTRL_ATTR_MCAST_GRP_NAME, Str("monitor"))),
        Attr(1, Attr(CTRL_ATTR_MCAST_GRP_ID, Value<uint32_t>(9)))}) {
    EXPECT_THAT(ParseNewFamily(Bytes(NewFamily(
                                   family + Attr(CTRL_ATTR_MCAST_GROUPS, group))))
                    .status(),
                InvalidArgument("a multicast group without"));
  }
}

TEST(ParseNewFamilyFuzzTest, MutatedAnswersGiveAStatus) {
  std::mt19937 rng(11);
  const std::string seed = NewFamily(KuchanAttrs());
  int ok = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string buf = seed;
    for (int f = 0; f < 1 + static_cast<int>(rng() % 3); ++f) {
      buf[rng() % buf.size()] = static_cast<char>(rng());
    }
    if (i % 4 == 0) buf.resize(rng() % buf.size());
    const std::vector<uint8_t> exact(buf.begin(), buf.end());
    ok += ParseNewFamily(exact).ok();
  }
  EXPECT_GT(ok, 0);
}

}  // namespace
}  // namespace kuchan
