// SPDX-License-Identifier: GPL-2.0
#include "cli/event_filter.h"

#include <fnmatch.h>

#include <algorithm>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "userspace/kuchan/event_types.h"

namespace kuchan::cli {
namespace {

constexpr absl::string_view kOptions[] = {"--type", "--pid",  "--uid",
                                          "--comm", "--code", "--data"};

// The processes an event names: its actor and, for signal_sent, its target.
std::vector<const msg::Process*> ProcessesOf(const msg::Event& e) {
  std::vector<const msg::Process*> out;
  if (e.actor) out.push_back(&*e.actor);
  if (e.signal_sent && e.signal_sent->target)
    out.push_back(&*e.signal_sent->target);
  return out;
}

// Does `field` hold one of `wanted`?
bool Holds(const std::optional<uint32_t>& field,
           const std::vector<uint32_t>& wanted) {
  return field && std::find(wanted.begin(), wanted.end(), *field) !=
                      wanted.end();
}

// Is one of `procs` accepted by `accept`?
template <typename Accept>
bool AnyProcess(const std::vector<const msg::Process*>& procs,
                Accept accept) {
  return std::any_of(procs.begin(), procs.end(),
                     [&](const msg::Process* p) { return accept(*p); });
}

}  // namespace

bool EventFilter::IsFilterOption(absl::string_view option) {
  return std::find(std::begin(kOptions), std::end(kOptions), option) !=
         std::end(kOptions);
}

absl::Status EventFilter::Add(absl::string_view option,
                              absl::string_view value) {
  auto invalid = [&](absl::string_view what) {
    return absl::InvalidArgumentError(
        absl::StrFormat("invalid %s `%s'", what, value));
  };
  uint32_t n;
  if (option == "--type") {
    msg::EventType t;
    if (!ParseEventTypeName(value, &t)) {
      return absl::InvalidArgumentError(
          absl::StrFormat("unknown event type `%s' (types: %s)", value,
                          absl::StrJoin(EventTypeNames(), ", ")));
    }
    type_mask_ |= uint64_t{1} << t;
  } else if (option == "--pid") {
    if (!absl::SimpleAtoi(value, &n) || n == 0) return invalid("pid");
    pids_.push_back(n);
  } else if (option == "--uid") {
    if (!absl::SimpleAtoi(value, &n)) return invalid("uid");
    uids_.push_back(n);
  } else if (option == "--comm") {
    // The kernel keeps 15 bytes of a name: a longer one can never match.
    if (value.empty()) return invalid("command name");
    comms_.emplace_back(value);
  } else if (option == "--code") {
    // Decimal, or hexadecimal with 0x as monitor prints codes.
    const bool hex = absl::StartsWithIgnoreCase(value, "0x");
    if (hex ? !absl::SimpleHexAtoi(value, &n) : !absl::SimpleAtoi(value, &n))
      return invalid("code");
    codes_.push_back(n);
  } else if (option == "--data") {
    const size_t eq = value.find('=');
    if (eq == absl::string_view::npos || eq == 0)
      return invalid("KEY=VALUE");
    data_.emplace_back(value.substr(0, eq), value.substr(eq + 1));
  } else {
    return absl::InvalidArgumentError(
        absl::StrFormat("`%s' is no filter option", option));
  }
  return absl::OkStatus();
}

bool EventFilter::Matches(const msg::Event& e) const {
  // An event without a type is matched as type 0 (unspec), which no --type
  // names.
  const uint32_t type = e.type.value_or(msg::EVENT_UNSPEC);
  if (type_mask_ != 0 &&
      (type >= 64 || !(type_mask_ & (uint64_t{1} << type)))) {
    return false;
  }
  if (type == msg::EVENT_LOST) return true;

  const std::vector<const msg::Process*> procs = ProcessesOf(e);
  if (!pids_.empty() && !AnyProcess(procs, [&](const msg::Process& p) {
        return Holds(p.pid, pids_);
      })) {
    return false;
  }
  if (!uids_.empty() && !AnyProcess(procs, [&](const msg::Process& p) {
        return Holds(p.uid, uids_);
      })) {
    return false;
  }
  if (!comms_.empty() && !AnyProcess(procs, [&](const msg::Process& p) {
        if (!p.comm) return false;
        for (const std::string& pattern : comms_)
          if (fnmatch(pattern.c_str(), p.comm->c_str(), 0) == 0) return true;
        return false;
      })) {
    return false;
  }
  if (!codes_.empty() && !(e.custom && Holds(e.custom->code, codes_))) {
    return false;
  }
  if (!data_.empty()) {
    if (!e.custom) return false;
    bool any = false;
    for (const auto& [key, value] : data_) {
      for (const msg::KeyValue& kv : e.custom->data)
        any = any || (kv.key.value_or("") == key &&
                      kv.value.value_or("") == value);
    }
    if (!any) return false;
  }
  return true;
}

}  // namespace kuchan::cli
