// SPDX-License-Identifier: GPL-2.0
#include "cli/monitor.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <limits>
#include <optional>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "cli/event_filter.h"
#include "cli/subcommand.h"
#include "userspace/kuchan/event_types.h"
#include "userspace/kuchan/subscriber.h"

namespace kuchan::cli {
namespace {

constexpr char kUsage[] =
    "usage: kuchanctl monitor [--json | --json-seq] [--count N]\n"
    "                         [--timestamp wall|relative] [--buffer BYTES]\n"
    "                         [--type TYPE] [--pid PID] [--uid UID]\n"
    "                         [--comm NAME] [--code CODE] [--data KEY=VALUE]\n"
    "\n"
    "Prints kuchan's events as they happen, one line each: time, sequence\n"
    "number, type and fields. Needs CAP_NET_ADMIN (run as root): events name\n"
    "other users' processes.\n"
    "\n"
    "Every event has a sequence number from one counter; when events are\n"
    "lost (this program read too slowly and the socket's buffer overflowed)\n"
    "a warning with the count goes to stderr and monitoring goes on. When\n"
    "the module is unloaded and loaded again, monitor says so on stderr and\n"
    "follows the new module. Ctrl-C (SIGINT) or SIGTERM ends it; it then\n"
    "prints how many events it received and lost on stderr.\n"
    "\n"
    "Options:\n"
    "  --json               one JSON object per line: the schema's field\n"
    "                       names, integers as numbers, enum values by name\n"
    "                       (docs/monitor.md)\n"
    "  --json-seq           the same objects as an RFC 7464 JSON text\n"
    "                       sequence: each begins with RS (0x1e), ends with LF\n"
    "  --count N            exit after N events shown\n"
    "  --timestamp MODE     wall (default: UTC, RFC 3339 with nanoseconds) or\n"
    "                       relative (seconds since the first event shown)\n"
    "  --buffer BYTES       socket receive buffer (default 8 MiB)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Filters (applied here, to what the module sends):\n"
    "  --type TYPE          events of TYPE: signal_sent, helper_changed,\n"
    "                       helper_ran, custom, helper_dropped, lost\n"
    "  --pid PID            events whose actor or target is process PID\n"
    "  --uid UID            events whose actor or target runs as UID\n"
    "  --comm NAME          events whose actor or target is named NAME (a\n"
    "                       shell pattern: 'kworker*')\n"
    "  --code CODE          custom events with CODE (decimal, or 0x hex)\n"
    "  --data KEY=VALUE     custom events carrying KEY=VALUE\n"
    "A filter given several times accepts any of its values; different\n"
    "filters must all accept an event. `lost' events pass every filter but\n"
    "--type: what was lost may have been what you asked for.\n"
    "\n"
    "Output is flushed after every event, also into a pipe.\n"
    "\n"
    "Examples:\n"
    "  kuchanctl monitor\n"
    "  kuchanctl monitor --type signal_sent --timestamp relative\n"
    "  kuchanctl monitor --type custom --code 0x7e57 --data door=open\n"
    "  kuchanctl monitor --uid 1000 --comm 'python*'\n"
    "  kuchanctl monitor --json --count 10 | jq .custom\n"
    "  kuchanctl monitor --json | jq -c 'select(.seq > 5)'\n";

constexpr size_t kDefaultBuffer = 8 << 20;

enum class Format { kText, kJson, kJsonSeq };

struct Options {
  Format format = Format::kText;
  uint64_t count = 0;  // 0: no limit
  EventFilter filter;
  TimestampMode timestamp = TimestampMode::kWall;
  size_t buffer = kDefaultBuffer;
};

// Parses the options; returns -1 to go on, else the exit code.
int ParseOptions(int argc, char** argv, std::ostream& out, std::ostream& err,
                 Options* o) {
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    auto value = [&](absl::string_view* v) {
      if (i + 1 >= argc) return false;
      *v = argv[++i];
      return true;
    };
    absl::string_view v;
    if (IsHelp(arg)) {
      out << kUsage;
      return kExitOk;
    } else if (arg == "--json" || arg == "--json-seq") {
      const Format f = arg == "--json" ? Format::kJson : Format::kJsonSeq;
      if (o->format != Format::kText && o->format != f) {
        return UsageError(err, "monitor",
                          "--json and --json-seq exclude each other");
      }
      o->format = f;
    } else if (arg == "--count") {
      if (!value(&v)) return UsageError(err, "monitor", "--count needs a number");
      if (!absl::SimpleAtoi(v, &o->count) || o->count == 0) {
        return UsageError(err, "monitor",
                          absl::StrFormat("invalid count `%s'", v));
      }
    } else if (EventFilter::IsFilterOption(arg)) {
      if (!value(&v)) {
        return UsageError(err, "monitor",
                          absl::StrFormat("%s needs a value", arg));
      }
      if (absl::Status st = o->filter.Add(arg, v); !st.ok())
        return UsageError(err, "monitor", st.message());
    } else if (arg == "--timestamp") {
      if (!value(&v)) {
        return UsageError(err, "monitor", "--timestamp needs wall or relative");
      }
      if (v == "wall") {
        o->timestamp = TimestampMode::kWall;
      } else if (v == "relative") {
        o->timestamp = TimestampMode::kRelative;
      } else {
        return UsageError(err, "monitor",
                          absl::StrFormat("invalid timestamp mode `%s' "
                                          "(wall or relative)", v));
      }
    } else if (arg == "--buffer") {
      if (!value(&v)) return UsageError(err, "monitor", "--buffer needs bytes");
      if (!absl::SimpleAtoi(v, &o->buffer) || o->buffer == 0) {
        return UsageError(err, "monitor",
                          absl::StrFormat("invalid buffer size `%s'", v));
      }
    } else {
      return BadArgument(err, "monitor", arg);
    }
  }
  return -1;
}

// SIGINT and SIGTERM as a file descriptor, blocked while it lives, so the
// wait for events and the wait for Ctrl-C are one poll() with no race.
class SignalFd {
 public:
  SignalFd() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, &old_);
    fd_ = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  }
  ~SignalFd() {
    if (fd_ >= 0) close(fd_);
    sigprocmask(SIG_SETMASK, &old_, nullptr);
  }
  SignalFd(const SignalFd&) = delete;
  SignalFd& operator=(const SignalFd&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  sigset_t old_;
};

