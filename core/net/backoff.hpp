#pragma once
// Backoff: the delays between reconnection attempts. Exponential from min to max, with "equal
// jitter": the n-th delay is uniform in [d/2, d] with d = min(max, min * 2^n), so that peers that
// lost each other at the same moment do not redial in lockstep. Seeded, hence deterministic.
#include "util/duration.hpp"
#include "util/rng.hpp"

namespace cl::net {

class Backoff {
 public:
  // 0 < min <= max (CL_ASSERT: the transport validates its options first).
  Backoff(util::Millis min, util::Millis max, util::Rng rng);

  // The delay before the next attempt; each call doubles the ceiling up to max.
  util::Millis next();
  // After a success: the next delay starts from min again.
  void reset() { ceiling_ = min_; }
  util::Millis ceiling() const { return ceiling_; }

 private:
  util::Millis min_, max_, ceiling_;
  util::Rng rng_;
};

}  // namespace cl::net
