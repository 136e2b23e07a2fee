#include "cluster/expiry.hpp"

#include "util/assert.hpp"

namespace cl::cluster {

bool is_expired(const pin::Pin& pin, std::int64_t now_ms) {
  return pin.expire_at_ms > 0 && pin.expire_at_ms <= now_ms;
}

ExpirySelection select_expired(std::span<const pin::Pin> batch, std::int64_t now_ms,
                               std::size_t expired_max) {
  CL_ASSERT(expired_max >= 1, "select_expired needs room for one pin");
  ExpirySelection out;
  std::size_t i = 0;
  for (; i < batch.size() && out.expired.size() < expired_max; ++i) {
    if (is_expired(batch[i], now_ms)) out.expired.push_back({batch[i].cid, batch[i].timestamp_ms});
  }
  out.next_index = i;
  return out;
}

}  // namespace cl::cluster
