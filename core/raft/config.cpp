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
  if (max_entries_per_msg == 0) return bad("max_entries_per_msg must be at least 1");
  if (max_bytes_per_msg == 0) return bad("max_bytes_per_msg must be at least 1");
  if (max_inflight_msgs == 0 || max_inflight_msgs > 65536)
    return bad("max_inflight_msgs " + std::to_string(max_inflight_msgs) + " is outside 1..65536");
  if (max_committed_bytes_per_ready == 0) return bad("max_committed_bytes_per_ready must be at least 1");
  if (snapshot_chunk_bytes == 0) return bad("snapshot_chunk_bytes must be at least 1");
  if (snapshot_chunk_timeout_ticks < 1) return bad("snapshot_chunk_timeout_ticks must be at least 1");
  if (max_pending_reads == 0) return bad("max_pending_reads must be at least 1");
  if (planted_bug != PlantedBug::none && !planted_bugs_compiled())
    return bad("planted_bug " + std::string(planted_bug_name(planted_bug)) +
               " needs a build with -DCL_PLANTED_BUGS=ON");
  return util::Status::ok();
}

}  // namespace cl::raft