int RunMonitor(int argc, char** argv, std::ostream& out, std::ostream& err) {
  Options o;
  if (int rc = ParseOptions(argc, argv, out, err, &o); rc >= 0) return rc;

  SubscriberOptions so;
  so.program = "kuchanctl";
  so.receive_buffer = o.buffer;
  absl::StatusOr<Subscriber> sub = Subscriber::Connect(so);
  if (!sub.ok()) return Failure(err, sub.status());
  SignalFd signals;
  if (signals.fd() < 0) {
    return Failure(err, absl::ErrnoToStatus(errno, "signalfd"));
  }
  // Relative times count from the first event: the kernel's clock and
  // ours can disagree by milliseconds (seen under QEMU), and a line that
  // says "-0.006" before anything happened helps nobody.
  std::optional<uint64_t> origin;

  uint64_t shown = 0;
  bool stop = false;
  std::string line;
  while (!stop) {
    StreamItem item;
    absl::StatusOr<bool> got = sub->Next(&item, absl::ZeroDuration());
    if (!got.ok()) return Failure(err, got.status());
    if (!*got) {
      pollfd fds[2] = {{sub->fd(), POLLIN, 0}, {signals.fd(), POLLIN, 0}};
      if (poll(fds, 2, -1) < 0 && errno != EINTR) {
        return Failure(err, absl::ErrnoToStatus(errno, "poll"));
      }
      if (fds[1].revents & POLLIN) {
        // Consumed, or it would kill us when ~SignalFd unblocks it.
        signalfd_siginfo si;
        (void)!read(signals.fd(), &si, sizeof(si));
        stop = true;
      }
      continue;
    }
    switch (item.kind) {
      case StreamItem::Kind::kEvent: {
        const msg::Event& e = *item.event;
        if (!o.filter.Matches(e)) break;
        if (!origin) origin = e.timestamp_ns.value_or(0);
        line.clear();
        // RFC 7464: a record separator before each JSON text.
        if (o.format == Format::kJsonSeq) line += '\x1e';
        line += o.format == Format::kText
                    ? FormatEventText(e, o.timestamp, *origin)
                    : FormatEventJson(e);
        line += '\n';
        out << line << std::flush;
        if (o.count != 0 && ++shown >= o.count) stop = true;
        break;
      }
      case StreamItem::Kind::kOverrun:
        if (item.lost > 0) {
          err << "kuchanctl: warning: " << item.lost
              << " events lost (reading too slowly; try --buffer)\n";
        } else {
          err << "kuchanctl: warning: events lost (socket buffer overflowed; "
                 "the count follows with the next event)\n";
        }
        err << std::flush;
        break;
      case StreamItem::Kind::kModuleUnloaded:
        err << "kuchanctl: the kuchan module was unloaded; waiting for it to "
               "be loaded again\n" << std::flush;
        break;
      case StreamItem::Kind::kModuleLoaded:
        err << "kuchanctl: the kuchan module was loaded again; monitoring "
               "goes on\n" << std::flush;
        break;
    }
  }
  const SubscriberCounters& c = sub->counters();
  err << absl::StreamFormat("kuchanctl: %d events received, %d lost\n",
                            c.events, c.lost)
      << std::flush;
  return kExitOk;
}

