// Raft: leadership transfer (dissertation 3.10). The leader stops accepting proposals, brings the
// target up to date, then sends it TimeoutNow; the target campaigns at once, bypassing pre-vote
// and the other voters' leader lease. The transfer is abandoned after an election timeout.
#include "raft/raft.hpp"

namespace cl::raft {

util::Status Raft::transfer_leader(NodeId to) {
  if (role_ != Role::leader) {
    if (lead_ == kNoNode)
      return util::Status(util::Code::not_leader, "not the leader; no leader is known yet");
    return util::Status(util::Code::not_leader, detail::cat("not the leader; the leader is node ", lead_));
  }
  if (to == id_) return util::Status::ok();
  if (!trk_.is_voter(to))
    return util::invalid_argument(detail::cat("cannot transfer leadership to node ", to, ": not a voter"));
  if (lead_transferee_ == to) return util::Status::ok();
  if (lead_transferee_ != kNoNode) abort_transfer();
  CL_RAFT_LOG(info, "transferring leadership to ", to, " at term ", term_);
  lead_transferee_ = to;
  election_elapsed_ = 0;  // the transfer must finish within an election timeout
  Progress* pr = trk_.progress(to);
  if (pr->match == log_.last_index())
    maybe_send_timeout_now(to, *pr);
  else
    send_append(to, *pr, true);
  return util::Status::ok();
}

void Raft::maybe_send_timeout_now(NodeId to, const Progress& pr) {
  if (to != lead_transferee_ || pr.match != log_.last_index()) return;
  CL_RAFT_LOG(info, "sent timeout_now to ", to, ": its log is up to date");
  Message m;
  m.type = MessageType::timeout_now;
  m.to = to;
  send(std::move(m));
}

void Raft::abort_transfer() {
  lead_transferee_ = kNoNode;
}

void Raft::handle_timeout_now(const Message& m) {
  CL_RAFT_LOG(info, "received timeout_now from ", m.from, " at term ", term_, "; campaigning");
  hup(true);
}

}  // namespace cl::raft
