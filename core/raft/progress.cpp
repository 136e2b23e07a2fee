#include "raft/progress.hpp"

#include <algorithm>

namespace cl::raft {

std::string_view progress_state_name(ProgressState s) {
  switch (s) {
    case ProgressState::probe:
      return "probe";
    case ProgressState::replicate:
      return "replicate";
    case ProgressState::snapshot:
      return "snapshot";
  }
  return "unknown";
}

void Progress::become_probe() {
  ++flow_epoch;
  if (state == ProgressState::snapshot) {
    // Resume after the snapshot we were sending: if the follower installed it, the probe succeeds;
    // if not, it rejects and we backtrack into a new snapshot.
    next = std::max(match + 1, pending_snapshot + 1);
  } else {
    next = match + 1;
  }
  state = ProgressState::probe;
  probe_sent = false;
  pending_snapshot = 0;
  chunk_in_flight = false;
  snapshot_offset = 0;
  inflights.reset();
}

void Progress::become_replicate() {
  ++flow_epoch;
  state = ProgressState::replicate;
  next = match + 1;
  probe_sent = false;
  pending_snapshot = 0;
  chunk_in_flight = false;
  inflights.reset();
}

void Progress::become_snapshot(Index snapshot_index) {
  ++flow_epoch;
  state = ProgressState::snapshot;
  probe_sent = false;
  pending_snapshot = snapshot_index;
  snapshot_offset = 0;
  chunk_in_flight = false;
  inflights.reset();
}

bool Progress::maybe_update(Index index) {
  bool updated = false;
  if (match < index) {
    match = index;
    updated = true;
    probe_sent = false;
  }
  next = std::max(next, index + 1);
  return updated;
}

bool Progress::maybe_decr_to(Index rejected, Index match_hint) {
  if (state == ProgressState::replicate) {
    if (rejected <= match) return false;  // stale: we already know more
    next = match + 1;
    return true;
  }
  // probe (or snapshot): only the answer to the append we sent last counts
  if (next == 0 || next - 1 != rejected) return false;
  next = std::max(std::min(rejected, match_hint + 1), match + 1);
  probe_sent = false;
  return true;
}

void Progress::sent_entries(Index last, std::size_t n, std::uint64_t bytes) {
  if (state == ProgressState::replicate) {
    if (n > 0) {
      next = last + 1;
      inflights.add(last, bytes);
    }
  } else if (state == ProgressState::probe) {
    probe_sent = true;
  }
}

bool Progress::paused() const {
  switch (state) {
    case ProgressState::probe:
      return probe_sent;
    case ProgressState::replicate:
      return inflights.full();
    case ProgressState::snapshot:
      return true;
  }
  return true;
}

}  // namespace cl::raft
