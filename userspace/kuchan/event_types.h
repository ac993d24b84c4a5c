// SPDX-License-Identifier: GPL-2.0
//
// Event types by name, as kuchanctl, kuchan-eventd and the helper's
// KUCHAN_EVENT spell them ("signal_sent"), from the schema's generated
// tables (kuchan.msg.h), without protobuf.
#ifndef KUCHAN_USERSPACE_KUCHAN_EVENT_TYPES_H_
#define KUCHAN_USERSPACE_KUCHAN_EVENT_TYPES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "userspace/kuchan/kuchan.msg.h"

namespace kuchan {

// "signal_sent" for EVENT_SIGNAL_SENT; "type_<n>" for numbers the schema
// does not know.
std::string EventTypeName(int type);

// The inverse, for names as EventTypeName() spells them (case-insensitive,
// "EVENT_CUSTOM" accepted too). False for unknown names and for "unspec".
bool ParseEventTypeName(absl::string_view name, msg::EventType* type);

// Every known type's name but unspec, in schema order, for help and errors.
std::vector<std::string> EventTypeNames();

// A name as ParseEventTypeName() reads it, or a number 1..63 (a type a
// newer module added); else InvalidArgument "unknown event type `x' (one
// of: signal_sent, ...)".
absl::StatusOr<msg::EventType> ParseEventType(absl::string_view name);

// "custom,signal_sent" for a mask of (1 << type) bits; "all" for 0.
std::string EventMaskNames(uint64_t mask);

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_EVENT_TYPES_H_
