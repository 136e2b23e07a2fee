#include "raft/inflights.hpp"

#include <algorithm>

#include "util/assert.hpp"

namespace cl::raft {

void Inflights::add(Index index, std::uint64_t bytes) {
  CL_ASSERT(count_ < count_max_, "inflights overflow");
  if (ring_.size() < count_max_ && count_ == ring_.size()) {
    // Grow: unroll the ring so that it starts at 0, then append.
    std::vector<Slot> grown;
    grown.reserve(std::min(count_max_, ring_.size() * 2 + 4));
    for (std::size_t i = 0; i < count_; ++i) grown.push_back(ring_[(start_ + i) % ring_.size()]);
    grown.resize(grown.capacity());
    ring_ = std::move(grown);
    start_ = 0;
  }
  ring_[(start_ + count_) % ring_.size()] = Slot{index, bytes};
  ++count_;
  bytes_ += bytes;
}

void Inflights::free_le(Index index) {
  while (count_ > 0 && ring_[start_].index <= index) {
    bytes_ -= ring_[start_].bytes;
    start_ = (start_ + 1) % ring_.size();
    --count_;
  }
  if (count_ == 0) start_ = 0;
}

void Inflights::free_first() {
  if (count_ == 0) return;
  free_le(ring_[start_].index);
}

void Inflights::reset() {
  start_ = 0;
  count_ = 0;
  bytes_ = 0;
}

}  // namespace cl::raft
