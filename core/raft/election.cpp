// Raft: leader election (5.2, 5.4.1), pre-vote (dissertation 9.6).
#include "raft/raft.hpp"

namespace cl::raft {

bool Raft::has_unapplied_conf_change() const {
  // A committed conf change not yet applied would change who may vote: wait for it.
  Index lo = log_.applied() + 1;
  const Index hi = log_.committed() + 1;
  while (lo < hi) {
    auto r = log_.slice(lo, hi, cfg_.committed_bytes_per_ready_max);
    if (!r.is_ok() || r->empty()) return false;
    for (const auto& e : *r)
      if (e.type == EntryType::conf_change) return true;
    lo = r->back().index + 1;
  }
  return false;
}

void Raft::campaign() {
  hup(false);
}

void Raft::hup(bool transfer) {
  if (role_ == Role::leader) {
    CL_RAFT_LOG(debug, "ignored election request: already leader");
    return;
  }
  if (!promotable()) {
    CL_RAFT_LOG(warning, "cannot campaign: not a voter in ", describe(trk_.conf()));
    return;
  }
  if (has_unapplied_conf_change()) {
    CL_RAFT_LOG(warning, "cannot campaign at term ", term_, ": a committed conf change is not applied yet");
    return;
  }
  start_campaign(cfg_.pre_vote && !transfer, transfer);
}

void Raft::start_campaign(bool pre_vote, bool transfer) {
  Term vote_term;
  MessageType type;
  if (pre_vote) {
    become_pre_candidate();
    vote_term = term_ + 1;
    type = MessageType::pre_vote;
  } else {
    become_candidate();
    vote_term = term_;
    type = MessageType::vote;
  }
  trk_.record_vote(id_, true);
  if (trk_.tally() == VoteResult::won) {  // a single-voter cluster
    if (pre_vote)
      start_campaign(false, transfer);
    else
      become_leader();
    return;
  }
  const Index last_index = log_.last_index();
  const Term last_term = log_.last_term();
  for (NodeId id : trk_.conf().voters) {
    if (id == id_) continue;
    CL_RAFT_LOG(info, "sent ", message_type_name(type), " for term ", vote_term, " to ", id, " (last ",
                last_term, "/", last_index, ")");
    Message m;
    m.type = type;
    m.to = id;
    m.term = vote_term;
    m.log_index = last_index;
    m.log_term = last_term;
    m.force = transfer;
    send(std::move(m));
  }
}

void Raft::handle_vote_request(const Message& m) {
  // We can vote for m.from if we already did in this term, or have voted for nobody and know no
  // leader, or it is a pre-vote for a later term.
  bool can_vote = vote_ == m.from || (vote_ == kNoNode && lead_ == kNoNode) ||
                  (m.type == MessageType::pre_vote && m.term > term_);
  // PLANTED BUG double_vote: grant a vote regardless of the one already cast in this term.
  if (planted(PlantedBug::double_vote) && m.type == MessageType::vote) can_vote = true;
  const bool up_to_date = log_.is_up_to_date(m.log_index, m.log_term);
  Message resp;
  resp.type = m.type == MessageType::vote ? MessageType::vote_resp : MessageType::pre_vote_resp;
  resp.to = m.from;
  if (can_vote && up_to_date) {
    CL_RAFT_LOG(info, "granted ", message_type_name(m.type), " to ", m.from, " for term ", m.term);
    resp.term = m.term;
    send(std::move(resp));
    if (m.type == MessageType::vote) {
      election_elapsed_ = 0;
      vote_ = m.from;
    }
  } else {
    CL_RAFT_LOG(info, "rejected ", message_type_name(m.type), " from ", m.from, " for term ", m.term,
                up_to_date ? " (already voted or leader known)" : " (log not up to date)");
    resp.term = term_;
    resp.reject = true;
    send(std::move(resp));
  }
}

void Raft::handle_vote_response(const Message& m) {
  trk_.record_vote(m.from, !m.reject);
  switch (trk_.tally()) {
    case VoteResult::won:
      if (role_ == Role::pre_candidate)
        start_campaign(false, false);
      else
        become_leader();
      break;
    case VoteResult::lost:
      CL_RAFT_LOG(info, "lost the ", role_ == Role::pre_candidate ? "pre-election" : "election", " at term ",
                  term_);
      become_follower(term_, kNoNode);
      break;
    case VoteResult::pending:
      break;
  }
}

}  // namespace cl::raft
