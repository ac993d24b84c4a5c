// SPDX-License-Identifier: GPL-2.0
//
// protoc-gen-kuchan-cpp: a protoc plugin that writes, for the attribute
// sets of the file it is given, the typed codec (gen/msg_gen.h: a struct
// per set, its Encode(), Decode(), extended-ACK namer and JSON) and the
// call of every op over it (gen/ops_gen.h). Run at build time:
//   protoc -Iproto --plugin=protoc-gen-kuchan-cpp=PATH
//          --kuchan-cpp_out=prefix=userspace/kuchan/:OUT proto/kuchan.proto
#include <string>

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
        auto messages = kuchan::gen::GenerateCppMessages(file, *options);
        if (!messages.ok()) return messages.status();
        auto ops = kuchan::gen::GenerateCppOps(file, *options);
        if (!ops.ok()) return ops.status();
        messages->insert(ops->begin(), ops->end());
        return messages;
      });
}
