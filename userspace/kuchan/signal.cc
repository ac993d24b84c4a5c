// SPDX-License-Identifier: GPL-2.0
//
// SIGNAL's codec without protobuf (signal.h says why): the encoder, the
// reply's decoder and the attribute namer. Connection::Signal() sends it.
#include "userspace/kuchan/signal.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "kernel/uapi/kuchan.h"
#include "userspace/kuchan/nla.h"

namespace kuchan {

void EncodeSignal(const SignalSpec& spec, std::string* out) {
  // One KUCHAN_A_SIGNAL_TARGETS nest per target, in order (multi-attr).
  for (const SignalTargetSpec& t : spec.targets) {
    const size_t member = BeginNla(out, KUCHAN_A_SIGNAL_TARGETS);
    if (t.pid) AppendNla(out, KUCHAN_A_TARGET_PID, &*t.pid, sizeof(*t.pid));
    if (t.start_time) {
      AppendNla(out, KUCHAN_A_TARGET_START_TIME, &*t.start_time,
                sizeof(*t.start_time));
    }
    EndNla(out, member);
  }
  if (spec.signal) {
    AppendNla(out, KUCHAN_A_SIGNAL_SIGNAL, &*spec.signal, sizeof(*spec.signal));
  }
  if (spec.value) {
    AppendNla(out, KUCHAN_A_SIGNAL_VALUE, &*spec.value, sizeof(*spec.value));
  }
}

namespace {

// One SignalResult: pid and error, each at most once, exactly 4 bytes.
bool DecodeResult(absl::Span<const uint8_t> attrs, SignalOutcome* r) {
  NlaReader reader(attrs);
  Nla a;
  bool seen_pid = false, seen_error = false;
  while (reader.Next(&a)) {
    if (a.type == KUCHAN_A_RESULT_PID) {
      if (seen_pid || a.payload.size() != sizeof(r->pid)) return false;
      std::memcpy(&r->pid, a.payload.data(), sizeof(r->pid));
      seen_pid = true;
    } else if (a.type == KUCHAN_A_RESULT_ERROR) {
      if (seen_error || a.payload.size() != sizeof(r->error)) return false;
      std::memcpy(&r->error, a.payload.data(), sizeof(r->error));
      seen_error = true;
    }
  }
  return reader.ok();
}

}  // namespace

absl::Status DecodeSignalReply(absl::Span<const uint8_t> attrs,
                               std::vector<SignalOutcome>* results) {
  results->clear();
  // Nothing half-decoded is left behind: a caller that prints the failed
  // targets must not print a partial list as if it were the answer.
  const auto malformed = [results] {
    results->clear();
    return absl::DataLossError("kuchan signal: malformed per-target results");
  };
  NlaReader reader(attrs);
  Nla a;
  while (reader.Next(&a)) {
    // One KUCHAN_A_SIGNAL_RESULTS per target (multi-attr); a reply carries
    // nothing else of its set, and a newer module's additions are skipped.
    if (a.type != KUCHAN_A_SIGNAL_RESULTS) continue;
    if (results->size() >= KUCHAN_A_SIGNAL_RESULTS_MAX_COUNT ||
        !DecodeResult(a.payload, &results->emplace_back())) {
      return malformed();
    }
  }
  return reader.ok() ? absl::OkStatus() : malformed();
}

namespace {

// The attribute of `data` holding byte `off`, as the codec's DescribeAttrAt
// spells it: `names` maps attribute types to field names, `prefix` goes
// before a name at the top ("kuchan.SignalRequest."). Members of the
// targets list are described with `member_names`.
struct AttrNames {
  const char* const* names;  // indexed by attribute type; null: unknown
  size_t count;
};

std::string NameOf(const AttrNames& set, uint16_t type, bool top) {
  const char* name = type < set.count ? set.names[type] : nullptr;
  if (name == nullptr) {
    return top ? absl::StrCat("kuchan.SignalRequest.<attr ", type, ">")
               : absl::StrCat("<attr ", type, ">");
  }
  return top ? absl::StrCat("kuchan.SignalRequest.", name) : name;
}

}  // namespace

std::string DescribeSignalAttr(absl::Span<const uint8_t> attrs, size_t offset) {
  static constexpr const char* kRequest[] = {nullptr, "targets", "signal",
                                             "value"};
  static constexpr const char* kTarget[] = {nullptr, "pid", "start_time"};
  static_assert(KUCHAN_A_SIGNAL_TARGETS == 1 && KUCHAN_A_SIGNAL_SIGNAL == 2 &&
                KUCHAN_A_SIGNAL_VALUE == 3 && KUCHAN_A_TARGET_PID == 1 &&
                KUCHAN_A_TARGET_START_TIME == 2);
  const AttrNames request{kRequest, 4}, target{kTarget, 3};

  NlaReader reader(attrs);
  Nla a;
  int targets = 0;  // members of the targets multi-attr before this one
  while (reader.Next(&a)) {
    const size_t end = a.offset + kNlaHeaderLen + a.payload.size();
    const bool is_target = a.type == KUCHAN_A_SIGNAL_TARGETS;
    const int i = is_target ? targets++ : 0;
    if (offset < a.offset || offset >= end) continue;
    std::string name = NameOf(request, a.type, true);
    if (!is_target) return name;
    absl::StrAppend(&name, "[", i, "]");
    if (offset - a.offset < kNlaHeaderLen) return name;
    const size_t inner = offset - a.offset - kNlaHeaderLen;
    NlaReader fields(a.payload);
    Nla f;
    while (fields.Next(&f)) {
      const size_t fend = f.offset + kNlaHeaderLen + f.payload.size();
      if (inner < f.offset || inner >= fend) continue;
      return absl::StrCat(name, ".", NameOf(target, f.type, false));
    }
    return name;
  }
  return "";
}

}  // namespace kuchan