// What an optional field holds, or its type's zero (as protobuf read it).
template <typename T>
T Or0(const std::optional<T>& v) {
  return v.value_or(T{});
}

void AppendProcess(std::string* s, absl::string_view name,
                   const std::optional<msg::Process>& p) {
  absl::StrAppend(s, " ", name, "=", p ? Or0(p->pid) : 0);
  if (!p) return;
  if (p->comm) absl::StrAppend(s, "/", *p->comm);
  if (p->uid) absl::StrAppend(s, " uid=", *p->uid);
}

}  // namespace

const Subcommand kMonitor = {
    "monitor",
    "print kuchan events as they happen",
    kUsage,
    RunMonitor,
};

std::string FormatEventText(const msg::Event& e, TimestampMode mode,
                            uint64_t origin_ns) {
  std::string s;
  const uint64_t ts = Or0(e.timestamp_ns);
  if (mode == TimestampMode::kWall) {
    const absl::Time t = absl::FromUnixNanos(static_cast<int64_t>(ts));
    s = absl::FormatTime("%Y-%m-%dT%H:%M:%E9SZ", t, absl::UTCTimeZone());
  } else {
    const int64_t d = static_cast<int64_t>(ts - origin_ns);
    s = absl::StrFormat("%s%d.%06d", d < 0 ? "-" : "+",
                        (d < 0 ? -d : d) / 1000000000,
                        ((d < 0 ? -d : d) % 1000000000) / 1000);
  }
  absl::StrAppend(&s, " seq=", Or0(e.seq), " ",
                  EventTypeName(static_cast<int>(Or0(e.type))));
  // The payload (the schema's oneof: the decoder lets at most one through).
  if (const auto& sent = e.signal_sent) {
    const uint32_t sig = Or0(sent->signal), error = Or0(sent->error);
    absl::StrAppend(&s, " signal=", sig);
    const char* abbrev = sigabbrev_np(static_cast<int>(sig));
    if (abbrev != nullptr) absl::StrAppend(&s, "/SIG", abbrev);
    AppendProcess(&s, "target", sent->target);
    if (sent->value) absl::StrAppend(&s, " value=", *sent->value);
    absl::StrAppend(&s, " error=", error);
    if (error != 0) {
      const char* name = strerrorname_np(static_cast<int>(error));
      if (name != nullptr) absl::StrAppend(&s, "/", name);
    }
  } else if (const auto& custom = e.custom) {
    absl::StrAppendFormat(&s, " code=%#x", Or0(custom->code));
    for (const msg::KeyValue& kv : custom->data) {
      absl::StrAppend(&s, " ", Or0(kv.key), "=", Or0(kv.value));
    }
  } else if (const auto& changed = e.helper_changed) {
    if (changed->helper) {
      absl::StrAppend(&s, " path=", Or0(changed->helper->path));
    } else {
      absl::StrAppend(&s, " cleared");
    }
  } else if (const auto& ran = e.helper_ran) {
    absl::StrAppend(&s, " path=", Or0(ran->path), " for_seq=",
                    Or0(ran->event_seq));
    if (ran->exit_status) absl::StrAppend(&s, " status=", *ran->exit_status);
    if (ran->error) absl::StrAppend(&s, " error=", *ran->error);
  } else if (const auto& dropped = e.helper_dropped) {
    absl::StrAppend(&s, " count=", Or0(dropped->count),
                    " queue_full=", Or0(dropped->queue_full),
                    " user_share=", Or0(dropped->user_share),
                    " nomem=", Or0(dropped->nomem),
                    " rate_limited=", Or0(dropped->rate_limited));
  } else if (const auto& lost = e.lost) {
    absl::StrAppend(&s, " count=", Or0(lost->count), " cpu=", Or0(lost->cpu));
  }
  if (e.actor) AppendProcess(&s, "actor", e.actor);
  // A user's request, or the kernel: a reader must be able to tell a
  // user's EMIT from a kernel module's event.
  if (e.origin == msg::ORIGIN_USER) absl::StrAppend(&s, " origin=user");
  if (e.origin == msg::ORIGIN_KERNEL) absl::StrAppend(&s, " origin=kernel");
  return s;
}

std::string FormatEventJson(const msg::Event& e) {
  std::string json;
  msg::AppendJson(e, &json);
  return json;
}

}  // namespace kuchan::cli
