// SPDX-License-Identifier: GPL-2.0
#include "cli/signames.h"

#include <signal.h>
#include <string.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace kuchan::cli {
namespace {

// Signals 1.._NSIG-1 are what the kernel accepts (0 is the probe).
constexpr int kMaxSignal = _NSIG - 1;

absl::Status Bad(absl::string_view text) {
  return absl::InvalidArgumentError(absl::StrFormat(
      "invalid signal `%s' (see kuchanctl signal -l)", text));
}

}  // namespace

std::string SignalName(int sig) {
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
    if (sig == SIGRTMIN) return "RTMIN";
    if (sig == SIGRTMAX) return "RTMAX";
    // kill(1)'s convention: the lower half counts up from RTMIN.
    if (sig - SIGRTMIN <= SIGRTMAX - sig)
      return absl::StrCat("RTMIN+", sig - SIGRTMIN);
    return absl::StrCat("RTMAX-", SIGRTMAX - sig);
  }
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? abbrev : "";
}

absl::StatusOr<int> ParseSignal(absl::string_view text) {
  int n;
  if (absl::SimpleAtoi(text, &n)) {
    if (n < 0 || n > kMaxSignal) return Bad(text);
    return n;
  }
  std::string name = absl::AsciiStrToUpper(text);
  absl::string_view v = name;
  absl::ConsumePrefix(&v, "SIG");
  if (absl::ConsumePrefix(&v, "RTMIN") || absl::StartsWith(v, "RTMAX")) {
    const bool from_max = absl::ConsumePrefix(&v, "RTMAX");
    int base = from_max ? SIGRTMAX : SIGRTMIN, off = 0;
    if (!v.empty()) {
      const bool plus = absl::ConsumePrefix(&v, "+");
      const bool minus = !plus && absl::ConsumePrefix(&v, "-");
      if ((!plus && !minus) || (from_max ? plus : minus) ||
          !absl::SimpleAtoi(v, &off) || off < 0)
        return Bad(text);
      off = from_max ? -off : off;
    }
    const int sig = base + off;
    if (sig < SIGRTMIN || sig > SIGRTMAX) return Bad(text);
    return sig;
  }
  for (int sig = 1; sig < SIGRTMIN; sig++) {
    const char* abbrev = sigabbrev_np(sig);
    if (abbrev != nullptr && v == abbrev) return sig;
  }
  return Bad(text);
}

std::string SignalList() {
  std::string out;
  for (int sig = 1; sig <= kMaxSignal; sig++) {
    const std::string name = SignalName(sig);
    if (!name.empty()) absl::StrAppendFormat(&out, "%2d %s\n", sig, name);
  }
  return out;
}

}  // namespace kuchan::cli
