// SPDX-License-Identifier: GPL-2.0
//
// `kuchanctl monitor`: one line per event, human-readable or JSON Lines.
// The formats are parsed by the VM tests (tests/guest/monitor_test.cc):
// change them only together.
#ifndef KUCHAN_CLI_MONITOR_H_
#define KUCHAN_CLI_MONITOR_H_

#include <cstdint>
#include <string>

#include "userspace/kuchan/kuchan.msg.h"

namespace kuchan::cli {

enum class TimestampMode { kWall, kRelative };

// One line, without the newline:
//   2026-11-22T10:00:00.123456789Z seq=7 custom code=0x7e57 ctx=hardirq n=3
//   +0.000120 seq=8 signal_sent signal=10 target=412/sleep uid=1000
//       error=0 actor=401/kuchanctl uid=0
// In relative mode the time is seconds since `origin_ns` (CLOCK_REALTIME
// nanoseconds: the first event's timestamp).
// A field the event lacks prints as 0 (or is left out where the example
// shows it optional).
std::string FormatEventText(const msg::Event& event, TimestampMode mode,
                            uint64_t origin_ns);

// The event as msg::AppendJson() prints it, on one line without the
// newline: the schema's field names, integers as numbers:
//   {"seq":7,"timestamp_ns":1795355096770205753,"type":"custom",...}
std::string FormatEventJson(const msg::Event& event);

}  // namespace kuchan::cli

#endif  // KUCHAN_CLI_MONITOR_H_
