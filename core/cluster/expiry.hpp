#pragma once
// Pin expiry: which pins the leader must unpin because their expire_at passed. Pure: the caller
// reads the wall clock, scans the pinset in batches and proposes the ops selected here.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "cid/cid.hpp"
#include "pin/command.hpp"
#include "pin/pin.hpp"

namespace cl::cluster {

// True when the pin has an expiry (expire_at_ms > 0) at or before now_ms (Unix ms).
bool is_expired(const pin::Pin& pin, std::int64_t now_ms);

struct ExpirySelection {
  // One op per expired pin, in batch order, at most the limit given; each names the pin's
  // timestamp, so a pin re-added since is not removed (pin/command.hpp).
  std::vector<pin::ExpireOp> expired;
  std::size_t next_index = 0;  // where the next call should resume in the batch
};

// The expired pins of `batch`, at most `expired_max` (>= 1) of them.
ExpirySelection select_expired(std::span<const pin::Pin> batch, std::int64_t now_ms, std::size_t expired_max);

}  // namespace cl::cluster
