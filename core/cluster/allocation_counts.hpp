#pragma once
// AllocationCounts: how many pins of the pinset are allocated to each peer, kept current from the
// pin changes each applied entry makes (before and after versions), so the leader's quota check
// (max_pins) sees allocations at once instead of a metrics_interval later. A pin on every peer
// (rmin -1) counts for every peer. Plain values, deterministic; memory: one counter per peer named
// by some allocation (peers are bounded by the cluster's size plus removed ones still named).
//
// The counts start empty and are built by a pass over the pinset in key order (the caller's, a page
// at a time: count() each pin read, then advance_to(key)). While the pass runs, a change to a pin
// whose key the pass already read is applied (change()); a change to one it has not reached yet is
// ignored, because the pass will read the new version.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "pin/pin.hpp"

namespace cl::cluster {

class AllocationCounts {
 public:
  // Forget everything and start a new pass (at start-up, after a snapshot or an import --replace).
  void restart();
  // The pass read `pin`, whose row key is `key` (key order, increasing).
  void count(std::string_view key, const pin::Pin& pin);
  // The pass read everything up to `key` (rows that did not decode included).
  void advance_to(std::string_view key);
  // The pass reached the end of the pinset: from now on every change applies.
  void finish();
  bool ready() const { return ready_; }

  // The pin with row key `key` changed from `before` to `after` (nullopt: absent).
  void change(std::string_view key, const std::optional<pin::Pin>& before,
              const std::optional<pin::Pin>& after);

  // Pins allocated to `peer_id`, those on every peer included. Meaningful once ready().
  std::uint64_t allocated(const std::string& peer_id) const;

 private:
  void add(const pin::Pin& pin, std::int64_t sign);

  std::map<std::string, std::uint64_t, std::less<>> by_peer_;
  std::uint64_t everywhere_ = 0;
  std::string counted_to_;  // the pass read every key <= counted_to_ (empty: none yet)
  bool started_ = false;
  bool ready_ = false;
};

}  // namespace cl::cluster
