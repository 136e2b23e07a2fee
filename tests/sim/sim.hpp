#pragma once
// The deterministic cluster simulator: 3-7 Raft nodes over MemoryStorage, a network that loses,
// duplicates, delays and reorders messages and partitions (symmetric and one-way), disks that
// take time to persist (a crash loses what was not yet persisted), crashes and restarts,
// snapshots and compaction, membership changes (learners added, promoted, voters removed, the
// leader itself), leadership transfers, ReadIndex reads, and client proposals throughout. After
// every step the Checker verifies Raft's safety properties; after the faults stop, a leader must
// emerge and a proposal must commit within a bounded number of ticks.
//
// Everything is derived from Options::seed: the same seed replays the same run exactly.
#include <cstdint>
#include <string>

#include "raft/config.hpp"

namespace cl::sim {

struct Options {
  std::size_t nodes = 3;  // initial voters, 3..7
  std::uint64_t seed = 1;
  std::uint64_t ticks = 20000;         // ticks with faults
  std::uint64_t liveness_ticks = 400;  // after the faults stop: a proposal must commit by then
  raft::PlantedBug planted_bug = raft::PlantedBug::none;
  bool trace = false;                     // print events to stderr (message counts every 50 ticks)
  std::uint64_t trace_messages_tick = 0;  // with trace: print every message sent in this tick
};

struct Stats {
  std::uint64_t ticks = 0;
  std::uint64_t committed = 0;  // highest committed index
  std::uint64_t max_term = 0;
  std::uint64_t proposals_accepted = 0;
  std::uint64_t messages_sent = 0;
  std::uint64_t messages_dropped = 0;
  std::uint64_t crashes = 0;
  std::uint64_t partitions = 0;
  std::uint64_t snapshots_installed = 0;
  std::uint64_t compactions = 0;
  std::uint64_t conf_changes_applied = 0;
  std::uint64_t transfers = 0;
  std::uint64_t reads_checked = 0;
  std::uint64_t liveness_ticks = 0;     // ticks it took after the faults stopped
  std::uint64_t old_term_commits = 0;   // a leader's commit moved to an entry of an earlier term
  std::uint64_t sent_by_type[12] = {};  // indexed by raft::MessageType
};

struct Result {
  bool ok = true;
  std::string failure;  // what was violated, with the tick
  Stats stats;
};

Result run(const Options& options);

}  // namespace cl::sim
