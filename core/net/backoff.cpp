#include "net/backoff.hpp"

#include <algorithm>

#include "util/assert.hpp"

namespace cl::net {

Backoff::Backoff(util::Millis min, util::Millis max, util::Rng rng)
    : min_(min), max_(max), ceiling_(min), rng_(rng) {
  CL_ASSERT(min.count() > 0 && min <= max, "backoff needs 0 < min <= max");
}

util::Millis Backoff::next() {
  const std::int64_t d = ceiling_.count();
  const util::Millis delay{rng_.between((d + 1) / 2, d)};
  ceiling_ = std::min(max_, ceiling_ * 2);
  return delay;
}

}  // namespace cl::net
