#pragma once
// Progress: the leader's view of one follower (or learner): how much of the log it holds and how
// to send it more.
//
//   probe      we do not know where the follower's log ends: send one append per heartbeat
//              interval and wait for its answer (backtracking on rejects).
//   replicate  the follower is in step: send appends optimistically (next advances on send), up to
//              the in-flight window; a reject falls back to probe.
//   snapshot   the follower needs entries we compacted: send the snapshot in chunks, one at a time;
//              appends wait until it acknowledges the snapshot's index.
#include <cstdint>
#include <string_view>

#include "raft/inflights.hpp"
#include "raft/types.hpp"

namespace cl::raft {

enum class ProgressState : std::uint8_t { probe, replicate, snapshot };
std::string_view progress_state_name(ProgressState s);

class Progress {
 public:
  Progress(Index next, std::size_t inflight_msgs_max, std::uint64_t inflight_bytes_max, bool learner)
      : next(next), learner(learner), inflights(inflight_msgs_max, inflight_bytes_max) {}

  Index match = 0;  // highest index known to be replicated (persisted) on the follower
  Index next = 1;   // next index to send
  ProgressState state = ProgressState::probe;
  bool learner = false;
  bool probe_sent = false;              // probe: an append is out, wait for the answer or a heartbeat reply
  bool recent_active = false;           // heard from since the last check-quorum round
  std::uint64_t last_contact_tick = 0;  // the leader's tick count when we last heard from it
  std::uint64_t read_round_acked = 0;   // highest ReadIndex round it echoed this term
  Index commit_sent = 0;                // highest commit index sent to it (append or heartbeat)
  // Bumped on every state change and carried by appends (echoed in answers): a reject of an
  // append sent before the last change is stale and must not move us again. Without it, on a
  // network that reorders, each probe/replicate flip re-sends a window on top of the messages
  // still in flight, whose rejects flip it again: the traffic grows without bound.
  std::uint64_t flow_epoch = 1;

  // snapshot state
  Index pending_snapshot = 0;         // index of the snapshot being sent
  std::uint64_t snapshot_offset = 0;  // next byte the follower expects
  bool chunk_in_flight = false;
  std::uint64_t chunk_sent_tick = 0;

  Inflights inflights;

  void become_probe();
  void become_replicate();
  void become_snapshot(Index snapshot_index);

  // An acknowledgement of `index`: raises match (and next). True when match moved.
  bool maybe_update(Index index);
  // A reject of the append at `rejected` with the follower's hint: moves next back. False when
  // the reject is stale (answers an older message).
  bool maybe_decr_to(Index rejected, Index match_hint);
  // Records that an append whose entries end at `last` (count `n`, `bytes`) was sent.
  void sent_entries(Index last, std::size_t n, std::uint64_t bytes);
  // True when no more appends should be sent now.
  bool paused() const;
};

}  // namespace cl::raft
