#include "raft/unstable.hpp"

#include <algorithm>

#include "util/assert.hpp"

namespace cl::raft {

std::optional<Index> Unstable::maybe_first_index() const {
  if (snapshot_) return snapshot_->index + 1;
  return std::nullopt;
}

std::optional<Index> Unstable::maybe_last_index() const {
  if (!entries_.empty()) return offset_ + entries_.size() - 1;
  if (snapshot_) return snapshot_->index;
  return std::nullopt;
}

std::optional<Term> Unstable::maybe_term(Index i) const {
  if (i < offset_) {
    if (snapshot_ && snapshot_->index == i) return snapshot_->term;
    return std::nullopt;
  }
  if (i - offset_ >= entries_.size()) return std::nullopt;
  return entries_[i - offset_].term;
}

void add_to_runs(std::vector<TermRun>& runs, const Entry& e) {
  if (!runs.empty() && runs.back().term == e.term && runs.back().last + 1 == e.index)
    runs.back().last = e.index;
  else
    runs.push_back(TermRun{e.index, e.index, e.term});
}

void Unstable::stable_to(const std::vector<TermRun>& handed) {
  // Find the highest handed-out index whose entry is still the same in this log (same index and
  // term means same entry and same prefix): everything up to it is now persisted.
  for (auto run = handed.rbegin(); run != handed.rend(); ++run) {
    if (entries_.empty()) return;
    const Index top = std::min(run->last, offset_ + entries_.size() - 1);
    for (Index index = top; index >= run->first && index >= offset_; --index) {
      if (entries_[index - offset_].term != run->term) continue;
      const std::size_t n = index - offset_ + 1;
      if (n == entries_.size())
        entries_.clear();
      else
        entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(n));
      offset_ = index + 1;
      return;
    }
    if (run->first <= offset_) return;  // the rest is already stable (or replaced by a snapshot)
  }
}

void Unstable::stable_snap_to(const SnapshotMeta& meta) {
  if (snapshot_ && *snapshot_ == meta) snapshot_.reset();
}

void Unstable::restore(const SnapshotMeta& meta) {
  offset_ = meta.index + 1;
  entries_.clear();
  snapshot_ = meta;
}

void Unstable::truncate_and_append(std::vector<Entry>&& entries) {
  CL_ASSERT(!entries.empty(), "appending nothing");
  const Index from = entries.front().index;
  if (from == offset_ + entries_.size()) {
    // The common case: straight after the last entry.
  } else if (from <= offset_) {
    // Replaces everything unstable (and a suffix of what storage holds: the next Ready rewrites it).
    offset_ = from;
    entries_.clear();
  } else {
    CL_ASSERT(from < offset_ + entries_.size(), "unstable append leaves a gap");
    entries_.resize(from - offset_);
  }
  if (entries_.empty()) {
    entries_ = std::move(entries);
  } else {
    entries_.reserve(entries_.size() + entries.size());
    for (auto& e : entries) entries_.push_back(std::move(e));
  }
}

void Unstable::append(Entry&& entry) {
  CL_ASSERT(entry.index == offset_ + entries_.size(), "unstable append out of order");
  entries_.push_back(std::move(entry));
}

void Unstable::copy_to(Index lo, Index hi, std::vector<Entry>& out) const {
  CL_ASSERT(lo >= offset_ && hi <= offset_ + entries_.size() && lo <= hi, "unstable slice out of range");
  out.insert(out.end(), entries_.begin() + static_cast<std::ptrdiff_t>(lo - offset_),
             entries_.begin() + static_cast<std::ptrdiff_t>(hi - offset_));
}

}  // namespace cl::raft
