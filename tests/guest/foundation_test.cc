// SPDX-License-Identifier: GPL-2.0
//
// Suite "Foundation": runs inside the test VM (tests/vm), as root, with
// kuchan.ko loaded by /init. Checks that the module loads and unloads
// cleanly, that the kernel publishes the family and its "monitor" group, and
// that `kuchanctl info` tells the same story as iproute2's `genl`.
//
// Every test leaves the module loaded, as it found it: the tests after it,
// and the guest binaries after this one, expect it.
#include <sys/types.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/guest/family_info.h"
#include "tests/guest/guest_util.h"

namespace kuchan::guest {
namespace {

#define ASSERT_OK(expr)                                  \
  do {                                                   \
    const absl::Status kuchan_s_ = (expr);               \
    ASSERT_TRUE(kuchan_s_.ok()) << #expr ": " << kuchan_s_; \
  } while (0)

constexpr char kNotLoaded[] =
    "kuchanctl: kuchan module is not loaded (load it with: modprobe kuchan, "
    "or insmod kuchan.ko)\n";
// The unprivileged user tests/vm/mkinitramfs creates.
constexpr int kLoadCycles = 100;

const std::vector<std::string> kGenlGet = {"genl", "ctrl", "get", "name",
                                           "kuchan"};
const std::vector<std::string> kInfo = {"kuchanctl", "info"};

// Runs a command that must succeed; its result, or a fatal failure.
void RunOk(const std::vector<std::string>& argv, CommandResult* r,
           std::optional<uid_t> uid = {}) {
  absl::StatusOr<CommandResult> res = RunCommand(argv, uid);
  ASSERT_TRUE(res.ok()) << res.status();
  *r = *std::move(res);
  ASSERT_EQ(r->exit_status, 0) << Describe(argv, *r);
}

std::set<uint32_t> OpNumbers(const FamilyInfo& f) {
  std::set<uint32_t> s;
  for (const auto& [op, flags] : f.ops) s.insert(op);
  return s;
}

class Foundation : public ::testing::Test {
 protected:
  void SetUp() override { EnsureLoaded(); }
  void TearDown() override { EnsureLoaded(); }

