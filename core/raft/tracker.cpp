#include "raft/tracker.hpp"

#include <algorithm>
#include <array>

#include "raft/conf_change.hpp"

namespace cl::raft {

namespace {
// The k-th largest (1-based) of values; values is modified.
template <class V>
typename V::value_type kth_largest(V& values, std::size_t k) {
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k - 1), values.end(),
                   std::greater<>());
  return values[k - 1];
}
}  // namespace

bool Tracker::is_voter(NodeId id) const {
  return raft::is_voter(conf_, id);
}
bool Tracker::is_learner(NodeId id) const {
  return raft::is_learner(conf_, id);
}

void Tracker::set_conf(const ConfState& conf, Index next) {
  conf_ = conf;
  std::map<NodeId, Progress> kept;
  auto adopt = [&](NodeId id, bool learner) {
    auto it = progress_.find(id);
    if (it != progress_.end()) {
      it->second.learner = learner;
      kept.emplace(id, std::move(it->second));
    } else {
      Progress pr(next, inflight_msgs_max_, inflight_bytes_max_, learner);
      pr.recent_active = true;  // a new member gets a grace period before check-quorum counts it
      kept.emplace(id, std::move(pr));
    }
  };
  for (NodeId id : conf.voters) adopt(id, false);
  for (NodeId id : conf.learners) adopt(id, true);
  progress_ = std::move(kept);
}

void Tracker::reset_progress(Index next) {
  for (auto& [id, pr] : progress_) {
    Progress fresh(next, inflight_msgs_max_, inflight_bytes_max_, pr.learner);
    pr = std::move(fresh);
  }
}

Progress* Tracker::progress(NodeId id) {
  auto it = progress_.find(id);
  return it == progress_.end() ? nullptr : &it->second;
}

const Progress* Tracker::progress(NodeId id) const {
  auto it = progress_.find(id);
  return it == progress_.end() ? nullptr : &it->second;
}

Index Tracker::committed_index(bool planted_learner_quorum) const {
  if (conf_.voters.empty()) return 0;
  // Called on every acknowledgement: avoid the heap for the usual handful of voters.
  std::array<Index, 16> small;
  std::vector<Index> large;
  const std::size_t n = conf_.voters.size() + (planted_learner_quorum ? conf_.learners.size() : 0);
  Index* matches = small.data();
  if (n > small.size()) {
    large.resize(n);
    matches = large.data();
  }
  std::size_t k = 0;
  for (NodeId id : conf_.voters) matches[k++] = progress_.at(id).match;
  // PLANTED BUG learner_quorum: learners' acknowledgements count towards the quorum.
  if (planted_learner_quorum)
    for (NodeId id : conf_.learners) matches[k++] = progress_.at(id).match;
  std::nth_element(matches, matches + (quorum() - 1), matches + n, std::greater<>());
  return matches[quorum() - 1];
}

std::uint64_t Tracker::confirmed_read_round(NodeId self, std::uint64_t self_round) const {
  if (conf_.voters.empty()) return 0;
  std::vector<std::uint64_t> rounds;
  rounds.reserve(conf_.voters.size());
  for (NodeId id : conf_.voters)
    rounds.push_back(id == self ? self_round : progress_.at(id).read_round_acked);
  return kth_largest(rounds, quorum());
}

bool Tracker::quorum_active(NodeId self) const {
  std::size_t active = 0;
  for (NodeId id : conf_.voters)
    if (id == self || progress_.at(id).recent_active) ++active;
  return active >= quorum();
}

void Tracker::record_vote(NodeId id, bool granted) {
  votes_.emplace(id, granted);
}

std::size_t Tracker::granted_count() const {
  std::size_t n = 0;
  for (NodeId id : conf_.voters) {
    auto it = votes_.find(id);
    if (it != votes_.end() && it->second) ++n;
  }
  return n;
}

VoteResult Tracker::tally() const {
  std::size_t granted = 0, rejected = 0;
  for (NodeId id : conf_.voters) {
    auto it = votes_.find(id);
    if (it == votes_.end()) continue;
    (it->second ? granted : rejected)++;
  }
  if (granted >= quorum()) return VoteResult::won;
  if (conf_.voters.size() - rejected < quorum()) return VoteResult::lost;
  return VoteResult::pending;
}

}  // namespace cl::raft
