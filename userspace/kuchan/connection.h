// SPDX-License-Identifier: GPL-2.0
//
// A connection to the running kuchan module, without protobuf: the generic
// netlink socket, the family as the controller resolved it (checked to speak
// this build's protocol), Do() (every op's request and answer: the
// generated op calls of kuchan.ops.h go through it), SIGNAL and Info().
// The library's one way to run a command: the library links no protobuf.
//
// Why without protobuf. `kuchanctl signal` is measured as a whole process
// against kill(1), and any program that links protobuf's full runtime pays
// about 0.65 M instructions before main() while libprotobuf registers its
// own descriptors (docs/benchmarks.md). So this file, the socket, the
// controller lookup and kuchanctl's commands speak the typed codec
// protoc-gen-kuchan-cpp generates from the schema (kuchan.msg.h: a struct
// per attribute set, its Encode() and Decode(), and DescribeAttr<> for
// extended ACKs; docs/protocol.md says why not protobuf-lite); nothing of
// it is written by hand.
#ifndef KUCHAN_USERSPACE_KUCHAN_CONNECTION_H_
#define KUCHAN_USERSPACE_KUCHAN_CONNECTION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "userspace/kuchan/family.h"
#include "userspace/kuchan/kuchan.msg.h"
#include "userspace/kuchan/socket.h"

namespace kuchan {

// The message of Open()'s NotFound when the module is not loaded:
// "kuchan module is not loaded (load it with: modprobe kuchan, or insmod
// kuchan.ko)".
std::string ModuleNotLoadedMessage();

// A reply's decoding status as an op call reports it: OK, or DataLoss
// "<context>: bad reply: <what the decoder said>" (the kernel broke the
// schema, or this build is older than the module and did not notice).
absl::Status BadReply(absl::string_view context, const absl::Status& decoded);

// OK when the module speaks the protocol version this build was made for;
// else FailedPrecondition: "kuchan module speaks protocol version
// <module_version> but this <program> was built for version <built>:
// rebuild <program> or load the matching module". The same words whichever
// side is newer: a v1 program meeting a v2 module and a v2 program meeting
// a v1 module are told alike, and before any request is sent, so neither
// side ever reads the other's wire format.
absl::Status CheckModuleVersion(uint32_t module_version, uint32_t built,
                                absl::string_view program);

class Connection {
 public:
  // Opens a generic netlink socket and resolves the family.
  //   NotFound            the module is not loaded (ModuleNotLoadedMessage())
  //   FailedPrecondition  the module speaks another protocol version:
  //     "kuchan module speaks protocol version X but this <program> was
  //     built for version Y: rebuild <program> or load the matching module"
  //     or lacks the schema's multicast group.
  // `program` names the caller in that message.
  static absl::StatusOr<Connection> Open(absl::string_view program = "kuchanctl");

  Connection(Connection&&) = default;
  Connection& operator=(Connection&&) = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends SIGNAL (Socket::Transact(), with a request buffer kept between
  // calls). OK when every target was signalled. Otherwise the status of the
  // first failure: its code from the kernel's errno, its message the
  // kernel's extended ACK, naming the attribute
  // ("kuchan.SignalRequest.targets[1]"). When a request with several
  // targets fails and `results` is not null, *results lists every target's
  // pid and errno (0 for sent), in the request's order. A request the
  // schema refuses (more than 64 targets, say) is refused here, as the
  // encoder says, and not sent. A request with a value is not sent to the
  // module (it refuses value signals): each target is sent sigqueue(3)'s
  // signal from this process (QueueSignal(), sigqueue.h), reported alike.
  absl::Status Signal(const msg::SignalRequest& req,
                      std::vector<msg::SignalResult>* results = nullptr);

  // What the kernel's controller reports about the family now, ops named
  // after the schema's commands ("" for numbers the schema does not know).
  absl::StatusOr<FamilyInfo> Info();

  // Appends a request's attributes to the buffer it is given.
  using EncodeFn = absl::FunctionRef<absl::Status(std::string*)>;
  // The attributes of one reply message (what follows its genlmsghdr).
  using AttrsFn = absl::FunctionRef<absl::Status(absl::Span<const uint8_t>)>;

  // One "do" request of command `cmd`, as the generated op calls
  // (kuchan.ops.h) send every command: `encode` appends the request's
  // attributes to a buffer kept from call to call (so a warm hot path does
  // not allocate), `name_attr` names the one an extended ACK points at, and
  // the attributes of each reply message of the family go to `on_reply`,
  // also when the ACK then carries an error (SIGNAL's per-target results
  // come before its failed ACK). Errors are prefixed with `context`
  // ("kuchan get_stats"); a reply shorter than its headers is DataLoss.
  absl::Status Do(uint8_t cmd, absl::string_view context, EncodeFn encode,
                  AttrNamer name_attr, AttrsFn on_reply);

  Socket& socket() { return sock_; }
  uint16_t family_id() const { return family_id_; }
  // The id of the "monitor" multicast group, for subscribers.
  uint32_t monitor_group() const { return monitor_group_; }

 private:
  Connection(Socket sock, uint16_t family_id, uint32_t monitor_group)
      : sock_(std::move(sock)),
        family_id_(family_id),
        monitor_group_(monitor_group) {}

  Socket sock_;
  // Kept between Signal() calls so the hot path does not allocate.
  std::string send_buf_;
  // SIGNAL's reply, kept for the same reason.
  msg::SignalRequest reply_;
  uint16_t family_id_;
  uint32_t monitor_group_;
};

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_CONNECTION_H_
