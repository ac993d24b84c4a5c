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
#include "userspace/kuchan/schema_constants.h"
#include "userspace/kuchan/sigqueue.h"
#include "userspace/kuchan/status_macros.h"

namespace kuchan {
namespace {

constexpr size_t kHeaders = NLMSG_HDRLEN + GENL_HDRLEN;

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
  absl::StatusOr<FamilyInfo> info = ResolveFamily(sock, SchemaFamilyName());
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

absl::Status Connection::Signal(const msg::SignalRequest& spec,
                                std::vector<msg::SignalResult>* results) {
  // Results come only in a reply, which the kernel sends only when a
  // target failed: none from an earlier call may survive into this one.
  if (results != nullptr) results->clear();
  if (spec.value) return SignalWithValue(spec, results);
  // Built in a buffer kept from call to call: the hot path does not
  // allocate once warm.
  std::string& buf = send_buf_;
  buf.assign(kHeaders, '\0');
  RETURN_IF_ERROR(Encode(spec, &buf));
  nlmsghdr nlh{};
  nlh.nlmsg_type = family_id_;
  genlmsghdr gnl{};
  gnl.cmd = KUCHAN_CMD_SIGNAL;
  gnl.version = static_cast<uint8_t>(SchemaVersion());
  std::memcpy(buf.data(), &nlh, sizeof(nlh));
  std::memcpy(buf.data() + NLMSG_HDRLEN, &gnl, sizeof(gnl));

  const Request req{"kuchan signal", msg::DescribeAttr<msg::SignalRequest>};
  return sock_.Transact(
      absl::Span<uint8_t>(reinterpret_cast<uint8_t*>(buf.data()), buf.size()),
      req, [&](absl::Span<const uint8_t> m) -> absl::Status {
        // Per-target results, before the failed ACK: SIGNAL's reply is of
        // the request's set and carries only them.
        if (results == nullptr || m.size() < kHeaders) return absl::OkStatus();
        const absl::Status st = Decode(m.subspan(kHeaders), &reply_);
        // Nothing half-decoded is handed back: a caller that prints the
        // failed targets must not print a partial list as the answer.
        if (!st.ok()) {
          return absl::DataLossError(
              absl::StrCat("kuchan signal: bad reply: ", st.message()));
        }
        results->swap(reply_.results);
        return absl::OkStatus();
      });
}

}  // namespace kuchan
