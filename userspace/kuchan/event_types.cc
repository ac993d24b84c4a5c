// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/event_types.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace kuchan {

std::string EventTypeName(int type) {
  const char* name =
      type < 0 ? nullptr : msg::JsonName(static_cast<msg::EventType>(type));
  return name == nullptr ? absl::StrCat("type_", type) : name;
}

bool ParseEventTypeName(absl::string_view name, msg::EventType* type) {
  std::string lower = absl::AsciiStrToLower(name);
  absl::string_view v = lower;
  absl::ConsumePrefix(&v, "event_");
  for (msg::EventType t : msg::kEventTypeValues) {
    if (t != msg::EVENT_UNSPEC && v == msg::JsonName(t)) {
      *type = t;
      return true;
    }
  }
  return false;
}

std::vector<std::string> EventTypeNames() {
  std::vector<std::string> names;
  for (msg::EventType t : msg::kEventTypeValues)
    if (t != msg::EVENT_UNSPEC) names.push_back(msg::JsonName(t));
  return names;
}

absl::StatusOr<msg::EventType> ParseEventType(absl::string_view name) {
  int number = 0;
  msg::EventType type;
  if (absl::SimpleAtoi(name, &number)) {
    if (number > 0 && number < 64) return static_cast<msg::EventType>(number);
  } else if (ParseEventTypeName(name, &type)) {
    return type;
  }
  return absl::InvalidArgumentError(
      absl::StrFormat("unknown event type `%s' (one of: %s)", name,
                      absl::StrJoin(EventTypeNames(), ", ")));
}

std::string EventMaskNames(uint64_t mask) {
  if (mask == 0) return "all";
  std::vector<std::string> names;
  for (int t = 0; t < 64; t++)
    if (mask & (uint64_t{1} << t)) names.push_back(EventTypeName(t));
  return absl::StrJoin(names, ",");
}

}  // namespace kuchan
