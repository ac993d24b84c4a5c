// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/client.h"

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "userspace/kuchan/codec.h"
#include "userspace/kuchan/controller.h"
#include "userspace/kuchan/schema.h"
#include "userspace/kuchan/status_macros.h"

namespace kuchan {

using google::protobuf::Message;

std::string ModuleNotLoadedMessage() {
  // The module is named after the family.
  const std::string& name = SchemaFamilyName();
  return absl::StrFormat(
      "%s module is not loaded (load it with: modprobe %s, or insmod %s.ko)",
      name, name, name);
}

namespace {

// GetFamily() (everything) or ResolveFamily() (what connecting needs) for
// the schema's family; NotFound spelled for people.
absl::StatusOr<FamilyInfo> LookUp(Socket& sock, bool everything) {
  absl::StatusOr<FamilyInfo> info =
      everything ? GetFamily(sock, SchemaFamilyName())
                 : ResolveFamily(sock, SchemaFamilyName());
  if (absl::IsNotFound(info.status())) {
    return absl::NotFoundError(ModuleNotLoadedMessage());
  }
  return info;
}

}  // namespace

absl::StatusOr<Client> Client::Connect(absl::string_view program) {
  ASSIGN_OR_RETURN(Socket sock, Socket::Open());
  ASSIGN_OR_RETURN(FamilyInfo info, LookUp(sock, /*everything=*/false));
  if (info.version != SchemaVersion()) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s module speaks protocol version %d but this %s was built for "
        "version %d: rebuild %s or load the matching module",
        SchemaFamilyName(), info.version, program, SchemaVersion(), program));
  }
  const std::string& group = SchemaMonitorGroupName();
  const FamilyGroup* monitor = info.FindGroup(group);
  if (monitor == nullptr) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s module has no multicast group `%s': load the matching module",
        SchemaFamilyName(), group));
  }
  return Client(std::move(sock), info, monitor->id);
}

absl::StatusOr<FamilyInfo> Client::Info() {
  ASSIGN_OR_RETURN(FamilyInfo info, LookUp(sock_, /*everything=*/true));
  for (FamilyOp& op : info.ops) op.name = SchemaCommandName(op.cmd);
  return info;
}

absl::Status Client::Do(Command cmd, const Message* request, Message* reply) {
  const auto* command = SchemaCommand(cmd);
  if (command == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrFormat("command %d is not in the schema", cmd));
  }
  const nl::Op& op = command->options().GetExtension(nl::op);
  const std::string context =
      absl::StrCat(SchemaFamilyName(), " ", SchemaCommandName(cmd));
  // The schema says which set each direction carries: refuse a mix-up here
  // rather than send attributes the kernel would misread.
  if (request != nullptr &&
      request->GetDescriptor()->full_name() != op.request()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: takes %s, not %s", context,
        op.request().empty() ? "no attributes" : op.request(),
        request->GetDescriptor()->full_name()));
  }
  if (reply != nullptr && reply->GetDescriptor()->full_name() != op.reply()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: replies with %s, not %s", context,
        op.reply().empty() ? "no attributes" : op.reply(),
        reply->GetDescriptor()->full_name()));
  }

  ASSIGN_OR_RETURN(NlMsg msg, NlMsg::Alloc());
  RETURN_IF_ERROR(PutGenlHeader(&msg, family_id_, static_cast<uint8_t>(cmd),
                                static_cast<uint8_t>(SchemaVersion())));
  if (request != nullptr) RETURN_IF_ERROR(EncodeAttrs(*request, msg.get()));

  const size_t attrs = NLMSG_HDRLEN + GENL_HDRLEN + NLMSG_ALIGN(hdrsize_);
  Request req;
  req.context = context;
  req.attr_set = request != nullptr ? request->GetDescriptor() : nullptr;
  return sock_.Transact(
      msg, req, [&](absl::Span<const uint8_t> m) -> absl::Status {
        nlmsghdr hdr;
        std::memcpy(&hdr, m.data(), sizeof(hdr));
        if (hdr.nlmsg_type != family_id_ || reply == nullptr) {
          return absl::OkStatus();
        }
        if (m.size() < attrs) {
          return absl::DataLossError(absl::StrFormat(
              "%s: reply of %d bytes, shorter than its headers", context,
              m.size()));
        }
        absl::Status st = DecodeAttrs(m.subspan(attrs), reply);
        if (st.ok()) return st;
        return absl::Status(st.code(),
                            absl::StrCat(context, ": bad reply: ", st.message()));
      });
}

}  // namespace kuchan
