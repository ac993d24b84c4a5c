// SPDX-License-Identifier: GPL-2.0
#include "examples/eventd_journal.h"

#include <sys/uio.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "userspace/kuchan/event_types.h"

namespace kuchan::eventd {
namespace {

// Made once with uuid4 for this purpose; fixed for good.
constexpr const char* kEventIds[] = {
    "6c67d83f5a364e2981001d8f26fbdc71",  // unknown type
    "a012866498b9404abb262214f25b87c9",  // signal_sent
    "ee068f0d5404484385aec7d326b3c7e1",  // helper_changed
    "c60868482977430cba55a010d29cd120",  // helper_ran
    "5deb199816b947c0bbe30c643f675c74",  // custom
    "d6f360f63d394fd095b0c34f68c44116",  // helper_dropped
    "d89dacfcd0334753b803e16a91b5e0ff",  // lost (the module's buffers)
};
constexpr const char* kNoticeIds[] = {
    "3cff85a2e3354e7ab51cebe5451958b4",  // daemon overrun
    "326b297bfd9045b5a893540d1620e103",  // module unloaded
    "802f1deb84b04c05971a465de3d1f869",  // module loaded again
};

void Add(std::vector<std::string>* e, absl::string_view name,
         absl::string_view value) {
  e->push_back(absl::StrCat(name, "=", value));
}

void AddProcess(std::vector<std::string>* e, absl::string_view prefix,
                const msg::Process& p) {
  if (p.pid) Add(e, absl::StrCat(prefix, "_PID"), absl::StrCat(*p.pid));
  if (p.tgid) Add(e, absl::StrCat(prefix, "_TGID"), absl::StrCat(*p.tgid));
  if (p.uid) Add(e, absl::StrCat(prefix, "_UID"), absl::StrCat(*p.uid));
  if (p.comm) Add(e, absl::StrCat(prefix, "_COMM"), *p.comm);
  if (p.start_time)
    Add(e, absl::StrCat(prefix, "_START_TIME"), absl::StrCat(*p.start_time));
}

std::string Who(const msg::Event& e) {
  if (!e.actor) return "the kernel";
  return absl::StrFormat("pid %d (%s) uid %d", e.actor->tgid.value_or(0),
                         e.actor->comm.value_or(""), e.actor->uid.value_or(0));
}

// A person's sentence for the event.
std::string Message(const msg::Event& e) {
  const uint64_t seq = e.seq.value_or(0);
  if (const auto& s = e.signal_sent) {
    const msg::Process target = s->target.value_or(msg::Process{});
    const uint32_t error = s->error.value_or(0);
    return absl::StrFormat(
        "kuchan event %d: %s sent signal %d to pid %d (%s) uid %d: %s", seq,
        Who(e), s->signal.value_or(0), target.pid.value_or(0),
        target.comm.value_or(""), target.uid.value_or(0),
        error == 0 ? "delivered" : strerror(static_cast<int>(error)));
  }
  if (const auto& c = e.custom) {
    std::string data;
    for (const msg::KeyValue& kv : c->data)
      absl::StrAppend(&data, " ", kv.key.value_or(""), "=",
                      kv.value.value_or(""));
    return absl::StrFormat("kuchan event %d: %s raised custom event %#x%s",
                           seq, Who(e), c->code.value_or(0), data);
  }
  if (const auto& h = e.helper_changed) {
    return h->helper ? absl::StrFormat(
                           "kuchan event %d: %s set the helper to %s", seq,
                           Who(e), h->helper->path.value_or(""))
                     : absl::StrFormat("kuchan event %d: %s cleared the helper",
                                       seq, Who(e));
  }
  if (const auto& l = e.lost) {
    return absl::StrFormat(
        "kuchan event %d: %d events lost: CPU %d's buffer was full", seq,
        l->count.value_or(0), l->cpu.value_or(0));
  }
  return absl::StrFormat("kuchan event %d: %s from %s", seq,
                         EventTypeName(static_cast<int>(e.type.value_or(
                             msg::EVENT_UNSPEC))),
                         Who(e));
}

// A data key as a journal field name's tail.
std::string FieldName(absl::string_view key) {
  std::string out(key);
  for (char& c : out) {
    c = absl::ascii_isalnum(static_cast<unsigned char>(c))
            ? absl::ascii_toupper(static_cast<unsigned char>(c))
            : '_';
  }
  return out;
}

}  // namespace

const char* EventMessageId(int type) {
  constexpr int n = sizeof(kEventIds) / sizeof(kEventIds[0]);
  return type > 0 && type < n ? kEventIds[type] : kEventIds[0];
}

const char* NoticeMessageId(Notice notice) {
  return kNoticeIds[static_cast<int>(notice)];
}

std::vector<std::string> EventEntry(const msg::Event& e) {
  std::vector<std::string> f;
  const int type = static_cast<int>(e.type.value_or(msg::EVENT_UNSPEC));
  const uint64_t ts = e.timestamp_ns.value_or(0);
  Add(&f, "MESSAGE", Message(e));
  Add(&f, "MESSAGE_ID", EventMessageId(type));
  // Losses are worth a look; the rest is information.
  Add(&f, "PRIORITY", absl::StrCat(e.lost ? LOG_WARNING : LOG_INFO));
  Add(&f, "KUCHAN_SEQ", absl::StrCat(e.seq.value_or(0)));
  Add(&f, "KUCHAN_EVENT", EventTypeName(type));
  Add(&f, "KUCHAN_EVENT_TYPE", absl::StrCat(type));
  Add(&f, "KUCHAN_TIME",
      absl::StrFormat("%d.%09d", ts / 1000000000, ts % 1000000000));
  if (e.origin == msg::ORIGIN_KERNEL) Add(&f, "KUCHAN_ORIGIN", "kernel");
  if (e.origin == msg::ORIGIN_USER) Add(&f, "KUCHAN_ORIGIN", "user");
  if (e.actor) AddProcess(&f, "KUCHAN_ACTOR", *e.actor);
  if (const auto& s = e.signal_sent) {
    if (s->target) AddProcess(&f, "KUCHAN_TARGET", *s->target);
    Add(&f, "KUCHAN_SIGNAL", absl::StrCat(s->signal.value_or(0)));
    Add(&f, "KUCHAN_ERROR", absl::StrCat(s->error.value_or(0)));
  }
  if (const auto& c = e.custom) {
    Add(&f, "KUCHAN_CODE", absl::StrCat(c->code.value_or(0)));
    for (const msg::KeyValue& kv : c->data)
      Add(&f, absl::StrCat("KUCHAN_DATA_", FieldName(kv.key.value_or(""))),
          kv.value.value_or(""));
  }
  if (e.helper_changed && e.helper_changed->helper) {
    const msg::HelperConfig& h = *e.helper_changed->helper;
    Add(&f, "KUCHAN_HELPER_PATH", h.path.value_or(""));
    Add(&f, "KUCHAN_HELPER_ARGC", absl::StrCat(h.args.size()));
    for (size_t i = 0; i < h.args.size(); ++i)
      Add(&f, absl::StrCat("KUCHAN_HELPER_ARG", i + 1),
          h.args[i].value.value_or(""));
    Add(&f, "KUCHAN_HELPER_EVENT_MASK", absl::StrCat(h.event_mask.value_or(0)));
  }
  if (const auto& r = e.helper_ran) {
    Add(&f, "KUCHAN_HELPER_PATH", r->path.value_or(""));
    Add(&f, "KUCHAN_FOR_SEQ", absl::StrCat(r->event_seq.value_or(0)));
    if (r->exit_status)
      Add(&f, "KUCHAN_EXIT_STATUS", absl::StrCat(*r->exit_status));
    if (r->error) Add(&f, "KUCHAN_ERROR", absl::StrCat(*r->error));
  }
  if (e.helper_dropped)
    Add(&f, "KUCHAN_COUNT", absl::StrCat(e.helper_dropped->count.value_or(0)));
  if (e.lost) {
    Add(&f, "KUCHAN_COUNT", absl::StrCat(e.lost->count.value_or(0)));
    Add(&f, "KUCHAN_CPU", absl::StrCat(e.lost->cpu.value_or(0)));
  }
  return f;
}

std::vector<std::string> NoticeEntry(Notice notice, uint64_t lost) {
  std::vector<std::string> f;
  switch (notice) {
    case Notice::kLost:
      Add(&f, "MESSAGE",
          absl::StrCat("kuchan-eventd: ", lost,
                       " events lost: the daemon read too slowly"));
      Add(&f, "PRIORITY", absl::StrCat(LOG_WARNING));
      Add(&f, "KUCHAN_COUNT", absl::StrCat(lost));
      break;
    case Notice::kModuleUnloaded:
      Add(&f, "MESSAGE", "kuchan-eventd: the kuchan module was unloaded");
      Add(&f, "PRIORITY", absl::StrCat(LOG_NOTICE));
      break;
    case Notice::kModuleLoaded:
      Add(&f, "MESSAGE", "kuchan-eventd: the kuchan module was loaded again");
      Add(&f, "PRIORITY", absl::StrCat(LOG_NOTICE));
      break;
  }
  f.insert(f.begin() + 1, absl::StrCat("MESSAGE_ID=", NoticeMessageId(notice)));
  return f;
}

absl::Status SendToJournal(const std::vector<std::string>& entry) {
  // `journalctl -t kuchan-eventd` finds them, as any syslog-style source.
  static const std::string kIdentifier = "SYSLOG_IDENTIFIER=kuchan-eventd";
  std::vector<iovec> iov;
  iov.reserve(entry.size() + 1);
  iov.push_back({const_cast<char*>(kIdentifier.data()), kIdentifier.size()});
  for (const std::string& s : entry)
    iov.push_back({const_cast<char*>(s.data()), s.size()});
  const int r = sd_journal_sendv(iov.data(), static_cast<int>(iov.size()));
  if (r < 0) return absl::ErrnoToStatus(-r, "sending to the journal");
  return absl::OkStatus();
}

}  // namespace kuchan::eventd
