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

std::string EventTypeName(int type) {
  if (!EventType_IsValid(type)) return absl::StrCat("type_", type);
  std::string name = EventType_Name(static_cast<EventType>(type));
  absl::string_view v = name;
  absl::ConsumePrefix(&v, "EVENT_");
  return absl::AsciiStrToLower(v);
}

bool ParseEventTypeName(absl::string_view name, EventType* type) {
  std::string upper = absl::AsciiStrToUpper(name);
  if (!absl::StartsWith(upper, "EVENT_")) upper = absl::StrCat("EVENT_", upper);
  EventType t;
  if (!EventType_Parse(upper, &t) || t == EVENT_UNSPEC) return false;
  *type = t;
  return true;
}

std::vector<std::string> EventTypeNames() {
  std::vector<std::string> names;
  const auto* d = EventType_descriptor();
  for (int i = 0; i < d->value_count(); ++i) {
    if (d->value(i)->number() == EVENT_UNSPEC) continue;
    names.push_back(EventTypeName(d->value(i)->number()));
  }
  return names;
}

}  // namespace kuchan
