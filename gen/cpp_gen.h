// SPDX-License-Identifier: GPL-2.0
//
// Writes C++ decoders for the attribute sets of a schema file:
//   <base>.nl.h    one kuchan::nlgen::Decode() overload per (nl.set) message
//   <base>.nl.cc   their bodies: a switch over attribute types per set, with
//                  each field's size, bounds and presence rules spelled out
//                  and the message's generated setters called directly
//
// Why generate: the reflection codec (userspace/kuchan/codec.cc) goes
// through protobuf's Reflection for every field, which made decoding an
// event 1.8x libnl's genlmsg_parse(); the bound is 1.5x.
//
// The generated decoders answer only "decoded" or "not decoded": they stop
// at the first thing they cannot vouch for (a malformed stream, a bound
// broken, an enum value the schema does not know) and the caller runs the
// reflection codec on the same bytes, which is the reference: it writes the
// error message, and keeps unknown enum values as unknown fields. A
// differential test holds the two to the same results.
#ifndef KUCHAN_GEN_CPP_GEN_H_
#define KUCHAN_GEN_CPP_GEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "gen/kernel_gen.h"
#include "google/protobuf/descriptor.h"

namespace kuchan::gen {

struct CppOptions {
  // How the generated files spell the includes of the file's .pb.h and of
  // their own .nl.h: "proto/" gives "proto/kuchan.pb.h".
  std::string pb_prefix;
  std::string nl_prefix;
  // Skip messages whose (nl.set) the schema rules refuse (test schemas hold
  // such sets on purpose) instead of failing.
  bool skip_invalid = false;
};

// Parses the plugin parameter: "pb_prefix=proto/,nl_prefix=x/,skip_invalid".
absl::StatusOr<CppOptions> ParseCppOptions(const std::string& parameter);

absl::StatusOr<Files> GenerateCppDecoders(
    const google::protobuf::FileDescriptor& file, const CppOptions& options);

}  // namespace kuchan::gen

#endif  // KUCHAN_GEN_CPP_GEN_H_
