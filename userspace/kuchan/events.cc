// SPDX-License-Identifier: GPL-2.0
#include "userspace/kuchan/events.h"

#include "userspace/kuchan/status_macros.h"

namespace kuchan {

absl::Status Emit(Client& client, uint32_t code,
                  const std::vector<std::pair<std::string, std::string>>& data) {
  CustomEvent request;
  request.set_code(code);
  for (const auto& [key, value] : data) {
    KeyValue* kv = request.add_data();
    kv->set_key(key);
    kv->set_value(value);
  }
  return client.Do(CMD_EMIT, &request, nullptr);
}

absl::StatusOr<Stats> GetStats(Client& client) {
  Stats stats;
  RETURN_IF_ERROR(client.Do(CMD_GET_STATS, nullptr, &stats));
  return stats;
}

}  // namespace kuchan
