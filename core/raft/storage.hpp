#pragma once
// Storage: the Raft core's read-only view of what the application has persisted. The application
// (core/store, or MemoryStorage in tests) writes to it while handling a Ready — entries and hard
// state before sending that Ready's messages, the applied index and state machine together — and
// the core only reads through this interface.
//
// Contract (same shape as etcd-io/raft's Storage):
//  - The log holds entries [first_index(), last_index()]; entries before first_index() were
//    compacted into the snapshot at first_index() - 1 (snapshot_meta().index).
//  - term(i) is answerable for i in [first_index() - 1, last_index()]; for i == first_index() - 1
//    it is the snapshot's term. Outside that range: Code::not_found (compacted or not yet written).
//  - entries(lo, hi, bytes_max) returns [lo, hi) but stops early once bytes_max is exceeded, always
//    returning at least one entry when lo < hi.
//  - snapshot_meta() may answer Code::unavailable while the application prepares one; the core
//    retries later. snapshot_chunk() reads the snapshot's bytes [offset, offset + bytes_max).
#include <string>
#include <vector>

#include "raft/types.hpp"
#include "util/result.hpp"

namespace cl::raft {

struct InitialState {
  HardState hard_state;
  ConfState conf;  // the membership as of the applied index (or the snapshot)
};

struct SnapshotChunk {
  std::string data;
  bool last = false;  // data ends the snapshot
};

class Storage {
 public:
  virtual ~Storage() = default;
  virtual util::Result<InitialState> initial_state() const = 0;
  virtual util::Result<std::vector<Entry>> entries(Index lo, Index hi, std::uint64_t bytes_max) const = 0;
  virtual util::Result<Term> term(Index i) const = 0;
  virtual Index first_index() const = 0;
  virtual Index last_index() const = 0;
  virtual util::Result<SnapshotMeta> snapshot_meta() const = 0;
  virtual util::Result<SnapshotChunk> snapshot_chunk(Index snapshot_index, std::uint64_t offset,
                                                     std::uint64_t bytes_max) const = 0;
};

}  // namespace cl::raft
