#pragma once
// Config: everything a RawNode needs to start. Limits default to values that suit a LAN cluster of
// 3-7 voters (tick = 100 ms in the daemon: election after 1-2 s of silence, heartbeats every tick).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "raft/logger.hpp"
#include "raft/storage.hpp"
#include "raft/types.hpp"
#include "util/status.hpp"

namespace cl::raft {

// Deliberate safety bugs, for the simulator's self-test only (tests/sim). The hooks are compiled only
// into cl_raft_planted, a test-only copy of the core (core/raft/CMakeLists.txt); in cl_raft, which
// the shipped binaries link, Config::validate() refuses anything but none.
enum class PlantedBug : std::uint8_t {
  none = 0,
  commit_prev_term = 1,  // commit by counting replicas of an entry from an earlier term (breaks 5.4.2)
  double_vote = 2,       // grant a second vote in the same term
  no_truncate = 3,       // keep a conflicting suffix instead of truncating it
  learner_quorum = 4,    // count learners' acknowledgements towards the commit quorum
};
std::string_view planted_bug_name(PlantedBug bug);
// "none", "commit_prev_term", ... ; nullopt-like: returns false for an unknown name.
bool planted_bug_from_name(std::string_view name, PlantedBug& out);
// True when this build compiled the planted-bug hooks.
bool planted_bugs_compiled();

struct Config {
  NodeId id = kNoNode;  // this node; must not be kNoNode

  // Not owned; must outlive the RawNode. The application writes it while handling Readys.
  const Storage* storage = nullptr;
  // Not owned; null means no logging.
  Logger* logger = nullptr;

  // The last index the application applied (persisted atomically with its state). Committed
  // entries up to it are not handed out again after a restart. Must be >= the storage's
  // first_index() - 1 and <= the persisted commit index. The Storage's InitialState.conf must be
  // the membership as of this index.
  Index applied = 0;

  // Seeds the randomized election timeout. Any value; give each node a different one.
  std::uint64_t seed = 0;

  // A follower or candidate starts an election after a random timeout in
  // [election_ticks, 2 * election_ticks) ticks without hearing from a leader. Range 2..10000.
  int election_ticks = 10;
  // A leader sends heartbeats every heartbeat_ticks ticks. Range 1..election_ticks-1.
  int heartbeat_ticks = 1;
  // Pre-vote (dissertation 9.6): a node first asks whether it could win before bumping its term,
  // so a partitioned node that comes back does not depose a healthy leader.
  bool pre_vote = true;
  // Check-quorum: a leader that has not heard from a quorum of voters within election_ticks steps
  // down; followers that heard from a leader within election_ticks ignore vote requests (lease).
  bool check_quorum = true;

  // Replication batching: one append message carries at most this many entries and (unless one
  // entry alone is larger) at most this many bytes of entries (payload + 24 bytes each).
  std::uint64_t entries_per_msg_max = 4096;
  std::uint64_t bytes_per_msg_max = 1u << 20;
  // Pipelining: at most this many unacknowledged append messages, and this many bytes of entries
  // in them, per follower in the replicate state. Range 1..65536.
  std::size_t inflight_msgs_max = 256;
  std::uint64_t inflight_bytes_max = 64u << 20;
  // A leader refuses proposals (Code::resource_exhausted) once this many payload bytes are
  // proposed but not yet applied. 0 means no limit.
  std::uint64_t max_uncommitted_bytes = 64u << 20;
  // One Ready carries committed entries up to about this many bytes (at least one entry).
  std::uint64_t committed_bytes_per_ready_max = 64u << 20;

  // InstallSnapshot: data moves in chunks of this many bytes, one chunk in flight per follower; an
  // unacknowledged chunk is sent again after snapshot_chunk_timeout_ticks.
  std::uint64_t snapshot_chunk_bytes = 1u << 20;
  int snapshot_chunk_timeout_ticks = 10;

  // ReadIndex requests waiting for leadership confirmation, beyond which read_index() answers
  // Code::resource_exhausted.
  std::size_t pending_reads_max = 4096;

  PlantedBug planted_bug = PlantedBug::none;

  // Checks ranges; the message names the bad field and value.
  util::Status validate() const;
};

}  // namespace cl::raft
