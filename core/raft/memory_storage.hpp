#pragma once
// MemoryStorage: Storage held in memory, for tests, the simulator and the benchmark. It also has
// the writer side an application uses while handling a Ready. Not thread-safe: one thread drives
// both the RawNode and the storage.
//
// Layout: entries_[0] is a placeholder for the last compacted index (first_index() - 1) holding
// that entry's term; entries_[1..] are the log. The outgoing snapshot is kept separately: its
// index may be >= the compaction point.
#include <string>
#include <vector>

#include "raft/storage.hpp"

namespace cl::raft {

class MemoryStorage final : public Storage {
 public:
  MemoryStorage();

  // Storage
  util::Result<InitialState> initial_state() const override;
  util::Result<std::vector<Entry>> entries(Index lo, Index hi, std::uint64_t bytes_max) const override;
  util::Result<Term> term(Index i) const override;
  Index first_index() const override { return entries_.front().index + 1; }
  Index last_index() const override { return entries_.front().index + entries_.size() - 1; }
  util::Result<SnapshotMeta> snapshot_meta() const override;
  util::Result<SnapshotChunk> snapshot_chunk(Index snapshot_index, std::uint64_t offset,
                                             std::uint64_t bytes_max) const override;

  // --- writer side ---
  void set_hard_state(const HardState& hs) { hard_state_ = hs; }
  const HardState& hard_state() const { return hard_state_; }
  // The membership as of the application's applied index (InitialState.conf).
  void set_conf_state(const ConfState& conf) { conf_ = conf; }
  const ConfState& conf_state() const { return conf_; }

  // Appends entries, first replacing any existing suffix from entries.front().index. Entries at or
  // before the compaction point are skipped. Code::invalid_argument for a gap or non-contiguous
  // indexes.
  util::Status append(std::vector<Entry> entries);
  // Records the application's state at `index` (<= last_index(), >= the current snapshot's) as
  // the outgoing snapshot, with the membership at that index and its bytes.
  util::Status create_snapshot(Index index, const ConfState& conf, std::string data);
  // Drops entries up to and including `index` (<= last_index()).
  util::Status compact(Index index);
  // Installs a received snapshot: the log becomes empty after meta.index, the snapshot becomes the
  // outgoing one, and InitialState.conf becomes meta.conf.
  void apply_snapshot(const SnapshotMeta& meta, std::string data);

  const std::string& snapshot_data() const { return snapshot_data_; }
  // Entries [first_index(), last_index()] (for tests and invariant checks).
  std::vector<Entry> all_entries() const { return {entries_.begin() + 1, entries_.end()}; }

  // Test hook: snapshot_meta() answers Code::unavailable while set.
  void set_snapshot_unavailable(bool v) { snapshot_unavailable_ = v; }

 private:
  HardState hard_state_;
  ConfState conf_;
  std::vector<Entry> entries_;  // [0] = (compaction index, its term), then the log
  SnapshotMeta snapshot_;       // index 0: none yet
  std::string snapshot_data_;
  bool snapshot_unavailable_ = false;
};

}  // namespace cl::raft
