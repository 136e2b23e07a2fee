#include "raft/config.hpp"

namespace cl::raft {

std::string_view log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warning:
      return "warning";
    case LogLevel::error:
      return "error";
  }
  return "unknown";
}

std::string_view planted_bug_name(PlantedBug bug) {
  switch (bug) {
    case PlantedBug::none:
      return "none";
    case PlantedBug::commit_prev_term:
      return "commit_prev_term";
    case PlantedBug::double_vote:
      return "double_vote";
    case PlantedBug::no_truncate:
      return "no_truncate";
    case PlantedBug::learner_quorum:
      return "learner_quorum";
  }
  return "unknown";
}

bool planted_bug_from_name(std::string_view name, PlantedBug& out) {
  for (auto bug : {PlantedBug::none, PlantedBug::commit_prev_term, PlantedBug::double_vote,
                   PlantedBug::no_truncate, PlantedBug::learner_quorum}) {
    if (planted_bug_name(bug) == name) {
      out = bug;
      return true;
    }
  }
  return false;
}

bool planted_bugs_compiled() {
#if defined(CL_PLANTED_BUGS) && CL_PLANTED_BUGS
  return true;
#else
  return false;
#endif
}

util::Status Config::validate() const {
  auto bad = [](const std::string& what) { return util::invalid_argument("invalid raft config: " + what); };
  if (id == kNoNode) return bad("id must not be 0");
  if (storage == nullptr) return bad("storage is required");
  if (election_ticks < 2 || election_ticks > 10000)
    return bad("election_ticks " + std::to_string(election_ticks) + " is outside 2..10000");
  if (heartbeat_ticks < 1 || heartbeat_ticks >= election_ticks)
    return bad("heartbeat_ticks " + std::to_string(heartbeat_ticks) + " must be in 1..election_ticks-1");
  if (entries_per_msg_max == 0) return bad("entries_per_msg_max must be at least 1");
  if (bytes_per_msg_max == 0) return bad("bytes_per_msg_max must be at least 1");
  if (inflight_msgs_max == 0 || inflight_msgs_max > 65536)
    return bad("inflight_msgs_max " + std::to_string(inflight_msgs_max) + " is outside 1..65536");
  if (committed_bytes_per_ready_max == 0) return bad("committed_bytes_per_ready_max must be at least 1");
  if (snapshot_chunk_bytes == 0) return bad("snapshot_chunk_bytes must be at least 1");
  if (snapshot_chunk_timeout_ticks < 1) return bad("snapshot_chunk_timeout_ticks must be at least 1");
  if (pending_reads_max == 0) return bad("pending_reads_max must be at least 1");
  if (planted_bug != PlantedBug::none && !planted_bugs_compiled())
    return bad("planted_bug " + std::string(planted_bug_name(planted_bug)) +
               " needs the test-only core cl_raft_planted (this binary links cl_raft)");
  return util::Status::ok();
}

}  // namespace cl::raft
