// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/client.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "userspace/kuchan/codec.h"
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

  // The connection's one request path, with the reflection codec in place
  // of a generated op's encoder and decoder.
  return conn_.Do(
      static_cast<uint8_t>(cmd), context,
      [&](std::string* buf) {
        return request != nullptr ? EncodeAttrs(*request, buf)
                                  : absl::OkStatus();
      },
      request != nullptr ? AttrNamerFor(request->GetDescriptor()) : AttrNamer(),
      [&](absl::Span<const uint8_t> attrs) -> absl::Status {
        if (reply == nullptr) return absl::OkStatus();
        absl::Status st = DecodeAttrs(attrs, reply);
        if (st.ok()) return st;
        return absl::Status(st.code(),
                            absl::StrCat(context, ": bad reply: ", st.message()));
      });
}

}  // namespace kuchan
