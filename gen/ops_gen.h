// SPDX-License-Identifier: GPL-2.0
//
// Writes the call of every op of a schema file's family, over the typed
// codec (msg_gen.h) and Connection::Do() (userspace/kuchan/connection.h):
//   <base>.ops.h   namespace <package>::msg: one function per command that
//                  is not a notification, named after it (CMD_GET_STATS ->
//                  GetStats), taking the op's request set and filling its
//                  reply set as the schema's (nl.op) names them
//   <base>.ops.cc  their bodies: encode the request, send it, decode a
//                  reply, refuse a reply that breaks the schema (DataLoss)
// A file without (nl.family) gets both files with no function in them.
#ifndef KUCHAN_GEN_OPS_GEN_H_
#define KUCHAN_GEN_OPS_GEN_H_

#include "absl/status/statusor.h"
#include "gen/cpp_sets.h"
#include "gen/kernel_gen.h"
#include "google/protobuf/descriptor.h"

namespace kuchan::gen {

absl::StatusOr<Files> GenerateCppOps(const google::protobuf::FileDescriptor& file,
                                     const CppOptions& options);

}  // namespace kuchan::gen

#endif  // KUCHAN_GEN_OPS_GEN_H_
