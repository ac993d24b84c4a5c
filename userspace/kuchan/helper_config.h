// SPDX-License-Identifier: GPL-2.0
//
// The usermode helper (CMD_HELPER_SET/GET/CLEAR) with the schema's protobuf
// messages, for Client's users. See docs/helper.md. Without protobuf, the
// generated msg::HelperSet(), msg::HelperGet() and msg::HelperClear()
// (kuchan.ops.h) do the same on a Connection.
#ifndef KUCHAN_USERSPACE_KUCHAN_HELPER_CONFIG_H_
#define KUCHAN_USERSPACE_KUCHAN_HELPER_CONFIG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/kuchan.pb.h"
#include "userspace/kuchan/client.h"

namespace kuchan {

// HELPER_SET, HELPER_GET (no path when none is set), HELPER_CLEAR.
absl::Status SetHelper(Client& client, const HelperConfig& config);
absl::StatusOr<HelperConfig> GetHelper(Client& client);
absl::Status ClearHelper(Client& client);

}  // namespace kuchan

#endif  // KUCHAN_USERSPACE_KUCHAN_HELPER_CONFIG_H_
