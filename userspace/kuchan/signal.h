// SPDX-License-Identifier: GPL-2.0
//
// The SIGNAL command without protobuf: its request and per-target results as
// plain structs, the request's encoder, the reply's decoder, and the name
// of the request attribute an extended ACK points at.
//
// Why by hand. `kuchanctl signal` is measured as a whole process against
// kill(1), and any program that links protobuf's full runtime pays about
// 0.65 M instructions before main() while libprotobuf registers its own
// descriptors (docs/benchmarks.md). So the signal path (this file,
// Connection, and kuchanctl's signal command, which the `kuchanctl`
// executable runs itself) uses no protobuf type; Client::Signal() is the
// same path behind the schema's messages. Nothing is written down twice:
// the attribute numbers come from kernel/uapi/kuchan.h, which the generator
// wrote from the schema, and signal_test.cc holds the encoder, the decoder
// and the namer to the schema codec's results (every field combination,
// mutated replies, every byte of a request).
#ifndef KUCHAN_USERSPACE_KUCHAN_SIGNAL_H_
#define KUCHAN_USERSPACE_KUCHAN_SIGNAL_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace kuchan {

// kuchan.SignalTarget, kuchan.SignalRequest and kuchan.SignalResult
// (proto/kuchan.proto says what each field means).
struct SignalTargetSpec {
  std::optional<int32_t> pid;
  std::optional<uint64_t> start_time;
};

struct SignalSpec {
  std::vector<SignalTargetSpec> targets;
  std::optional<uint32_t> signal;
  // Sent from this process, not by the module: see Connection::Signal().
  std::optional<int32_t> value;
};

struct SignalOutcome {
  int32_t pid = 0;
  uint32_t error = 0;  // 0: sent; else the errno kill(2) would have given
};

// Appends the attributes of `spec` to *out, as EncodeAttrs() would encode
// the equivalent SignalRequest. Bounds are the kernel's to check (it
// answers with errno and extack).
void EncodeSignal(const SignalSpec& spec, std::string* out);

// Decodes the attributes of a SIGNAL reply (kuchan.SignalRequest's
// results, the one attribute of its set a reply carries) into *results,
// replacing what was there. Other attribute types are skipped; what the
// schema codec refuses in results is refused (DataLoss).
absl::Status DecodeSignalReply(absl::Span<const uint8_t> attrs,
                               std::vector<SignalOutcome>* results);

// What DescribeAttrAt(SignalRequest::descriptor(), attrs, offset) says:
// "kuchan.SignalRequest.targets[1].pid".
std::string DescribeSignalAttr(absl::Span<const uint8_t> attrs, size_t offset);

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_SIGNAL_H_
