#pragma once
// The Raft core's data: what is persisted (entries, hard state, configuration, snapshot metadata)
// and what travels between peers (messages). Plain values: the core does no I/O; core/store persists
// these and core/net encodes them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cl::raft {

using NodeId = std::uint64_t;  // 0 means "none" (no vote, no known leader)
using Term = std::uint64_t;
using Index = std::uint64_t;  // log indexes start at 1; 0 means "before the log"

inline constexpr NodeId kNoNode = 0;

enum class EntryType : std::uint8_t {
  normal = 0,       // application data (possibly empty: the no-op a new leader appends)
  conf_change = 1,  // data is an encoded ConfChange (see conf_change.hpp)
};

struct Entry {
  Term term = 0;
  Index index = 0;
  EntryType type = EntryType::normal;
  std::string data;
  friend bool operator==(const Entry&, const Entry&) = default;
};

// Persisted before any message of the same Ready is sent.
struct HardState {
  Term term = 0;
  NodeId vote = kNoNode;
  Index commit = 0;
  friend bool operator==(const HardState&, const HardState&) = default;
};

// The membership: voters decide (quorum = voters/2 + 1); learners only replicate.
// Both sorted ascending, disjoint.
struct ConfState {
  std::vector<NodeId> voters;
  std::vector<NodeId> learners;
  friend bool operator==(const ConfState&, const ConfState&) = default;
};

// Describes the state machine's state as of `index` (whose entry had `term`), including the
// membership at that index. The snapshot's bytes are held by the application and move in chunks.
struct SnapshotMeta {
  Index index = 0;
  Term term = 0;
  ConfState conf;
  std::uint64_t size_bytes = 0;  // total size of the snapshot's data
  friend bool operator==(const SnapshotMeta&, const SnapshotMeta&) = default;
};

}  // namespace cl::raft