  static void EnsureLoaded() {
    if (!ModuleLoaded()) ASSERT_OK(LoadModule());
  }
};

TEST_F(Foundation, ModuleIsLoadedAndLive) {
  ASSERT_TRUE(ModuleLoaded()) << "no /sys/module/kuchan";
  absl::StatusOr<std::string> state = ModuleState();
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(*state, "live");

  std::ifstream in("/proc/modules");
  std::string line, ours;
  while (std::getline(in, line)) {
    if (absl::StartsWith(line, "kuchan ")) ours = line;
  }
  ASSERT_FALSE(ours.empty()) << "kuchan is not in /proc/modules";
  EXPECT_TRUE(absl::StrContains(ours, " Live ")) << ours;

  absl::StatusOr<uint16_t> id = GenlFamilyId("kuchan");
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_GT(*id, 0);
}

TEST_F(Foundation, ModprobeRemovesAndLoadsTheModule) {
  CommandResult r;
  ASSERT_NO_FATAL_FAILURE(RunOk({"modprobe", "-r", "kuchan"}, &r));
  EXPECT_FALSE(ModuleLoaded()) << "/sys/module/kuchan left after modprobe -r";
  EXPECT_TRUE(absl::IsNotFound(GenlFamilyId("kuchan").status()))
      << "family kuchan still registered after modprobe -r";

  ASSERT_NO_FATAL_FAILURE(RunOk({"modprobe", "kuchan"}, &r));
  EXPECT_TRUE(ModuleLoaded()) << "no /sys/module/kuchan after modprobe";
  absl::StatusOr<uint16_t> id = GenlFamilyId("kuchan");
  EXPECT_TRUE(id.ok()) << id.status();
}

// genl parses the controller's answer with its own code; it must see what
// the kernel reports to a raw CTRL_CMD_GETFAMILY, and that must be a family
// with ops and the "monitor" group.
TEST_F(Foundation, GenlListsOpsAndMonitorGroup) {
  CommandResult r;
  ASSERT_NO_FATAL_FAILURE(RunOk(kGenlGet, &r));
  absl::StatusOr<FamilyInfo> genl = ParseGenlCtrlGet(r.out);
  ASSERT_TRUE(genl.ok()) << genl.status();
  absl::StatusOr<FamilyInfo> kernel = QueryFamily("kuchan");
  ASSERT_TRUE(kernel.ok()) << kernel.status();

  SCOPED_TRACE(absl::StrCat("genl said:\n", r.out));
  EXPECT_EQ(genl->name, "kuchan");
  EXPECT_EQ(kernel->name, "kuchan");
  EXPECT_EQ(genl->id, kernel->id);
  EXPECT_GE(genl->version, 1u);
  EXPECT_EQ(genl->version, kernel->version);
  EXPECT_EQ(genl->hdrsize, kernel->hdrsize);
  EXPECT_EQ(genl->maxattr, kernel->maxattr);
  EXPECT_EQ(OpNumbers(*genl), OpNumbers(*kernel));
  EXPECT_EQ(genl->groups, kernel->groups);

  ASSERT_FALSE(genl->ops.empty()) << "no ops listed";
  for (const auto& [op, flags] : kernel->ops) {
    EXPECT_NE(op, 0u) << "op 0 is reserved (unspec)";
    EXPECT_NE(flags & (kOpDo | kOpDump), 0u)
        << "op " << op << " can neither do nor dump (flags 0x" << std::hex
        << flags << ")";
  }
  ASSERT_EQ(genl->groups.count("monitor"), 1u) << "no multicast group monitor";
  EXPECT_GT(genl->groups.at("monitor"), 0u);
}

TEST_F(Foundation, KuchanctlInfoAgreesWithGenl) {
  CommandResult g, k;
  ASSERT_NO_FATAL_FAILURE(RunOk(kGenlGet, &g));
  ASSERT_NO_FATAL_FAILURE(RunOk(kInfo, &k));
  EXPECT_EQ(k.err, "") << "kuchanctl info wrote to stderr";
  absl::StatusOr<FamilyInfo> genl = ParseGenlCtrlGet(g.out);
  ASSERT_TRUE(genl.ok()) << genl.status();
  absl::StatusOr<FamilyInfo> info = ParseKuchanctlInfo(k.out);
  ASSERT_TRUE(info.ok()) << info.status();

  SCOPED_TRACE(absl::StrCat("genl said:\n", g.out, "\nkuchanctl said:\n",
                            k.out));
  EXPECT_EQ(info->name, "kuchan");
  EXPECT_EQ(info->id, genl->id);
  EXPECT_EQ(info->version, genl->version);
  EXPECT_EQ(info->hdrsize, genl->hdrsize);
  EXPECT_EQ(info->maxattr, genl->maxattr);
  EXPECT_EQ(OpNumbers(*info), OpNumbers(*genl));
  EXPECT_EQ(info->groups, genl->groups);
  if (genl->op_flags_known) {
    for (const auto& [op, flags] : genl->ops) {
      auto it = info->ops.find(op);
      if (it == info->ops.end()) continue;  // the set comparison said so
      EXPECT_EQ(it->second, flags & kOpFlagsKnown) << "flags of op " << op;
    }
  }
}

// genl does not print op flags for a version 1 family (see FamilyInfo), so
// kuchanctl's flag words are checked against the kernel's own answer.
TEST_F(Foundation, KuchanctlInfoShowsTheKernelsOpFlags) {
  CommandResult k;
  ASSERT_NO_FATAL_FAILURE(RunOk(kInfo, &k));
  absl::StatusOr<FamilyInfo> info = ParseKuchanctlInfo(k.out);
  ASSERT_TRUE(info.ok()) << info.status();
  absl::StatusOr<FamilyInfo> kernel = QueryFamily("kuchan");
  ASSERT_TRUE(kernel.ok()) << kernel.status();

  SCOPED_TRACE(absl::StrCat("kuchanctl said:\n", k.out));
  EXPECT_EQ(info->id, kernel->id);
  ASSERT_EQ(OpNumbers(*info), OpNumbers(*kernel));
  for (const auto& [op, flags] : kernel->ops) {
    EXPECT_EQ(info->ops.at(op), flags & kOpFlagsKnown)
        << "flags of op " << op << ": the kernel says 0x" << std::hex << flags;
  }
}

TEST_F(Foundation, KuchanctlInfoWorksForAnUnprivilegedUser) {
  // Asking the genetlink controller about a family needs no privilege.
  CommandResult root, user;
  ASSERT_NO_FATAL_FAILURE(RunOk(kInfo, &root));
  ASSERT_NO_FATAL_FAILURE(RunOk(kInfo, &user, kTestUid));
  EXPECT_EQ(user.out, root.out);
  EXPECT_EQ(user.err, "");
}

TEST_F(Foundation, KuchanctlInfoWithoutTheModuleSaysSo) {
  ASSERT_OK(UnloadModule());
  ASSERT_FALSE(ModuleLoaded());

  // The family is really gone: genl cannot find it either.
  absl::StatusOr<CommandResult> g = RunCommand(kGenlGet);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_NE(g->exit_status, 0) << Describe(kGenlGet, *g);

  absl::StatusOr<CommandResult> k = RunCommand(kInfo);
  ASSERT_TRUE(k.ok()) << k.status();
  EXPECT_EQ(k->exit_status, 1) << Describe(kInfo, *k);
  EXPECT_EQ(k->out, "");
  EXPECT_EQ(k->err, kNotLoaded);
}

TEST_F(Foundation, LoadUnloadCyclesAreClean) {
  absl::StatusOr<KmsgReader> kmsg = KmsgReader::Open();
  ASSERT_TRUE(kmsg.ok()) << kmsg.status();
  const auto start = std::chrono::steady_clock::now();

  ASSERT_OK(UnloadModule());
  for (int i = 1; i <= kLoadCycles; ++i) {
    SCOPED_TRACE(absl::StrCat("cycle ", i, " of ", kLoadCycles));
    ASSERT_OK(LoadModule());
    ASSERT_TRUE(ModuleLoaded());
    absl::StatusOr<std::string> state = ModuleState();
    ASSERT_TRUE(state.ok()) << state.status();
    ASSERT_EQ(*state, "live");
    absl::StatusOr<uint16_t> id = GenlFamilyId("kuchan");
    ASSERT_TRUE(id.ok()) << "family missing after load: " << id.status();

    ASSERT_OK(UnloadModule());
    ASSERT_FALSE(ModuleLoaded());
    absl::Status gone = GenlFamilyId("kuchan").status();
    ASSERT_TRUE(absl::IsNotFound(gone))
        << "family still there after unload: " << gone;
  }
  ASSERT_OK(LoadModule());
  const double secs = std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - start)
                          .count();
  RecordProperty("cycle_seconds", absl::StrCat(secs));
  std::cout << kLoadCycles << " load/unload cycles took " << secs << " s\n";

  absl::StatusOr<std::vector<KmsgRecord>> records = kmsg->ReadNew();
  ASSERT_TRUE(records.ok()) << records.status();
  std::string problems;
  for (const KmsgRecord& r : *records) {
    if (IsKernelProblem(r)) {
      absl::StrAppend(&problems, "  <", r.level, "> ", r.text, "\n");
    }
  }
  EXPECT_EQ(problems, "") << "the kernel complained during the cycles";
}

}  // namespace
}  // namespace kuchan::guest
