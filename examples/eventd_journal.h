// SPDX-License-Identifier: GPL-2.0
//
// kuchan-eventd's journal output: each event as one journal entry through
// the journal's native protocol (sd_journal_sendv), every field its own
// journal field, so `journalctl KUCHAN_EVENT=custom KUCHAN_ACTOR_UID=1000`
// and a log shipper's structured view need no parsing of MESSAGE.
//
// Field names are those of the helper's environment (docs/helper.md):
// KUCHAN_SEQ, KUCHAN_EVENT, KUCHAN_ACTOR_PID, ... A custom event's data
// keys become KUCHAN_DATA_<KEY>, upper-cased, other bytes '_' (the journal
// allows only A-Z, 0-9 and '_' in names). MESSAGE_ID tells the entry's
// kind: one stable 128-bit id per event type and per daemon notice
// (docs/fleet.md lists them); they never change once released.
#ifndef KUCHAN_EXAMPLES_EVENTD_JOURNAL_H_
#define KUCHAN_EXAMPLES_EVENTD_JOURNAL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "userspace/kuchan/kuchan.msg.h"

namespace kuchan::eventd {

// MESSAGE_ID of an event of `type`; the unknown-type id for a type this
// build does not know.
const char* EventMessageId(int type);

// The daemon's own notices.
enum class Notice {
  kLost,            // events lost by the daemon's socket (overrun)
  kModuleUnloaded,  // the module went away
  kModuleLoaded,    // and came back
};
const char* NoticeMessageId(Notice notice);

// The entry for `event`: "FIELD=value" strings, MESSAGE first.
std::vector<std::string> EventEntry(const msg::Event& event);
// The entry for a notice; `lost` is the count for kLost.
std::vector<std::string> NoticeEntry(Notice notice, uint64_t lost);

// Sends one entry to the journal (sd_journal_sendv). The journal being
// down is an error the caller reports once and goes on.
absl::Status SendToJournal(const std::vector<std::string>& entry);

}  // namespace kuchan::eventd

#endif  // KUCHAN_EXAMPLES_EVENTD_JOURNAL_H_
