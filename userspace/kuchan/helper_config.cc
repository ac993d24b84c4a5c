// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/helper_config.h"

#include "userspace/kuchan/status_macros.h"

namespace kuchan {

absl::Status SetHelper(Client& client, const HelperConfig& config) {
  return client.Do(CMD_HELPER_SET, &config, nullptr);
}

absl::StatusOr<HelperConfig> GetHelper(Client& client) {
  HelperConfig config;
  RETURN_IF_ERROR(client.Do(CMD_HELPER_GET, nullptr, &config));
  return config;
}

absl::Status ClearHelper(Client& client) {
  return client.Do(CMD_HELPER_CLEAR, nullptr, nullptr);
}

}  // namespace kuchan
