// SPDX-License-Identifier: GPL-2.0
#include "gen/plugin.h"

#include <memory>
#include <utility>

#include "google/protobuf/compiler/code_generator.h"
#include "google/protobuf/compiler/plugin.h"
#include "google/protobuf/io/printer.h"
#include "google/protobuf/io/zero_copy_stream.h"

namespace kuchan::gen {
namespace {

class Generator : public google::protobuf::compiler::CodeGenerator {
 public:
  explicit Generator(GenerateFn generate) : generate_(std::move(generate)) {}

  bool Generate(const google::protobuf::FileDescriptor* file,
                const std::string& parameter,
                google::protobuf::compiler::GeneratorContext* context,
                std::string* error) const override {
    absl::StatusOr<Files> files = generate_(*file, parameter);
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

 private:
  GenerateFn generate_;
};

}  // namespace

int PluginMain(int argc, char* argv[], GenerateFn generate) {
  Generator generator(std::move(generate));
  return google::protobuf::compiler::PluginMain(argc, argv, &generator);
}

}  // namespace kuchan::gen
