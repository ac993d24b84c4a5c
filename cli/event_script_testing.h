// SPDX-License-Identifier: GPL-2.0
//
// A scripted event stream for the CLI's tests (the JSON golden file, the
// monitor filters): every event type, as text-format kuchan.Event, and the
// way from that text to the wire and to what monitor decodes.
#ifndef KUCHAN_CLI_EVENT_SCRIPT_TESTING_H_
#define KUCHAN_CLI_EVENT_SCRIPT_TESTING_H_

#include <string>

#include "proto/kuchan.pb.h"
#include "userspace/kuchan/kuchan.msg.h"
#include "userspace/kuchan/test_messages.h"

namespace kuchan::cli::test_support {

// The script: what the module would say, one event per entry.
inline constexpr const char* kEventScript[] = {
    R"pb(seq: 1 timestamp_ns: 1795355096770205753 type: EVENT_CUSTOM
         origin: ORIGIN_USER
         actor { pid: 172 tgid: 172 uid: 0 comm: "kuchanctl" start_time: 4242 }
         custom { code: 9 data { key: "door" value: "closed" }
                  data { key: "room" value: "7" } })pb",
    R"pb(seq: 2 timestamp_ns: 1795355096770300000 type: EVENT_SIGNAL_SENT
         origin: ORIGIN_USER
         actor { pid: 173 tgid: 173 uid: 1000 comm: "kuchanctl" start_time: 5000 }
         signal_sent { target { pid: 412 tgid: 412 uid: 1000 comm: "sleep"
                                start_time: 4999 }
                       signal: 10 error: 0 })pb",
    R"pb(seq: 3 timestamp_ns: 1795355096771000000 type: EVENT_HELPER_CHANGED
         origin: ORIGIN_USER
         actor { pid: 1 tgid: 1 uid: 0 comm: "init" start_time: 1 }
         helper_changed { helper { path: "/usr/local/sbin/on-event"
                                   args { value: "a b" } args { value: "" }
                                   event_mask: 16 } })pb",
    R"pb(seq: 4 timestamp_ns: 1795355096772000000 type: EVENT_HELPER_RAN
         origin: ORIGIN_KERNEL
         helper_ran { path: "/usr/local/sbin/on-event" event_seq: 18446744073709551615
                      exit_status: 256 })pb",
    R"pb(seq: 5 timestamp_ns: 1795355096773000000 type: EVENT_HELPER_DROPPED
         origin: ORIGIN_KERNEL
         helper_dropped { count: 3 queue_full: 1 user_share: 1 nomem: 1
                          rate_limited: 9007199254740993 })pb",
    R"pb(seq: 6 timestamp_ns: 1795355096774000000 type: EVENT_LOST
         origin: ORIGIN_KERNEL lost { count: 12 cpu: 1 })pb",
    R"pb(seq: 7 timestamp_ns: 1795355096775000000 type: EVENT_CUSTOM
         origin: ORIGIN_KERNEL custom { code: 4294967295 })pb",
};

// One entry as the subscriber hands it to monitor: encoded by the
// reflection codec (the test oracle), behind `prefix` (a pad, say), and
// decoded into the typed struct.
inline msg::Event ScriptEvent(const char* text, const std::string& prefix = "") {
  return wire::ParseTyped<Event, msg::Event>(text, prefix);
}

}  // namespace kuchan::cli::test_support

#endif  // KUCHAN_CLI_EVENT_SCRIPT_TESTING_H_
