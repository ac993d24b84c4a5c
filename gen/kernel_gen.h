// SPDX-License-Identifier: GPL-2.0
//
// Writes the kernel side of a family from its schema:
//   uapi/<prefix>.h       what user space includes: names, enums, and a
//                         comment that draws every command's attribute tree
//   <prefix>-nl-gen.h     the module's view: group indices, handler
//                         prototypes, the family
//   <prefix>-nl-gen.c     per-op policies, ops, groups, the family struct
// Only declarations and tables: the handlers are written by hand elsewhere.
#ifndef KUCHAN_GEN_KERNEL_GEN_H_
#define KUCHAN_GEN_KERNEL_GEN_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "gen/schema.h"

namespace kuchan::gen {

// File name (relative to the output directory) -> contents.
using Files = std::map<std::string, std::string>;

absl::StatusOr<Files> GenerateKernel(const schema::Family& family);

}  // namespace kuchan::gen

#endif  // KUCHAN_GEN_KERNEL_GEN_H_
