// SPDX-License-Identifier: GPL-2.0
//
// Which events `kuchanctl monitor` shows: its filter options, parsed and
// applied in this process (the module multicasts every event to every
// listener; a filter saves the terminal, not the kernel).
//
// How filters combine, as `kuchanctl monitor --help` says it:
//   - values of one option are alternatives: `--pid 4 --pid 9` shows the
//     events of either process;
//   - different options must all hold: `--type custom --uid 1000` shows
//     custom events of uid 1000's processes;
//   - --pid, --uid and --comm look at the event's processes: its actor
//     (who raised it) and, for signal_sent, its target; one of them
//     matching is enough, and an event without processes never matches;
//   - --code and --data look at a custom event's code and key=value data;
//     other events never match them;
//   - `lost' events (events the module's buffers had no room for) pass
//     every option but --type: the events lost may have been the ones
//     asked for, so a filtered stream still says so.
#ifndef KUCHAN_CLI_EVENT_FILTER_H_
#define KUCHAN_CLI_EVENT_FILTER_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "userspace/kuchan/kuchan.msg.h"

namespace kuchan::cli {

class EventFilter {
 public:
  // The options this filter reads, each taking one value.
  static bool IsFilterOption(absl::string_view option);

  // Adds `--option value`; InvalidArgument with a message for the user
  // ("unknown event type `x' (types: ...)", "invalid pid `x'").
  absl::Status Add(absl::string_view option, absl::string_view value);

  // Does `event` pass every option given? True when none was.
  bool Matches(const msg::Event& event) const;

 private:
  uint64_t type_mask_ = 0;  // bit (1 << type); 0: every type
  std::vector<uint32_t> pids_;
  std::vector<uint32_t> uids_;
  std::vector<std::string> comms_;  // fnmatch(3) patterns
  std::vector<uint32_t> codes_;
  std::vector<std::pair<std::string, std::string>> data_;
};

}  // namespace kuchan::cli

#endif  // KUCHAN_CLI_EVENT_FILTER_H_
