// SPDX-License-Identifier: GPL-2.0
//
// kuchan's generated .pb.cc files register their descriptors on first use,
// not before main() (proto/lazy-descriptors.sh). This checks both halves in
// a fresh process, which is why it has its own main(): nothing may touch
// the descriptors before the first check.
#include <cstdio>
#include <string>

#include "absl/strings/match.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "proto/kuchan.pb.h"
#include "userspace/kuchan/attr_set.h"
#include "userspace/kuchan/genl_ctrl.pb.h"

namespace {

int failures = 0;

void Check(bool ok, const char* what) {
  std::printf("%s: %s\n", ok ? "ok" : "FAILED", what);
  if (!ok) ++failures;
}

}  // namespace

int main() {
  const google::protobuf::DescriptorPool* pool =
      google::protobuf::DescriptorPool::generated_pool();
  Check(pool->FindFileByName("kuchan.proto") == nullptr &&
            pool->FindFileByName("netlink.proto") == nullptr &&
            pool->FindFileByName("genl_ctrl.proto") == nullptr,
        "no kuchan descriptor is registered before first use");

  // Building a message and reading its fields needs no descriptor.
  kuchan::Event event;
  event.set_seq(42);
  event.mutable_custom()->set_code(7);
  std::string wire;
  Check(event.SerializeToString(&wire) && pool->FindFileByName("kuchan.proto") == nullptr,
        "messages work without their descriptors");

  // First use registers the file and what it imports.
  const google::protobuf::Descriptor* d = kuchan::Event::descriptor();
  Check(pool->FindMessageTypeByName("kuchan.Event") == d &&
            pool->FindFileByName("netlink.proto") != nullptr,
        "first use registers the file and its imports");

  // The nl.* options came with it: the codec builds its tables from them.
  Check(kuchan::AttrSet::For(d).ok(), "the codec reads the schema's options");
  Check(kuchan::AttrSet::For(kuchan::genl::CtrlFamily::descriptor()).ok(),
        "the controller's set too");

  // The JSON mapping finds the type by name through the same pool.
  std::string json;
  Check(google::protobuf::util::MessageToJsonString(event, &json).ok() &&
            absl::StrContains(json, "\"seq\":\"42\""),
        "the JSON mapping works");
  return failures == 0 ? 0 : 1;
}
