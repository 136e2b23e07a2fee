#pragma once
// Checker: Raft's safety properties, verified incrementally as the simulated nodes persist,
// commit, apply and change role. A violation throws SimFailure naming what broke.
//
//  - Election safety: at most one leader per term (also: a node never changes its persisted vote
//    within a term, and never lowers its persisted term or commit index).
//  - Log matching: entries with the same index and term have the same payload and the same
//    previous term (so, by induction, the same prefix) on every node.
//  - State machine safety: an index committed anywhere is committed with the same entry
//    everywhere; a node never drops or overwrites an entry at or below its persisted commit index.
//  - Leader completeness: a new leader of term T holds every entry committed in earlier terms.
//  - Every node applies the same sequence: the state after applying index i (or installing a
//    snapshot at i) is the same everywhere.
//  - Learners never count for quorum: whenever a leader's commit index moves, a quorum of its
//    voters (learners excluded) durably hold the entry.
//  - ReadIndex is linearizable: a read is answered at an index >= everything committed before it
//    was asked.
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "raft/conf_change.hpp"
#include "raft/memory_storage.hpp"
#include "raft/types.hpp"

namespace cl::sim {

struct SimFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::uint64_t entry_hash(const raft::Entry& e);  // of type and payload (not term/index)
std::uint64_t chain(std::uint64_t state, std::uint64_t entry_hash);

class Checker {
 public:
  // The bootstrap entries every initial member starts with, already committed.
  explicit Checker(const std::vector<raft::Entry>& bootstrap);

  void set_tick(std::uint64_t tick) { tick_ = tick; }

  // --- durable writes of node `id` (in the order a Ready is persisted) ---
  void on_hard_state(raft::NodeId id, const raft::HardState& before, const raft::HardState& after);
  // `written` was appended; `durable_commit` is the node's persisted commit before this Ready.
  void on_append(raft::NodeId id, const std::vector<raft::Entry>& written, const raft::MemoryStorage& after,
                 raft::Index durable_commit);
  // The persisted commit moved from `from` to `to` at `term`; entries are read from storage.
  void on_commit(raft::NodeId id, raft::Index from, raft::Index to, raft::Term term,
                 const raft::MemoryStorage& st);
  void on_apply(raft::NodeId id, const raft::Entry& e, std::uint64_t state_after);
  void on_snapshot_installed(raft::NodeId id, const raft::SnapshotMeta& meta, std::uint64_t state);

  // --- in-memory state, observed after every step ---
  void on_leader(raft::NodeId id, raft::Term term, const raft::MemoryStorage& st);
  // Leader `id` moved its commit index to `commit`; holds(v) says whether voter v durably holds
  // the entry at `commit` of term `term_at_commit`.
  void on_leader_commit(raft::NodeId id, raft::Index commit, const raft::ConfState& conf,
                        const std::function<bool(raft::NodeId)>& holds);
  void on_read(raft::NodeId id, raft::Index read_index, raft::Index required);

  raft::Index max_committed() const { return committed_.size(); }
  // The term of committed entry i (i <= max_committed()); 0 if unknown.
  raft::Term committed_term(raft::Index i) const;
  std::uint64_t max_term_seen() const { return max_term_; }
  // The membership as of the highest contiguous committed index.
  const raft::ConfState& committed_conf() const { return conf_; }
  // True once some node applied an entry with this payload (payloads starting "live-" only).
  bool applied_live(const std::string& data) const { return live_applied_.count(data) != 0; }

 private:
  struct Committed {
    raft::Term term = 0;
    std::uint64_t hash = 0;
    bool known = false;
    bool applied = false;
    std::uint64_t state = 0;  // state hash after applying it (once someone did)
  };
  [[noreturn]] void fail(const std::string& what) const;
  void record_committed(raft::Index i, const raft::Entry& e, raft::Term commit_term);
  void advance_conf();

  std::uint64_t tick_ = 0;
  std::vector<Committed> committed_;                      // [i - 1]
  std::map<raft::Term, raft::Index> max_commit_by_term_;  // commit term -> highest index committed then
  std::map<raft::Term, raft::NodeId> leaders_;
  struct Slot {
    std::uint64_t hash;
    raft::Term prev_term;
  };
  std::unordered_map<std::uint64_t, Slot> slots_;  // key: index * 2^20 + term (log matching)
  raft::ConfState conf_;
  raft::Index conf_index_ = 0;  // committed_ is contiguous up to here and conf_ is as of it
  std::map<raft::Index, raft::ConfChange> conf_changes_;  // committed, beyond conf_index_
  std::uint64_t max_term_ = 0;
  std::set<std::string> live_applied_;
};

}  // namespace cl::sim
