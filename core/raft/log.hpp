#pragma once
// Log: the Raft log as the core sees it — what Storage holds plus the Unstable tail — with the
// commit and apply cursors. Reads go to the unstable tail first, then to Storage. Storage errors
// other than Code::not_found for an in-range read are treated as fatal (CL_ASSERT): the core
// cannot make progress on a log it cannot read.
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "raft/storage.hpp"
#include "raft/unstable.hpp"
#include "util/result.hpp"

namespace cl::raft {

// The size an entry counts for in byte limits (batches, Ready, uncommitted): payload + 24, the
// same measure core/store uses.
inline std::uint64_t entry_size_bytes(const Entry& e) {
  return e.data.size() + 24;
}

class Log {
 public:
  // Starts with everything in `storage` stable, commit from `commit`, applied from `applied`.
  Log(const Storage& storage, Index commit, Index applied);

  Index first_index() const;
  Index last_index() const;
  // Term of entry i; Code::not_found when i is compacted (< first_index() - 1) or > last_index().
  util::Result<Term> term(Index i) const;
  Term term_or_zero(Index i) const;  // 0 where term() fails
  Term last_term() const { return term_or_zero(last_index()); }
  bool match_term(Index i, Term t) const;
  // True when a candidate whose last entry is (index, term) is at least as up to date (5.4.1).
  bool is_up_to_date(Index index, Term term) const;

  // Follower side of append: when the log has (prev_index, prev_term), appends what is new in
  // `entries` (truncating a conflicting suffix), advances commit to min(commit, last new index)
  // and returns that last new index. nullopt when the consistency check fails.
  std::optional<Index> maybe_append(Index prev_index, Term prev_term, Index commit,
                                    std::vector<Entry>&& entries, bool planted_no_truncate);
  // Leader side: appends one entry at last_index() + 1.
  void append(Entry&& entry);
  // The index of the first entry that is not in the log with the same term; 0 when all are.
  Index find_conflict(const std::vector<Entry>& entries) const;
  // The last index <= index whose term is <= term, and that term (fast backtracking).
  std::pair<Index, Term> find_conflict_by_term(Index index, Term term) const;

  // Entries [lo, min(hi, last+1)) limited to bytes_max (at least one) and count_max. Code::not_found
  // when lo is compacted.
  util::Result<std::vector<Entry>> slice(Index lo, Index hi, std::uint64_t bytes_max,
                                         std::uint64_t count_max = UINT64_MAX) const;

  Index committed() const { return committed_; }
  Index applied() const { return applied_; }
  Index applying() const { return applying_; }
  // Advances commit to max_index if that entry has `term` (or unconditionally for the planted
  // commit_prev_term bug). True when commit moved.
  bool maybe_commit(Index max_index, Term term, bool planted_any_term);
  void commit_to(Index index);  // never moves backwards; index must be <= last_index()
  void applied_to(Index index);

  // Committed entries not yet handed out for applying, at most bytes_max (at least one).
  bool has_next_committed() const;
  std::vector<Entry> next_committed(std::uint64_t bytes_max);  // moves applying()

  // Persistence feedback and snapshots.
  const Unstable& unstable() const { return unstable_; }
  void stable_to(const std::vector<TermRun>& handed) { unstable_.stable_to(handed); }
  void stable_snap_to(const SnapshotMeta& meta) { unstable_.stable_snap_to(meta); }
  void restore(const SnapshotMeta& meta);
  // The highest index known persisted and part of this log (everything before the unstable tail).
  Index stable_last_index() const;

 private:
  const Storage& storage_;
  Unstable unstable_;
  Index committed_;
  Index applying_;  // handed out in a Ready, not yet advanced
  Index applied_;
};

}  // namespace cl::raft
