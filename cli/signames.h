// SPDX-License-Identifier: GPL-2.0
//
// Signal names as kill(1) spells them: TERM, SIGTERM, term, 15, RTMIN,
// RTMIN+3, RTMAX-2. The names come from glibc (sigabbrev_np), so they are
// the ones the C library and kill(1) on this system use; the real-time
// range is glibc's SIGRTMIN..SIGRTMAX (it keeps the first two for itself).
#ifndef KUCHAN_CLI_SIGNAMES_H_
#define KUCHAN_CLI_SIGNAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kuchan::cli {

// The signal number `text` names (case-insensitive), 0 included (the probe).
// InvalidArgument quoting `text` when it names none.
absl::StatusOr<int> ParseSignal(absl::string_view text);

// "TERM" for 15, "RTMIN+3" for SIGRTMIN+3, "" for numbers with no name.
std::string SignalName(int sig);

// Every signal, "number name" one per line, for `kuchanctl signal -l`.
std::string SignalList();

}  // namespace kuchan::cli

#endif  // KUCHAN_CLI_SIGNAMES_H_
