// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/connection.h"

#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "kernel/uapi/kuchan.h"
#include "userspace/kuchan/controller.h"
#include "userspace/kuchan/kuchan.ops.h"
#include "userspace/kuchan/schema_constants.h"
#include "userspace/kuchan/sigqueue.h"
#include "userspace/kuchan/status_macros.h"

namespace kuchan {
namespace {

// A signal with a value goes from this process, target by target
// (sigqueue.h says why the module does not send it), and is reported as
// the kernel reports SIGNAL: OK, or the first failure's status with every
// target's errno in *results.
absl::Status SignalWithValue(const msg::SignalRequest& spec,
                             std::vector<msg::SignalResult>* results) {
  if (!spec.signal)
    return absl::InvalidArgumentError("kuchan signal: missing signal number");
  if (spec.targets.empty())
    return absl::InvalidArgumentError("kuchan signal: no targets");
  if (spec.targets.size() > KUCHAN_A_SIGNAL_TARGETS_MAX_COUNT)
    return absl::ErrnoToStatus(E2BIG, "kuchan signal: too many targets");
  absl::Status first;
  std::vector<msg::SignalResult> outcomes;
  for (const msg::SignalTarget& t : spec.targets) {
    if (!t.pid)
      return absl::InvalidArgumentError("kuchan signal: target without a pid");
    const int e = QueueSignalErrno(*t.pid, static_cast<int>(*spec.signal),
                                   *spec.value, t.start_time);
    outcomes.push_back({*t.pid, static_cast<uint32_t>(e)});
    if (e != 0 && first.ok())
      first = absl::ErrnoToStatus(e, absl::StrCat("kuchan signal: pid ", *t.pid));
  }
  if (!first.ok() && results != nullptr) *results = std::move(outcomes);
  return first;
}

}  // namespace

std::string ModuleNotLoadedMessage() {
  // The module is named after the family.
  const std::string& name = SchemaFamilyName();
  return absl::StrFormat(
      "%s module is not loaded (load it with: modprobe %s, or insmod %s.ko)",
      name, name, name);
}

absl::Status CheckModuleVersion(uint32_t module_version, uint32_t built,
                                absl::string_view program) {
  if (module_version == built) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrFormat(
      "%s module speaks protocol version %d but this %s was built for "
      "version %d: rebuild %s or load the matching module",
      SchemaFamilyName(), module_version, program, built, program));
}

absl::StatusOr<Connection> Connection::Open(absl::string_view program) {
  ASSIGN_OR_RETURN(Socket sock, Socket::Open());
  absl::StatusOr<FamilyInfo> info = GetFamily(sock, SchemaFamilyName());
  if (absl::IsNotFound(info.status())) {
    return absl::NotFoundError(ModuleNotLoadedMessage());
  }
  RETURN_IF_ERROR(info.status());
  RETURN_IF_ERROR(CheckModuleVersion(info->version, SchemaVersion(), program));
  const std::string& group = SchemaMonitorGroupName();
  const FamilyGroup* monitor = info->FindGroup(group);
  if (monitor == nullptr) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s module has no multicast group `%s': load the matching module",
        SchemaFamilyName(), group));
  }
  return Connection(std::move(sock), info->id, monitor->id);
}

absl::StatusOr<FamilyInfo> Connection::Info() {
  absl::StatusOr<FamilyInfo> info = GetFamily(sock_, SchemaFamilyName());
  if (absl::IsNotFound(info.status())) {
    return absl::NotFoundError(ModuleNotLoadedMessage());
  }
  RETURN_IF_ERROR(info.status());
  for (FamilyOp& op : info->ops) {
    const char* name = msg::JsonName(static_cast<msg::Command>(op.cmd));
    op.name = name == nullptr ? "" : name;
  }
  return info;
}

absl::Status BadReply(absl::string_view context, const absl::Status& decoded) {
  if (decoded.ok()) return decoded;
  return absl::DataLossError(
      absl::StrCat(context, ": bad reply: ", decoded.message()));
}

absl::Status Connection::Do(uint8_t cmd, absl::string_view context,
                            EncodeFn encode, AttrNamer name_attr,
                            AttrsFn on_reply) {
  std::string& buf = send_buf_;
  StartGenlRequest(&buf, family_id_, cmd,
                   static_cast<uint8_t>(SchemaVersion()));
  RETURN_IF_ERROR(encode(&buf));

  const Request req{context, std::move(name_attr)};
  return sock_.Transact(
      &buf, req, [&](absl::Span<const uint8_t> m) -> absl::Status {
        nlmsghdr hdr;
        std::memcpy(&hdr, m.data(), sizeof(hdr));
        if (hdr.nlmsg_type != family_id_) return absl::OkStatus();
        // kuchan declares no family header (hdrsize 0): attributes follow
        // the genlmsghdr.
        if (m.size() < kGenlHeaders) {
          return absl::DataLossError(absl::StrFormat(
              "%s: reply of %d bytes, shorter than its headers", context,
              m.size()));
        }
        return on_reply(m.subspan(kGenlHeaders));
      });
}

absl::Status Connection::Signal(const msg::SignalRequest& req,
                                std::vector<msg::SignalResult>* results) {
  // Results come only in a reply, which the kernel sends only when a
  // target failed: none from an earlier call may survive into this one.
  if (results != nullptr) results->clear();
  if (req.value) return SignalWithValue(req, results);
  if (results == nullptr) return msg::Signal(*this, req);
  // The op call leaves the reply empty when none came or it did not
  // decode: a partial list is never handed back as the answer.
  const absl::Status st = msg::Signal(*this, req, &reply_);
  results->swap(reply_.results);
  return st;
}

}  // namespace kuchan
