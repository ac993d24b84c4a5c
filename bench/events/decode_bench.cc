// SPDX-License-Identifier: GPL-2.0
//
// Decoding one event, on the host CPU: the typed codec's Decode()
// (msg::Event, what a Subscriber hands out) and the reflection codec (the
// test oracle, into protobuf's Event) against a
// hand-written libnl parser of the same bytes (genlmsg_parse() with a
// policy, then nla_parse_nested() with a policy for each nest, and the
// values copied out), and a bare attribute walk (the floor).
//
// The event is what kuchan_test_raise sends from a hard-irq timer plus an
// actor, as the kernel builds it: seq, timestamp, type, actor {pid, tgid,
// uid, comm, start_time}, custom {code, data [{ctx, hardirq}, {n, 123}]}.
//
// Run with interleaving, so the ratios sample the same stretch of time:
//   build/bench/events/kuchan_decode_bench --benchmark_repetitions=10
//       --benchmark_enable_random_interleaving=true
//       --benchmark_report_aggregates_only=true
#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "benchmark/benchmark.h"
#include "kernel/uapi/kuchan.h"
#include "proto/kuchan.pb.h"
#include "userspace/kuchan/codec.h"
#include "userspace/kuchan/kuchan.msg.h"

namespace kuchan {
namespace {

Event SampleEvent() {
  Event e;
  e.set_seq(123456);
  e.set_timestamp_ns(1'700'000'000'123'456'789);
  e.set_type(EVENT_CUSTOM);
  Process* a = e.mutable_actor();
  a->set_pid(4242);
  a->set_tgid(4242);
  a->set_uid(1000);
  a->set_comm("kuchanctl");
  a->set_start_time(987654);
  CustomEvent* c = e.mutable_custom();
  c->set_code(0x7e57);
  KeyValue* kv = c->add_data();
  kv->set_key("ctx");
  kv->set_value("hardirq");
  kv = c->add_data();
  kv->set_key("n");
  kv->set_value("123");
  return e;
}

// The whole netlink message: nlmsghdr, genlmsghdr, attributes.
const std::string& Message() {
  static const std::string* m = [] {
    std::string attrs;
    if (!EncodeAttrs(SampleEvent(), &attrs).ok()) abort();
    auto* s = new std::string(NLMSG_HDRLEN + GENL_HDRLEN, '\0');
    nlmsghdr nlh = {};
    nlh.nlmsg_len = static_cast<uint32_t>(s->size() + attrs.size());
    nlh.nlmsg_type = 0x20;
    genlmsghdr g = {};
    g.cmd = KUCHAN_CMD_EVENT_NTF;
    g.version = 1;
    std::memcpy(s->data(), &nlh, sizeof(nlh));
    std::memcpy(s->data() + NLMSG_HDRLEN, &g, sizeof(g));
    *s += attrs;
    return s;
  }();
  return *m;
}

absl::Span<const uint8_t> Attrs() {
  const std::string& m = Message();
  return absl::Span<const uint8_t>(
      reinterpret_cast<const uint8_t*>(m.data()) + NLMSG_HDRLEN + GENL_HDRLEN,
      m.size() - NLMSG_HDRLEN - GENL_HDRLEN);
}

// The typed codec without protobuf (kuchan.msg.h), into a reused struct:
// Decode() decodes into the storage the last round left (its list, its
// strings), as a reader that keeps its struct does.
void BM_KuchanMsgDecode(benchmark::State& state) {
  msg::Event e;
  const absl::Span<const uint8_t> attrs = Attrs();
  for (auto _ : state) {
    absl::Status st = Decode(attrs, &e);
    benchmark::DoNotOptimize(st);
    benchmark::DoNotOptimize(e.seq);
  }
  if (!e.custom || e.custom->data.size() != 2) state.SkipWithError("bad decode");
}
BENCHMARK(BM_KuchanMsgDecode);

// The same into a new struct each time: the list allocated every round.
void BM_KuchanMsgDecodeFresh(benchmark::State& state) {
  const absl::Span<const uint8_t> attrs = Attrs();
  for (auto _ : state) {
    msg::Event e;
    absl::Status st = Decode(attrs, &e);
    benchmark::DoNotOptimize(st);
    benchmark::DoNotOptimize(e.seq);
  }
}
BENCHMARK(BM_KuchanMsgDecodeFresh);

void BM_KuchanDecodeAttrsReflection(benchmark::State& state) {
  Event e;
  const absl::Span<const uint8_t> attrs = Attrs();
  for (auto _ : state) {
    absl::Status st = DecodeAttrs(attrs, &e);
    benchmark::DoNotOptimize(st);
  }
  if (e.custom().data_size() != 2) state.SkipWithError("bad decode");
}
BENCHMARK(BM_KuchanDecodeAttrsReflection);

// libnl, as a careful hand-written daemon would parse the same message.
struct Parsed {
  uint64_t seq, ts;
  uint32_t type, pid, tgid, uid, code;
  uint64_t start;
  char comm[16];
  struct {
    char key[32], value[128];
  } kv[8];
  int nkv;
};

nla_policy g_event_policy[KUCHAN_A_EVENT_MAX + 1];
nla_policy g_process_policy[KUCHAN_A_PROCESS_MAX + 1];
nla_policy g_custom_policy[KUCHAN_A_CUSTOM_MAX + 1];
nla_policy g_kv_policy[KUCHAN_A_KV_MAX + 1];

void InitPolicies() {
  g_event_policy[KUCHAN_A_EVENT_SEQ].type = NLA_U64;
  g_event_policy[KUCHAN_A_EVENT_TIMESTAMP_NS].type = NLA_U64;
  g_event_policy[KUCHAN_A_EVENT_TYPE].type = NLA_U32;
  g_event_policy[KUCHAN_A_EVENT_ACTOR].type = NLA_NESTED;
  g_event_policy[KUCHAN_A_EVENT_SIGNAL_SENT].type = NLA_NESTED;
  g_event_policy[KUCHAN_A_EVENT_HELPER_CHANGED].type = NLA_NESTED;
  g_event_policy[KUCHAN_A_EVENT_HELPER_RAN].type = NLA_NESTED;
  g_event_policy[KUCHAN_A_EVENT_CUSTOM].type = NLA_NESTED;
  g_event_policy[KUCHAN_A_EVENT_HELPER_DROPPED].type = NLA_NESTED;
  g_process_policy[KUCHAN_A_PROCESS_PID].type = NLA_U32;
  g_process_policy[KUCHAN_A_PROCESS_TGID].type = NLA_U32;
  g_process_policy[KUCHAN_A_PROCESS_UID].type = NLA_U32;
  g_process_policy[KUCHAN_A_PROCESS_COMM].type = NLA_NUL_STRING;
  g_process_policy[KUCHAN_A_PROCESS_COMM].maxlen = 15;
  g_process_policy[KUCHAN_A_PROCESS_START_TIME].type = NLA_U64;
  g_custom_policy[KUCHAN_A_CUSTOM_CODE].type = NLA_U32;
  g_custom_policy[KUCHAN_A_CUSTOM_DATA].type = NLA_NESTED;
  g_kv_policy[KUCHAN_A_KV_KEY].type = NLA_NUL_STRING;
  g_kv_policy[KUCHAN_A_KV_KEY].maxlen = 31;
  g_kv_policy[KUCHAN_A_KV_VALUE].type = NLA_NUL_STRING;
  g_kv_policy[KUCHAN_A_KV_VALUE].maxlen = 127;
}

int LibnlParse(nlmsghdr* nlh, Parsed* p) {
  nlattr* tb[KUCHAN_A_EVENT_MAX + 1];
  int err = genlmsg_parse(nlh, 0, tb, KUCHAN_A_EVENT_MAX, g_event_policy);
  if (err < 0) return err;
  if (tb[KUCHAN_A_EVENT_SEQ]) p->seq = nla_get_u64(tb[KUCHAN_A_EVENT_SEQ]);
  if (tb[KUCHAN_A_EVENT_TIMESTAMP_NS])
    p->ts = nla_get_u64(tb[KUCHAN_A_EVENT_TIMESTAMP_NS]);
  if (tb[KUCHAN_A_EVENT_TYPE]) p->type = nla_get_u32(tb[KUCHAN_A_EVENT_TYPE]);
  if (tb[KUCHAN_A_EVENT_ACTOR]) {
    nlattr* pt[KUCHAN_A_PROCESS_MAX + 1];
    err = nla_parse_nested(pt, KUCHAN_A_PROCESS_MAX, tb[KUCHAN_A_EVENT_ACTOR],
                           g_process_policy);
    if (err < 0) return err;
    if (pt[KUCHAN_A_PROCESS_PID]) p->pid = nla_get_u32(pt[KUCHAN_A_PROCESS_PID]);
    if (pt[KUCHAN_A_PROCESS_TGID])
      p->tgid = nla_get_u32(pt[KUCHAN_A_PROCESS_TGID]);
    if (pt[KUCHAN_A_PROCESS_UID]) p->uid = nla_get_u32(pt[KUCHAN_A_PROCESS_UID]);
    if (pt[KUCHAN_A_PROCESS_COMM])
      nla_strlcpy(p->comm, pt[KUCHAN_A_PROCESS_COMM], sizeof(p->comm));
    if (pt[KUCHAN_A_PROCESS_START_TIME])
      p->start = nla_get_u64(pt[KUCHAN_A_PROCESS_START_TIME]);
  }
  if (tb[KUCHAN_A_EVENT_CUSTOM]) {
    nlattr* ct[KUCHAN_A_CUSTOM_MAX + 1];
    err = nla_parse_nested(ct, KUCHAN_A_CUSTOM_MAX, tb[KUCHAN_A_EVENT_CUSTOM],
                           g_custom_policy);
    if (err < 0) return err;
    if (ct[KUCHAN_A_CUSTOM_CODE]) p->code = nla_get_u32(ct[KUCHAN_A_CUSTOM_CODE]);
    p->nkv = 0;
    // The pairs: a multi-attr, which tb[] keeps only the last of.
    nlattr* member;
    int rem;
    nla_for_each_nested(member, tb[KUCHAN_A_EVENT_CUSTOM], rem) {
      if (nla_type(member) != KUCHAN_A_CUSTOM_DATA) continue;
      if (p->nkv == 8) return -NLE_RANGE;
      nlattr* kt[KUCHAN_A_KV_MAX + 1];
      err = nla_parse_nested(kt, KUCHAN_A_KV_MAX, member, g_kv_policy);
      if (err < 0) return err;
      if (kt[KUCHAN_A_KV_KEY])
        nla_strlcpy(p->kv[p->nkv].key, kt[KUCHAN_A_KV_KEY], 32);
      if (kt[KUCHAN_A_KV_VALUE])
        nla_strlcpy(p->kv[p->nkv].value, kt[KUCHAN_A_KV_VALUE], 128);
      p->nkv++;
    }
  }
  return 0;
}

void BM_LibnlGenlmsgParsePolicy(benchmark::State& state) {
  InitPolicies();
  std::string copy = Message();  // libnl wants a mutable header pointer
  nlmsghdr* nlh = reinterpret_cast<nlmsghdr*>(copy.data());
  Parsed p = {};
  for (auto _ : state) {
    int err = LibnlParse(nlh, &p);
    benchmark::DoNotOptimize(err);
    benchmark::DoNotOptimize(p);
  }
  if (p.nkv != 2 || p.seq != 123456) state.SkipWithError("bad parse");
}
BENCHMARK(BM_LibnlGenlmsgParsePolicy);

// The floor: walk the top-level attributes and read the sequence number.
void BM_HandWalkSeqOnly(benchmark::State& state) {
  const absl::Span<const uint8_t> attrs = Attrs();
  uint64_t seq = 0;
  for (auto _ : state) {
    size_t off = 0;
    while (off + 4 <= attrs.size()) {
      uint16_t len, type;
      std::memcpy(&len, attrs.data() + off, 2);
      std::memcpy(&type, attrs.data() + off + 2, 2);
      if (len < 4 || off + len > attrs.size()) break;
      if ((type & NLA_TYPE_MASK) == KUCHAN_A_EVENT_SEQ && len == 12) {
        std::memcpy(&seq, attrs.data() + off + 4, 8);
      }
      off += NLA_ALIGN(len);
    }
    benchmark::DoNotOptimize(seq);
  }
}
BENCHMARK(BM_HandWalkSeqOnly);

}  // namespace
}  // namespace kuchan

BENCHMARK_MAIN();
