// SPDX-License-Identifier: GPL-2.0
//
// Writes the typed codec of a schema file, without protobuf:
//   <base>.msg.h   namespace <package>::msg: each enum of the file, and one
//                  plain struct per attribute set (std::optional for
//                  singular fields, std::vector for lists, Boxed<T> for a
//                  set that nests itself), with Encode() and Decode()
//   <base>.msg.cc  their bodies: a field at a time for encoding, a switch
//                  over attribute types for decoding, every bound and
//                  presence rule of the schema spelled out
//
// The rules are the reflection codec's (userspace/kuchan/codec.h): the same
// attributes in the same order on encode, the same refusals in the same
// words on decode (both take their words from attr_check.h). msg_test.cc
// holds the two to that on valid, mutated and random input. Two things
// differ by design: an enum value the schema does not know is kept in the
// field (a struct has no unknown fields to put it in), and two members of
// one oneof set in a struct are refused on encode (a protobuf message
// cannot hold two).
#ifndef KUCHAN_GEN_MSG_GEN_H_
#define KUCHAN_GEN_MSG_GEN_H_

#include "absl/status/statusor.h"
#include "gen/cpp_sets.h"
#include "gen/kernel_gen.h"
#include "google/protobuf/descriptor.h"

namespace kuchan::gen {

absl::StatusOr<Files> GenerateCppMessages(
    const google::protobuf::FileDescriptor& file, const CppOptions& options);

}  // namespace kuchan::gen

#endif  // KUCHAN_GEN_MSG_GEN_H_
