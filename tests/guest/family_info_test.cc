// SPDX-License-Identifier: GPL-2.0
//
// Host unit test of the guest suites' output parsers: a parser that
// misreads both tools the same way would let the guest comparison pass.
#include "tests/guest/family_info.h"

#include "gtest/gtest.h"
#include "tests/guest/guest_util.h"

namespace kuchan::guest {
namespace {

// `genl ctrl get name kuchan' from iproute2 6.1 (tabs and trailing spaces
// as it prints them).
constexpr char kGenl[] =
    "\n"
    "Name: kuchan\n"
    "\tID: 0x22  Version: 0x1  header size: 0  max attribs: 3 \n"
    "\tcommands supported: \n"
    "\t\t#1:  ID-0x1 \n"
    "\t\tCapabilities (0xa):\n"
    " \t\t  can doit; has policy\n"
    "\n"
    "\t\t#2:  ID-0x2 \n"
    "\t\tCapabilities (0x3):\n"
    " \t\t  requires admin permission; can doit;\n"
    "\n"
    "\t\t#3:  ID-0xc \n"
    "\t\tCapabilities (0x14):\n"
    " \t\t  can dumpit;\n"
    "\n"
    "\n"
    "\tmulticast groups:\n"
    "\t\t#1:  ID-0x9  name: monitor \n"
    "\n";

constexpr char kInfo[] =
    "family: kuchan\n"
    "id: 34\n"
    "version: 1\n"
    "hdrsize: 0\n"
    "maxattr: 3\n"
    "op: 1 signal do haspol\n"
    "op: 2 helper_set do admin\n"
    "op: 12 dump_it dump uns_admin\n"
    "group: 9 monitor\n";

TEST(ParseGenlCtrlGet, ReadsEveryField) {
  absl::StatusOr<FamilyInfo> f = ParseGenlCtrlGet(kGenl);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->name, "kuchan");
  EXPECT_EQ(f->id, 0x22u);
  EXPECT_EQ(f->version, 1u);
  EXPECT_EQ(f->hdrsize, 0u);
  EXPECT_EQ(f->maxattr, 3u);
  const std::map<uint32_t, uint32_t> ops = {{1, 0xa}, {2, 0x3}, {12, 0x14}};
  EXPECT_EQ(f->ops, ops);
  const std::map<std::string, uint32_t> groups = {{"monitor", 9}};
  EXPECT_EQ(f->groups, groups);
}

TEST(ParseGenlCtrlGet, RejectsWhatIsNotGenlOutput) {
  EXPECT_FALSE(ParseGenlCtrlGet("").ok());
  EXPECT_FALSE(ParseGenlCtrlGet("Name: kuchan\n").ok());  // no ID line
  EXPECT_FALSE(ParseGenlCtrlGet(std::string(kGenl) + "bogus line\n").ok());
  EXPECT_FALSE(ParseGenlCtrlGet(std::string(kGenl) + kGenl).ok());
}

// genl prints no Capabilities for a family whose version is below 2.
TEST(ParseGenlCtrlGet, NotesMissingOpFlags) {
  absl::StatusOr<FamilyInfo> f = ParseGenlCtrlGet(
      "Name: kuchan\n"
      "\tID: 0x24  Version: 0x1  header size: 0  max attribs: 3 \n"
      "\tcommands supported: \n"
      "\t\t#1:  ID-0x1 \n"
      "\t\t#2:  ID-0x2 \n"
      "\tmulticast groups:\n"
      "\t\t#1:  ID-0xf  name: monitor \n");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_FALSE(f->op_flags_known);
  const std::map<uint32_t, uint32_t> ops = {{1, 0}, {2, 0}};
  EXPECT_EQ(f->ops, ops);
  EXPECT_TRUE(ParseGenlCtrlGet(kGenl)->op_flags_known);
}

TEST(ParseKuchanctlInfo, ReadsEveryField) {
  absl::StatusOr<FamilyInfo> f = ParseKuchanctlInfo(kInfo);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->name, "kuchan");
  EXPECT_EQ(f->id, 34u);
  EXPECT_EQ(f->version, 1u);
  EXPECT_EQ(f->hdrsize, 0u);
  EXPECT_EQ(f->maxattr, 3u);
  const std::map<uint32_t, uint32_t> ops = {
      {1, kOpDo | kOpHasPol}, {2, kOpDo | kOpAdmin}, {12, kOpDump | kOpUnsAdmin}};
  EXPECT_EQ(f->ops, ops);
  const std::map<std::string, uint32_t> groups = {{"monitor", 9}};
  EXPECT_EQ(f->groups, groups);
}

TEST(ParseKuchanctlInfo, AgreesWithGenlOnTheSameFamily) {
  absl::StatusOr<FamilyInfo> genl = ParseGenlCtrlGet(kGenl);
  absl::StatusOr<FamilyInfo> info = ParseKuchanctlInfo(kInfo);
  ASSERT_TRUE(genl.ok() && info.ok());
  EXPECT_EQ(info->id, genl->id);
  EXPECT_EQ(info->ops, genl->ops);
  EXPECT_EQ(info->groups, genl->groups);
}

TEST(ParseKuchanctlInfo, RejectsMalformedOutput) {
  EXPECT_FALSE(ParseKuchanctlInfo("").ok());
  EXPECT_FALSE(ParseKuchanctlInfo("family: kuchan\nid: 0x22\n").ok());
  EXPECT_FALSE(ParseKuchanctlInfo(std::string(kInfo) + "op: 3 x sometimes\n")
                   .ok());
  EXPECT_FALSE(ParseKuchanctlInfo(std::string(kInfo) + "op: 1 again do\n")
                   .ok());
  EXPECT_FALSE(ParseKuchanctlInfo(std::string(kInfo) + "id: 35\n").ok());
  EXPECT_FALSE(ParseKuchanctlInfo(std::string(kInfo) + "colour: blue\n").ok());
  // A required field missing.
  EXPECT_FALSE(ParseKuchanctlInfo("family: kuchan\nid: 34\nversion: 1\n"
                                  "hdrsize: 0\n")
                   .ok());
}

// The raw controller query against genl, on a family every kernel has (the
// controller itself, version 2, so genl prints its op flags too).
TEST(QueryFamily, AgreesWithGenlOnNlctrl) {
  absl::StatusOr<FamilyInfo> kernel = QueryFamily("nlctrl");
  ASSERT_TRUE(kernel.ok()) << kernel.status();
  absl::StatusOr<CommandResult> r =
      RunCommand({"genl", "ctrl", "get", "name", "nlctrl"});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->exit_status, 0) << r->err;
  absl::StatusOr<FamilyInfo> genl = ParseGenlCtrlGet(r->out);
  ASSERT_TRUE(genl.ok()) << genl.status();

  EXPECT_EQ(kernel->name, "nlctrl");
  EXPECT_EQ(kernel->id, genl->id);
  EXPECT_EQ(kernel->version, genl->version);
  EXPECT_EQ(kernel->maxattr, genl->maxattr);
  EXPECT_TRUE(genl->op_flags_known);
  EXPECT_FALSE(kernel->ops.empty());
  EXPECT_EQ(kernel->ops, genl->ops);
  EXPECT_EQ(kernel->groups, genl->groups);
  EXPECT_EQ(kernel->groups.count("notify"), 1u);
}

TEST(QueryFamily, SaysNotFoundForAnUnknownFamily) {
  EXPECT_TRUE(absl::IsNotFound(QueryFamily("no-such-family").status()));
}

}  // namespace
}  // namespace kuchan::guest
