// SPDX-License-Identifier: GPL-2.0
//
// protoc-gen-kuchan-cpp: a protoc plugin that writes C++ decoders for the
// attribute sets of the file it is given (gen/cpp_gen.h). Run at build
// time, beside --cpp_out:
//   protoc -Iproto --plugin=protoc-gen-kuchan-cpp=PATH
//          --kuchan-cpp_out=pb_prefix=proto/,nl_prefix=proto/:OUT
//          proto/kuchan.proto
#include <memory>
#include <string>

#include "gen/cpp_gen.h"
#include "google/protobuf/compiler/code_generator.h"
#include "google/protobuf/compiler/plugin.h"
#include "google/protobuf/io/printer.h"
#include "google/protobuf/io/zero_copy_stream.h"

namespace {

class CppDecoderGenerator : public google::protobuf::compiler::CodeGenerator {
 public:
  bool Generate(const google::protobuf::FileDescriptor* file,
                const std::string& parameter,
                google::protobuf::compiler::GeneratorContext* context,
                std::string* error) const override {
    auto options = kuchan::gen::ParseCppOptions(parameter);
    if (!options.ok()) {
      *error = std::string(options.status().message());
      return false;
    }
    auto files = kuchan::gen::GenerateCppDecoders(*file, *options);
    if (!files.ok()) {
      *error = std::string(files.status().message());
      return false;
    }
    for (const auto& [name, text] : *files) {
      std::unique_ptr<google::protobuf::io::ZeroCopyOutputStream> out(
          context->Open(name));
      google::protobuf::io::Printer printer(out.get(), '$');
      printer.PrintRaw(text);
    }
    return true;
  }
};

}  // namespace

int main(int argc, char* argv[]) {
  CppDecoderGenerator generator;
  return google::protobuf::compiler::PluginMain(argc, argv, &generator);
}
