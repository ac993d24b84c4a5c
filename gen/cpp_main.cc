// SPDX-License-Identifier: GPL-2.0
//
// protoc-gen-kuchan-cpp: a protoc plugin that writes, for the attribute
// sets of the file it is given, the protobuf messages' fast decoders
// (gen/cpp_gen.h), the typed codec without protobuf (gen/msg_gen.h) and
// the call of every op over it (gen/ops_gen.h).
// Run at build time, beside --cpp_out:
//   protoc -Iproto --plugin=protoc-gen-kuchan-cpp=PATH
//          --kuchan-cpp_out=pb_prefix=proto/,nl_prefix=proto/:OUT
//          proto/kuchan.proto
#include <string>

#include "gen/cpp_gen.h"
#include "gen/msg_gen.h"
#include "gen/ops_gen.h"
#include "gen/plugin.h"

int main(int argc, char* argv[]) {
  return kuchan::gen::PluginMain(
      argc, argv,
      [](const google::protobuf::FileDescriptor& file,
         const std::string& parameter) -> absl::StatusOr<kuchan::gen::Files> {
        auto options = kuchan::gen::ParseCppOptions(parameter);
        if (!options.ok()) return options.status();
        auto decoders = kuchan::gen::GenerateCppDecoders(file, *options);
        if (!decoders.ok()) return decoders.status();
        auto messages = kuchan::gen::GenerateCppMessages(file, *options);
        if (!messages.ok()) return messages.status();
        decoders->insert(messages->begin(), messages->end());
        auto ops = kuchan::gen::GenerateCppOps(file, *options);
        if (!ops.ok()) return ops.status();
        decoders->insert(ops->begin(), ops->end());
        return decoders;
      });
}
