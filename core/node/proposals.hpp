#pragma once
// Proposals: callbacks waiting for proposed entries to be applied. A proposal (term, index) succeeds
// when the entry applied at index has that term; it fails when another entry lands there (a leader
// change overwrote it), when it times out, or when the node stops. Bounded by pending_max.
#include <chrono>
#include <functional>
#include <map>

#include "raft/raft.hpp"
#include "util/clock.hpp"
#include "util/status.hpp"

namespace cl::node {

class Proposals {
 public:
  using Done = std::function<void(util::Status)>;
  explicit Proposals(std::size_t pending_max = 1 << 20) : pending_max_(pending_max) {}

  bool full() const { return pending_.size() >= pending_max_; }
  std::size_t size() const { return pending_.size(); }
  void add(raft::EntryId id, util::Nanos deadline, Done done);
  // Entry (term, index) was applied: resolve what waits at index (and anything older, which can
  // no longer succeed).
  void applied(raft::Term term, raft::Index index);
  // A snapshot covering up to index was installed: proposals at or below it cannot be told apart.
  void snapshot_installed(raft::Index index);
  // Fail those past their deadline.
  void expire(util::Nanos now);
  void fail_all(const util::Status& status);

 private:
  struct Pending {
    raft::Term term;
    util::Nanos deadline;
    Done done;
  };
  std::size_t pending_max_;
  std::multimap<raft::Index, Pending> pending_;
};

}  // namespace cl::node
