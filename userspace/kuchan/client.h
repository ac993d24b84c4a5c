// SPDX-License-Identifier: GPL-2.0
//
// The kuchan family from user space, with the schema's messages: connects
// to the running module (Connection, which checks it speaks this build's
// protocol), reports what the kernel's controller says about the family,
// and runs commands. Family name, protocol version, command and group names
// all come from kuchan.proto.
#ifndef KUCHAN_USERSPACE_KUCHAN_CLIENT_H_
#define KUCHAN_USERSPACE_KUCHAN_CLIENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "proto/kuchan.pb.h"
#include "userspace/kuchan/connection.h"
#include "userspace/kuchan/family.h"
#include "userspace/kuchan/kuchan.msg.h"

namespace kuchan {

class Client {
 public:
  // Connection::Open(): the same errors.
  static absl::StatusOr<Client> Connect(absl::string_view program = "kuchanctl");

  Client(Client&&) = default;
  Client& operator=(Client&&) = default;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // What the kernel's controller reports about the family now, ops named
  // after the schema's commands ("" for numbers the schema does not know).
  absl::StatusOr<FamilyInfo> Info() { return conn_.Info(); }

  // Runs command `cmd` as a "do" request. `request` must be of the
  // command's request set (or null: no attributes); when the kernel sends a
  // reply message and `reply` is not null (and of the reply set), it is
  // decoded into *reply. The reply is filled even when the ACK then carries
  // an error: CMD_SIGNAL reports per-target results before failing.
  absl::Status Do(Command cmd, const google::protobuf::Message* request,
                  google::protobuf::Message* reply);

  // Connection::Signal(): SIGNAL with the schema's typed request; when a
  // request with several targets fails and `results` is not null, *results
  // lists every target's pid and errno (0 for sent).
  absl::Status Signal(const msg::SignalRequest& req,
                      std::vector<msg::SignalResult>* results = nullptr) {
    return conn_.Signal(req, results);
  }

  uint16_t family_id() const { return conn_.family_id(); }
  // The id of the "monitor" multicast group, for subscribers.
  uint32_t monitor_group() const { return conn_.monitor_group(); }

 private:
  explicit Client(Connection conn) : conn_(std::move(conn)) {}

  Connection conn_;
};

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_CLIENT_H_
