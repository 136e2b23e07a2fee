#pragma once
// Inflights: the append messages sent to one follower and not yet acknowledged, as a ring of
// (last index, bytes). The leader stops sending when it is full (count or bytes) and frees entries
// as acknowledgements arrive.
#include <cstdint>
#include <vector>

#include "raft/types.hpp"

namespace cl::raft {

class Inflights {
 public:
  Inflights(std::size_t count_max, std::uint64_t bytes_max) : count_max_(count_max), bytes_max_(bytes_max) {}

  // Records a message whose last entry is `index` (increasing from call to call).
  void add(Index index, std::uint64_t bytes);
  // Frees every message whose last index is <= index.
  void free_le(Index index);
  // Frees the oldest message (its acknowledgement was probably lost).
  void free_first();
  void reset();

  bool full() const { return count_ == count_max_ || (bytes_max_ != 0 && bytes_ >= bytes_max_); }
  std::size_t count() const { return count_; }
  std::uint64_t bytes() const { return bytes_; }

 private:
  struct Slot {
    Index index;
    std::uint64_t bytes;
  };
  std::size_t count_max_;
  std::uint64_t bytes_max_;
  std::vector<Slot> ring_;  // grows up to count_max_ on demand
  std::size_t start_ = 0;
  std::size_t count_ = 0;
  std::uint64_t bytes_ = 0;
};

}  // namespace cl::raft
