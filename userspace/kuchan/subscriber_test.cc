// SPDX-License-Identifier: GPL-2.0
//
// The Subscriber on the host, whose kernel has no kuchan module: waiting for
// the module, timeouts, the receive buffer, and forged messages. The real
// stream is tested in the VM (tests/guest/monitor_test.cc).
#include "userspace/kuchan/subscriber.h"

#include <linux/genetlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/kuchan.pb.h"
#include "userspace/kuchan/connection.h"
#include "userspace/kuchan/event_types.h"

namespace kuchan {
namespace {

Subscriber Waiting() {
  SubscriberOptions o;
  o.wait_for_module = true;
  absl::StatusOr<Subscriber> s = Subscriber::Connect(o);
  EXPECT_TRUE(s.ok()) << s.status();
  if (!s.ok()) abort();
  return *std::move(s);
}

TEST(Subscriber, WithoutTheModuleConnectSaysSo) {
  absl::StatusOr<Subscriber> s = Subscriber::Connect();
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(absl::IsNotFound(s.status())) << s.status();
  EXPECT_EQ(s.status().message(), ModuleNotLoadedMessage());
}

TEST(Subscriber, WaitsForTheModuleWithoutBusyLooping) {
  Subscriber s = Waiting();
  EXPECT_GE(s.fd(), 0);
  EXPECT_EQ(s.family_id(), 0);
  StreamItem item;
  const absl::Time start = absl::Now();
  absl::StatusOr<bool> got = s.Next(&item, absl::Milliseconds(50));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_FALSE(*got);
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(45));
  absl::StatusOr<size_t> n = s.Dispatch([](const StreamItem&) {});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0u);
}

TEST(Subscriber, ReceiveBufferGrows) {
  Subscriber s = Waiting();
  absl::StatusOr<size_t> small = s.SetReceiveBuffer(1);
  ASSERT_TRUE(small.ok()) << small.status();
  absl::StatusOr<size_t> big = s.SetReceiveBuffer(1 << 20);
  ASSERT_TRUE(big.ok()) << big.status();
  EXPECT_GT(*big, *small);
}

TEST(Subscriber, MovesKeepTheSocket) {
  Subscriber a = Waiting();
  const int fd = a.fd();
  Subscriber b(std::move(a));
  EXPECT_EQ(b.fd(), fd);
  Subscriber c = Waiting();
  c = std::move(b);
  EXPECT_EQ(c.fd(), fd);
}

// A local process sends the subscriber a controller "family deleted" and a
// "new family" for kuchan: both are ignored, not from the kernel.
TEST(Subscriber, IgnoresForgedControllerMessages) {
  Subscriber s = Waiting();
  sockaddr_nl self = {};
  socklen_t len = sizeof(self);
  ASSERT_EQ(getsockname(s.fd(), reinterpret_cast<sockaddr*>(&self), &len), 0);
  const int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
  ASSERT_GE(fd, 0);
  for (uint8_t cmd : {CTRL_CMD_NEWFAMILY, CTRL_CMD_DELFAMILY}) {
    struct {
      nlmsghdr nlh;
      genlmsghdr gnlh;
      nlattr name_hdr;
      char name[8];
    } msg = {};
    msg.nlh.nlmsg_len = sizeof(msg);
    msg.nlh.nlmsg_type = GENL_ID_CTRL;
    msg.gnlh.cmd = cmd;
    msg.gnlh.version = 1;
    msg.name_hdr.nla_len = NLA_HDRLEN + 7;
    msg.name_hdr.nla_type = CTRL_ATTR_FAMILY_NAME;
    std::memcpy(msg.name, "kuchan", 7);
    sockaddr_nl to = {};
    to.nl_family = AF_NETLINK;
    to.nl_pid = self.nl_pid;
    ASSERT_EQ(sendto(fd, &msg, sizeof(msg), 0, reinterpret_cast<sockaddr*>(&to),
                     sizeof(to)),
              static_cast<ssize_t>(sizeof(msg)));
  }
  close(fd);
  StreamItem item;
  absl::StatusOr<bool> got = s.Next(&item, absl::Milliseconds(50));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_FALSE(*got) << StreamItemKindName(item.kind);
  EXPECT_EQ(s.counters().forged, 2u);
  EXPECT_EQ(s.family_id(), 0);
}

TEST(Events, TypeNames) {
  EXPECT_EQ(EventTypeName(EVENT_SIGNAL_SENT), "signal_sent");
  EXPECT_EQ(EventTypeName(EVENT_CUSTOM), "custom");
  EXPECT_EQ(EventTypeName(99), "type_99");
  msg::EventType t;
  ASSERT_TRUE(ParseEventTypeName("signal_sent", &t));
  EXPECT_EQ(t, msg::EVENT_SIGNAL_SENT);
  ASSERT_TRUE(ParseEventTypeName("EVENT_CUSTOM", &t));
  EXPECT_EQ(t, msg::EVENT_CUSTOM);
  ASSERT_TRUE(ParseEventTypeName("Helper_Ran", &t));
  EXPECT_EQ(t, msg::EVENT_HELPER_RAN);
  EXPECT_FALSE(ParseEventTypeName("unspec", &t));
  EXPECT_FALSE(ParseEventTypeName("nope", &t));
  EXPECT_EQ(EventTypeNames().size(), 6u);
  EXPECT_EQ(EventTypeName(EVENT_LOST), "lost");
  EXPECT_EQ(EventTypeName(-1), "type_-1");

  // The generated table names every value as the schema's descriptor does.
  const auto* d = EventType_descriptor();
  for (int i = 0; i < d->value_count(); ++i) {
    const int n = d->value(i)->number();
    if (n == EVENT_UNSPEC) continue;
    EXPECT_EQ(absl::StrCat("event_", EventTypeName(n)),
              absl::AsciiStrToLower(d->value(i)->name()));
  }
}

TEST(Events, TypesAndMasksForCommands) {
  absl::StatusOr<msg::EventType> t = ParseEventType("custom");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, msg::EVENT_CUSTOM);
  t = ParseEventType("40");  // a newer module's type, by number
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(static_cast<int>(*t), 40);
  for (const char* bad : {"0", "64", "-1", "nope", "unspec"}) {
    t = ParseEventType(bad);
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_THAT(std::string(ParseEventType("nope").status().message()),
              ::testing::HasSubstr("unknown event type `nope' (one of: "
                                   "signal_sent, helper_changed"));
  EXPECT_EQ(EventMaskNames(0), "all");
  EXPECT_EQ(EventMaskNames((uint64_t{1} << EVENT_CUSTOM) |
                           (uint64_t{1} << EVENT_SIGNAL_SENT) | (uint64_t{1} << 40)),
            "signal_sent,custom,type_40");
}

}  // namespace
}  // namespace kuchan
