// SPDX-License-Identifier: GPL-2.0
//
// protoc-gen-kuchan-kernel: a protoc plugin that writes the kernel UAPI
// header and genetlink tables of the family described by the file it is
// given. Run through protoc:
//   protoc -Iproto --plugin=protoc-gen-kuchan-kernel=PATH
//          --kuchan-kernel_out=kernel proto/kuchan.proto
#include <memory>
#include <string>

#include "gen/kernel_gen.h"
#include "gen/schema.h"
#include "google/protobuf/compiler/code_generator.h"
#include "google/protobuf/compiler/plugin.h"
#include "google/protobuf/io/zero_copy_stream.h"
#include "google/protobuf/io/printer.h"

namespace {

class KernelGenerator : public google::protobuf::compiler::CodeGenerator {
 public:
  bool Generate(const google::protobuf::FileDescriptor* file,
                const std::string& /*parameter*/,
                google::protobuf::compiler::GeneratorContext* context,
                std::string* error) const override {
    auto family = kuchan::schema::ReadFamily(*file);
    if (!family.ok()) {
      *error = std::string(family.status().message());
      return false;
    }
    auto files = kuchan::gen::GenerateKernel(*family);
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
  KernelGenerator generator;
  return google::protobuf::compiler::PluginMain(argc, argv, &generator);
}
