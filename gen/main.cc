// SPDX-License-Identifier: GPL-2.0
//
// protoc-gen-kuchan-kernel: a protoc plugin that writes the kernel UAPI
// header and genetlink tables of the family described by the file it is
// given, and its YNL spec (<family>.yaml, for the kernel's netlink tools).
// Run through protoc:
//   protoc -Iproto --plugin=protoc-gen-kuchan-kernel=PATH
//          --kuchan-kernel_out=kernel proto/kuchan.proto
#include <string>

#include "gen/kernel_gen.h"
#include "gen/plugin.h"
#include "gen/schema.h"
#include "gen/ynl_gen.h"

int main(int argc, char* argv[]) {
  return kuchan::gen::PluginMain(
      argc, argv,
      [](const google::protobuf::FileDescriptor& file,
         const std::string& /*parameter*/) -> absl::StatusOr<kuchan::gen::Files> {
        auto family = kuchan::schema::ReadFamily(file);
        if (!family.ok()) return family.status();
        auto files = kuchan::gen::GenerateKernel(*family);
        if (!files.ok()) return files.status();
        auto ynl = kuchan::gen::GenerateYnl(*family);
        if (!ynl.ok()) return ynl.status();
        (*files)[family->options.name() + ".yaml"] = *ynl;
        return files;
      });
}
