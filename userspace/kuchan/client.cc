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

absl::StatusOr<Client> Client::Connect(absl::string_view program) {
  ASSIGN_OR_RETURN(Connection conn, Connection::Open(program));
  return Client(std::move(conn));
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
  const uint16_t family_id = conn_.family_id();
  RETURN_IF_ERROR(PutGenlHeader(&msg, family_id, static_cast<uint8_t>(cmd),
                                static_cast<uint8_t>(SchemaVersion())));
  if (request != nullptr) RETURN_IF_ERROR(EncodeAttrs(*request, msg.get()));

  // kuchan declares no family header (hdrsize 0): attributes follow the
  // genlmsghdr.
  constexpr size_t attrs = NLMSG_HDRLEN + GENL_HDRLEN;
  Request req;
  req.context = context;
  if (request != nullptr) req.name_attr = AttrNamerFor(request->GetDescriptor());
  return conn_.socket().Transact(
      msg, req, [&](absl::Span<const uint8_t> m) -> absl::Status {
        nlmsghdr hdr;
        std::memcpy(&hdr, m.data(), sizeof(hdr));
        if (hdr.nlmsg_type != family_id || reply == nullptr) {
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
