// SPDX-License-Identifier: GPL-2.0
//
// protoc-gen-kuchan-cpp: a protoc plugin that writes C++ decoders for the
// attribute sets of the file it is given (gen/cpp_gen.h). Run at build
// time, beside --cpp_out:
//   protoc -Iproto --plugin=protoc-gen-kuchan-cpp=PATH
//          --kuchan-cpp_out=pb_prefix=proto/,nl_prefix=proto/:OUT
//          proto/kuchan.proto
#include <string>

#include "gen/cpp_gen.h"
#include "gen/plugin.h"

int main(int argc, char* argv[]) {
  return kuchan::gen::PluginMain(
      argc, argv,
      [](const google::protobuf::FileDescriptor& file,
         const std::string& parameter) -> absl::StatusOr<kuchan::gen::Files> {
        auto options = kuchan::gen::ParseCppOptions(parameter);
        if (!options.ok()) return options.status();
        return kuchan::gen::GenerateCppDecoders(file, *options);
      });
}
