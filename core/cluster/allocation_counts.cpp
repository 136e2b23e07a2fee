#include "cluster/allocation_counts.hpp"

namespace cl::cluster {

void AllocationCounts::restart() {
  by_peer_.clear();
  everywhere_ = 0;
  counted_to_.clear();
  started_ = false;
  ready_ = false;
}

void AllocationCounts::add(const pin::Pin& pin, std::int64_t sign) {
  if (pin.everywhere()) {
    everywhere_ = sign > 0 ? everywhere_ + 1 : (everywhere_ > 0 ? everywhere_ - 1 : 0);
    return;
  }
  for (const auto& id : pin.allocations) {
    auto& n = by_peer_[id];
    n = sign > 0 ? n + 1 : (n > 0 ? n - 1 : 0);
    if (n == 0) by_peer_.erase(id);
  }
}

void AllocationCounts::count(std::string_view key, const pin::Pin& pin) {
  add(pin, +1);
  advance_to(key);
}

void AllocationCounts::advance_to(std::string_view key) {
  started_ = true;
  if (key > counted_to_) counted_to_ = std::string(key);
}

void AllocationCounts::finish() {
  ready_ = true;
}

void AllocationCounts::change(std::string_view key, const std::optional<pin::Pin>& before,
                              const std::optional<pin::Pin>& after) {
  if (!ready_ && (!started_ || key > counted_to_)) return;  // the pass has not read it yet
  if (before) add(*before, -1);
  if (after) add(*after, +1);
}

std::uint64_t AllocationCounts::allocated(const std::string& peer_id) const {
  auto it = by_peer_.find(peer_id);
  return everywhere_ + (it != by_peer_.end() ? it->second : 0);
}

}  // namespace cl::cluster
