// SPDX-License-Identifier: GPL-2.0
//
// The kuchan family from user space: connects to the running module and
// checks it speaks this build's protocol, reports what the kernel's
// controller says about the family, and runs commands. Family name, protocol
// version, command and group names all come from kuchan.proto's options.
#ifndef KUCHAN_USERSPACE_KUCHAN_CLIENT_H_
#define KUCHAN_USERSPACE_KUCHAN_CLIENT_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "proto/kuchan.pb.h"
#include "userspace/kuchan/family.h"
#include "userspace/kuchan/socket.h"

namespace kuchan {

// The message of Connect()'s NotFound when the module is not loaded:
// "kuchan module is not loaded (load it with: modprobe kuchan, or insmod
// kuchan.ko)".
std::string ModuleNotLoadedMessage();

class Client {
 public:
  // Opens a generic netlink socket and looks the family up.
  //   NotFound            the module is not loaded (ModuleNotLoadedMessage())
  //   FailedPrecondition  the module speaks another protocol version:
  //     "kuchan module speaks protocol version X but this <program> was
  //     built for version Y: rebuild <program> or load the matching module"
  //     or lacks the schema's multicast group.
  // `program` names the caller in that message.
  static absl::StatusOr<Client> Connect(absl::string_view program = "kuchanctl");

  Client(Client&&) = default;
  Client& operator=(Client&&) = default;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // What the kernel's controller reports about the family now, ops named
  // after the schema's commands ("" for numbers the schema does not know).
  absl::StatusOr<FamilyInfo> Info();

  // Runs command `cmd` as a "do" request. `request` must be of the
  // command's request set (or null: no attributes); when the kernel sends a
  // reply message and `reply` is not null (and of the reply set), it is
  // decoded into *reply. The reply is filled even when the ACK then carries
  // an error: CMD_SIGNAL reports per-target results before failing.
  absl::Status Do(Command cmd, const google::protobuf::Message* request,
                  google::protobuf::Message* reply);

  // Sends SIGNAL (userspace/kuchan/signal.cc: the hot path, without
  // reflection). OK when every target was signalled. Otherwise the status
  // of the first failure: its code from the kernel's errno, its message the
  // kernel's extended ACK, naming the attribute (e.g. "targets[1]"). When a
  // request with several targets fails and `results` is not null, *results
  // lists every target's errno (0 for sent).
  absl::Status Signal(const SignalRequest& req, SignalReply* results = nullptr);

  uint16_t family_id() const { return family_id_; }
  uint32_t version() const { return version_; }
  // The id of the "monitor" multicast group, for subscribers.
  uint32_t monitor_group() const { return monitor_group_; }

 private:
  Client(Socket sock, const FamilyInfo& info, uint32_t monitor_group)
      : sock_(std::move(sock)),
        family_id_(info.id),
        version_(info.version),
        hdrsize_(info.hdrsize),
        monitor_group_(monitor_group) {}

  Socket sock_;
  // Kept between Signal() calls so the hot path does not allocate.
  std::string send_buf_;
  std::unique_ptr<uint8_t[]> recv_buf_;
  uint16_t family_id_;
  uint32_t version_;
  uint32_t hdrsize_;
  uint32_t monitor_group_;
};

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_CLIENT_H_
