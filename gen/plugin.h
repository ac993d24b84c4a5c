// SPDX-License-Identifier: GPL-2.0
//
// What kuchan's protoc plugins share: protoc's plugin protocol around a
// function that turns one schema file into output files.
#ifndef KUCHAN_GEN_PLUGIN_H_
#define KUCHAN_GEN_PLUGIN_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "gen/kernel_gen.h"
#include "google/protobuf/descriptor.h"

namespace kuchan::gen {

// `generate` gets each file protoc names and the plugin's parameter (what
// --<name>_opt or "--<name>_out=PARAMETER:DIR" gave); its error becomes
// protoc's.
using GenerateFn = std::function<absl::StatusOr<Files>(
    const google::protobuf::FileDescriptor& file, const std::string& parameter)>;

int PluginMain(int argc, char* argv[], GenerateFn generate);

}  // namespace kuchan::gen

#endif  // KUCHAN_GEN_PLUGIN_H_
