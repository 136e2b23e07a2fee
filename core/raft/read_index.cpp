// Raft: ReadIndex (dissertation 6.4). A read is linearizable once the application has applied the
// commit index the leader had when the read arrived, provided the leader then still was the
// leader: it proves that with a round of heartbeats acknowledged by a quorum of voters, sent after
// the read arrived. Reads arriving while a round is out share the next round.
#include "raft/raft.hpp"

namespace cl::raft {

util::Status Raft::read_index(std::string&& context) {
  if (role_ != Role::leader) {
    if (lead_ == kNoNode)
      return util::Status(util::Code::not_leader, "not the leader; no leader is known yet");
    return util::Status(util::Code::not_leader, detail::cat("not the leader; the leader is node ", lead_));
  }
  if (pending_reads_.size() + reads_waiting_commit_.size() >= cfg_.pending_reads_max)
    return util::resource_exhausted(detail::cat("too many reads waiting for the leader (limit ",
                                                cfg_.pending_reads_max, "); retry later"));
  if (!committed_in_term()) {
    // Our commit index may be behind the previous leader's until our no-op commits.
    reads_waiting_commit_.push_back(std::move(context));
    return util::Status::ok();
  }
  start_read(std::move(context));
  return util::Status::ok();
}

void Raft::start_read(std::string&& context) {
  if (trk_.conf().voters.size() == 1 && trk_.is_voter(id_)) {
    read_states_.push_back(ReadState{log_.committed(), std::move(context)});
    return;
  }
  pending_reads_.push_back(PendingRead{std::move(context), log_.committed(), read_round_ + 1});
  if (read_round_ == confirmed_read_round_) start_read_round();
}

void Raft::start_read_round() {
  ++read_round_;
  bcast_heartbeat();
}

void Raft::release_confirmed_reads() {
  if (pending_reads_.empty()) return;
  const std::uint64_t confirmed = trk_.confirmed_read_round(id_, read_round_);
  if (confirmed > confirmed_read_round_) confirmed_read_round_ = confirmed;
  while (!pending_reads_.empty() && pending_reads_.front().round <= confirmed_read_round_) {
    read_states_.push_back(
        ReadState{pending_reads_.front().index, std::move(pending_reads_.front().context)});
    pending_reads_.pop_front();
  }
  if (!pending_reads_.empty() && read_round_ == confirmed_read_round_) start_read_round();
}

void Raft::release_reads_waiting_commit() {
  if (reads_waiting_commit_.empty() || !committed_in_term()) return;
  auto waiting = std::move(reads_waiting_commit_);
  reads_waiting_commit_.clear();
  for (auto& context : waiting) start_read(std::move(context));
}

void Raft::clear_reads() {
  pending_reads_.clear();
  reads_waiting_commit_.clear();
  confirmed_read_round_ = read_round_;
}

}  // namespace cl::raft
