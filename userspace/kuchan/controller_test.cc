// SPDX-License-Identifier: GPL-2.0
//
// Runs against the host kernel's own generic netlink controller ("nlctrl"),
// which every Linux has: the socket, the exchange, the extended ACK and the
// controller parser meet a real kernel without the kuchan module.
#include "userspace/kuchan/controller.h"

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <optional>
#include <string>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "userspace/kuchan/socket.h"

namespace kuchan {
namespace {

using ::testing::HasSubstr;

class ControllerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<Socket> s = Socket::Open();
    if (!s.ok()) GTEST_SKIP() << "no generic netlink here: " << s.status();
    sock_.emplace(*std::move(s));
  }

  // A dump of every family, each reply handed to `fn`.
  absl::Status DumpFamilies(Socket::ReplyFn fn) {
    std::string msg;
    StartGenlRequest(&msg, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_DUMP);
    return sock_->Transact(&msg, {"dumping families", AttrNamer()}, fn);
  }

  std::optional<Socket> sock_;
};

TEST_F(ControllerTest, DescribesTheController) {
  absl::StatusOr<FamilyInfo> f = GetFamily(*sock_, "nlctrl");
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->name, "nlctrl");
  EXPECT_EQ(f->id, GENL_ID_CTRL);
  EXPECT_GE(f->version, 1u);
  bool getfamily = false;
  for (const FamilyOp& op : f->ops) {
    if (op.cmd == CTRL_CMD_GETFAMILY) {
      getfamily = true;
      EXPECT_TRUE(op.flags & GENL_CMD_CAP_DO) << op.flags;
      EXPECT_TRUE(op.flags & GENL_CMD_CAP_DUMP) << op.flags;
    }
  }
  EXPECT_TRUE(getfamily);
  EXPECT_NE(f->FindGroup("notify"), nullptr);
}

TEST_F(ControllerTest, UnknownFamilyIsNotFound) {
  absl::StatusOr<FamilyInfo> f = GetFamily(*sock_, "kuchan-nosuch");
  EXPECT_EQ(f.status().code(), absl::StatusCode::kNotFound) << f.status();
  EXPECT_EQ(f.status().message(),
            "generic netlink family `kuchan-nosuch' does not exist");
}

TEST_F(ControllerTest, KernelsExtendedAckNamesTheAttribute) {
  // The controller's policy allows names of GENL_NAMSIZ - 1 bytes: the
  // kernel refuses a longer one and points at it.
  absl::StatusOr<FamilyInfo> f = GetFamily(*sock_, std::string(40, 'x'));
  ASSERT_FALSE(f.ok());
  EXPECT_THAT(std::string(f.status().message()),
              HasSubstr("attribute kuchan.genl.CtrlFamily.family_name"));
  EXPECT_THAT(std::string(f.status().message()),
              HasSubstr("looking up generic netlink family `xxxx"));
}

TEST_F(ControllerTest, DumpReadsUpToDone) {
  int families = 0;
  bool controller = false;
  absl::Status st = DumpFamilies([&](absl::Span<const uint8_t> m) {
    absl::StatusOr<FamilyInfo> f = ParseNewFamily(m);
    if (!f.ok()) return f.status();
    ++families;
    controller = controller || f->name == "nlctrl";
    return absl::OkStatus();
  });
  ASSERT_TRUE(st.ok()) << st;
  EXPECT_GE(families, 1);
  EXPECT_TRUE(controller);
}

TEST_F(ControllerTest, FailedCallbackDrainsTheAnswer) {
  int calls = 0;
  absl::Status st = DumpFamilies([&](absl::Span<const uint8_t>) {
    ++calls;
    return absl::CancelledError("stop");
  });
  EXPECT_EQ(st, absl::CancelledError("stop"));
  EXPECT_EQ(calls, 1);
  // The rest of the dump was read: the next exchange sees only its answer.
  absl::StatusOr<FamilyInfo> f = GetFamily(*sock_, "nlctrl");
  ASSERT_TRUE(f.ok()) << f.status();
}

TEST(SocketTest, MovesOwnership) {
  absl::StatusOr<Socket> s = Socket::Open();
  if (!s.ok()) GTEST_SKIP() << s.status();
  const int fd = s->fd();
  Socket moved = *std::move(s);
  EXPECT_EQ(moved.fd(), fd);
  Socket other = *Socket::Open();
  other = std::move(moved);
  EXPECT_EQ(other.fd(), fd);
}

}  // namespace
}  // namespace kuchan
