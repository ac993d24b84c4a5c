// SPDX-License-Identifier: GPL-2.0
//
// The SIGNAL request's hot path: its attributes built without reflection.
//
// Client::Signal() is measured against a bare socket (docs/benchmarks.md) and
// must stay within 1.2x of it; encoding a SignalRequest through the
// reflection codec costs more than that margin under QEMU. So this one
// request is encoded directly, with the attribute numbers the generator
// wrote into kernel/uapi/kuchan.h from the schema (nothing is written down
// twice). signal_test.cc checks that the bytes equal EncodeAttrs()'s for
// every combination of fields, so the two cannot drift apart.
#ifndef KUCHAN_USERSPACE_KUCHAN_SIGNAL_H_
#define KUCHAN_USERSPACE_KUCHAN_SIGNAL_H_

#include <string>

#include "proto/kuchan.pb.h"

namespace kuchan {

// Appends the attributes of `req` to *out, as EncodeAttrs() would. Bounds
// are the kernel's to check (it answers with errno and extack).
void EncodeSignalRequest(const SignalRequest& req, std::string* out);

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_SIGNAL_H_
