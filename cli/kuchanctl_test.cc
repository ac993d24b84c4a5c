// SPDX-License-Identifier: GPL-2.0
//
// kuchanctl run in-process: help, usage errors and exit codes, the output
// formats, and `info` on this host, where the kuchan module is not loaded.
#include "cli/kuchanctl.h"
#include "cli/kuchanctl_testing.h"

#include <sstream>
#include <string>
#include <vector>

#include "cli/info.h"
#include "userspace/kuchan/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "userspace/kuchan/controller.h"
#include "userspace/kuchan/socket.h"

namespace kuchan::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

using test_support::Kuchanctl;
using test_support::Result;

constexpr char kNotLoaded[] =
    "kuchanctl: kuchan module is not loaded (load it with: modprobe kuchan, "
    "or insmod kuchan.ko)\n";

// True when this host has no kuchan family (the usual case): the tests of
// `info` without the module need that.
bool ModuleAbsent() {
  absl::StatusOr<Socket> s = Socket::Open();
  return s.ok() && absl::IsNotFound(GetFamily(*s, "kuchan").status());
}

TEST(HelpTest, TopLevel) {
  for (const char* help : {"--help", "-h", "help"}) {
    Result r = Kuchanctl({help});
    EXPECT_EQ(r.code, kExitOk) << help;
    EXPECT_THAT(r.out, StartsWith("usage: kuchanctl <command>")) << help;
    EXPECT_THAT(r.out, HasSubstr("\n  info "));
    EXPECT_THAT(r.out, HasSubstr("Examples:\n"));
    EXPECT_EQ(r.err, "");
  }
}

TEST(HelpTest, EveryCommand) {
  for (const Subcommand* c : Subcommands()) {
    for (std::vector<std::string> args :
         {std::vector<std::string>{c->name, "--help"},
          std::vector<std::string>{c->name, "-h"},
          std::vector<std::string>{"help", c->name}}) {
      Result r = Kuchanctl(args);
      EXPECT_EQ(r.code, kExitOk) << c->name;
      EXPECT_THAT(r.out, StartsWith(std::string("usage: kuchanctl ") + c->name))
          << c->name;
      EXPECT_THAT(r.out, HasSubstr("Examples:\n")) << c->name;
      EXPECT_EQ(r.err, "");
    }
  }
}

TEST(HelpTest, NoArgumentsIsAUsageError) {
  Result r = Kuchanctl({});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("usage: kuchanctl"));
}

TEST(HelpTest, Version) {
  Result r = Kuchanctl({"--version"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_THAT(r.out, StartsWith("kuchanctl "));
  EXPECT_THAT(r.out, HasSubstr("(protocol version 2)\n"));
}

TEST(UsageErrorTest, UnknownCommand) {
  Result r = Kuchanctl({"foo"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("kuchanctl: unknown command `foo'\n"));
  r = Kuchanctl({"help", "foo"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, StartsWith("kuchanctl: unknown command `foo'\n"));
}

TEST(UsageErrorTest, UnknownOption) {
  Result r = Kuchanctl({"--frobnicate"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, StartsWith("kuchanctl: unknown option `--frobnicate'\n"));
  r = Kuchanctl({"info", "--frobnicate"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err,
              StartsWith("kuchanctl info: unknown option `--frobnicate'\n"));
  r = Kuchanctl({"info", "extra"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, StartsWith("kuchanctl info: unexpected argument `extra'"));
}

TEST(InfoTest, ModuleNotLoaded) {
  if (!ModuleAbsent()) GTEST_SKIP() << "kuchan is loaded (or no netlink)";
  for (std::vector<std::string> args :
       {std::vector<std::string>{"info"},
        std::vector<std::string>{"info", "--json"}}) {
    Result r = Kuchanctl(args);
    EXPECT_EQ(r.code, kExitFailure);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, kNotLoaded);
  }
}

FamilyInfo Sample() {
  FamilyInfo f;
  f.name = "kuchan";
  f.id = 34;
  f.version = 1;
  f.hdrsize = 0;
  f.maxattr = 3;
  f.ops = {{1, 0x2, "signal"},
           {2, 0x3, "helper_set"},
           {9, 0x1e, ""},
           {12, 0x14, "dump_it"}};
  f.groups = {{9, "monitor"}};
  return f;
}

TEST(InfoTest, TextFormat) {
  EXPECT_EQ(FormatInfoText(Sample()),
            "family: kuchan\n"
            "id: 34\n"
            "version: 1\n"
            "hdrsize: 0\n"
            "maxattr: 3\n"
            "op: 1 signal do\n"
            "op: 2 helper_set do admin\n"
            "op: 9 unknown do dump haspol uns_admin\n"
            "op: 12 dump_it dump uns_admin\n"
            "group: 9 monitor\n");
  EXPECT_EQ(OpFlagWords(0), "");
  EXPECT_EQ(OpFlagWords(0x100 | 0x2), "do");  // Unknown bits are not shown.
}

TEST(InfoTest, JsonFormat) {
  EXPECT_EQ(FormatInfoJson(Sample()),
            "{\"family\":\"kuchan\",\"id\":34,\"version\":1,\"hdrsize\":0,"
            "\"maxattr\":3,\"ops\":["
            "{\"op\":1,\"name\":\"signal\",\"flags\":[\"do\"]},"
            "{\"op\":2,\"name\":\"helper_set\",\"flags\":[\"do\",\"admin\"]},"
            "{\"op\":9,\"name\":\"unknown\",\"flags\":[\"do\",\"dump\","
            "\"haspol\",\"uns_admin\"]},"
            "{\"op\":12,\"name\":\"dump_it\",\"flags\":[\"dump\","
            "\"uns_admin\"]}],"
            "\"groups\":[{\"id\":9,\"name\":\"monitor\"}]}\n");
  FamilyInfo empty;
  empty.name = "x";
  EXPECT_EQ(FormatInfoJson(empty),
            "{\"family\":\"x\",\"id\":0,\"version\":0,\"hdrsize\":0,"
            "\"maxattr\":0,\"ops\":[],\"groups\":[]}\n");
}

TEST(JsonTest, Strings) {
  EXPECT_EQ(JsonString("monitor"), "\"monitor\"");
  EXPECT_EQ(JsonString("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(JsonString(std::string("\n\x01\x7f\xff", 4)),
            "\"\\u000a\\u0001\\u007f\\u00ff\"");
}

}  // namespace
}  // namespace kuchan::cli
