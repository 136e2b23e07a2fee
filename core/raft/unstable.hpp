#pragma once
// Unstable: the part of the Raft log not yet persisted — entries appended since the last Ready
// was handled, and possibly a received snapshot waiting to be installed. Entries are kept by value
// and moved in; the Ready hands out copies.
#include <optional>
#include <vector>

#include "raft/types.hpp"

namespace cl::raft {

// Entries [first, last] all of term `term`: how a Ready remembers what it handed out.
struct TermRun {
  Index first = 0;
  Index last = 0;
  Term term = 0;
};
// Appends e to runs (extending the last run when the term is the same).
void add_to_runs(std::vector<TermRun>& runs, const Entry& e);

class Unstable {
 public:
  explicit Unstable(Index offset) : offset_(offset) {}

  // The index of entries()[0]; every index below it is in the Storage (or the snapshot).
  Index offset() const { return offset_; }
  const std::vector<Entry>& entries() const { return entries_; }
  const std::optional<SnapshotMeta>& snapshot() const { return snapshot_; }

  std::optional<Index> maybe_first_index() const;  // snapshot index + 1 when a snapshot is pending
  std::optional<Index> maybe_last_index() const;   // last entry, else the pending snapshot's index
  std::optional<Term> maybe_term(Index i) const;

  // The entries a Ready carried were persisted: drop them from the tail, or, when the log changed
  // meanwhile (a conflicting append replaced some), only the prefix that is still the same.
  void stable_to(const std::vector<TermRun>& handed);
  // The pending snapshot `meta` was installed (a different one received meanwhile stays pending).
  void stable_snap_to(const SnapshotMeta& meta);
  // A received snapshot replaces everything.
  void restore(const SnapshotMeta& meta);
  // Appends entries (contiguous, non-empty), replacing any suffix from entries.front().index.
  void truncate_and_append(std::vector<Entry>&& entries);
  void append(Entry&& entry);
  // Copies of [lo, hi) which must lie within [offset(), offset() + size).
  void copy_to(Index lo, Index hi, std::vector<Entry>& out) const;

 private:
  std::optional<SnapshotMeta> snapshot_;
  std::vector<Entry> entries_;
  Index offset_;
};

}  // namespace cl::raft
