#pragma once
// Tracker: the membership as the core currently applies it, the leader's Progress of every member,
// and the votes of an election. Quorum is a majority of voters (voters / 2 + 1); learners never
// count for it.
#include <cstdint>
#include <map>
#include <vector>

#include "raft/progress.hpp"
#include "raft/types.hpp"

namespace cl::raft {

enum class VoteResult : std::uint8_t { pending, won, lost };

class Tracker {
 public:
  Tracker(std::size_t inflight_msgs_max, std::uint64_t inflight_bytes_max)
      : inflight_msgs_max_(inflight_msgs_max), inflight_bytes_max_(inflight_bytes_max) {}

  const ConfState& conf() const { return conf_; }
  bool is_voter(NodeId id) const;
  bool is_learner(NodeId id) const;
  std::size_t quorum() const { return conf_.voters.size() / 2 + 1; }

  // Installs a membership. Members that stay keep their Progress; new ones start at `next`.
  void set_conf(const ConfState& conf, Index next);
  // Resets every member's Progress for a new leader term (match 0, next = `next`, probe).
  void reset_progress(Index next);

  Progress* progress(NodeId id);
  const Progress* progress(NodeId id) const;
  std::map<NodeId, Progress>& all() { return progress_; }
  const std::map<NodeId, Progress>& all() const { return progress_; }

  // The highest index that a quorum of voters has matched. With the planted learner_quorum bug,
  // learners' matches are counted too.
  Index committed_index(bool planted_learner_quorum) const;
  // The highest ReadIndex round that a quorum of voters has echoed (`self_round` for this node).
  std::uint64_t confirmed_read_round(NodeId self, std::uint64_t self_round) const;
  // True when a quorum of voters was recently active (self counts as active).
  bool quorum_active(NodeId self) const;

  void reset_votes() { votes_.clear(); }
  void record_vote(NodeId id, bool granted);
  VoteResult tally() const;
  std::size_t granted_count() const;

 private:
  std::size_t inflight_msgs_max_;
  std::uint64_t inflight_bytes_max_;
  ConfState conf_;
  std::map<NodeId, Progress> progress_;
  std::map<NodeId, bool> votes_;
};

}  // namespace cl::raft
