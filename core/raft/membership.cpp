// Raft: membership changes, one server at a time (dissertation 4.1, 4.2.3, 4.3). A change takes
// effect on each node when its entry is applied. The leader proposes one only after it committed
// an entry of its own term (the fix for the single-server change bug) and only when no other
// change is pending; a removed leader hands off leadership and steps down once it applies its
// removal.
#include "raft/raft.hpp"

namespace cl::raft {

util::Result<EntryId> Raft::propose_conf_change(const ConfChange& cc) {
  if (role_ != Role::leader) {
    if (lead_ == kNoNode)
      return util::Status(util::Code::not_leader, "not the leader; no leader is known yet");
    return util::Status(util::Code::not_leader, detail::cat("not the leader; the leader is node ", lead_));
  }
  if (lead_transferee_ != kNoNode)
    return util::unavailable(
        detail::cat("leadership transfer to node ", lead_transferee_, " in progress; retry"));
  if (!committed_in_term())
    return util::unavailable("the leader has not committed an entry of its term yet; retry shortly");
  if (pending_conf_index_ > log_.applied())
    return util::failed_precondition(detail::cat("a membership change is in progress (index ",
                                                 pending_conf_index_, ", applied ", log_.applied(),
                                                 "); retry once it is applied"));
  auto next = apply_conf_change(trk_.conf(), cc);
  if (!next.is_ok()) return next.status().with_context("conf change " + describe(cc));
  if (cc.type == ConfChangeType::promote_to_voter) {
    const Progress* pr = trk_.progress(cc.node);
    if (pr == nullptr || pr->match < log_.committed())
      return util::failed_precondition(detail::cat("learner ", cc.node, " is not caught up (match ",
                                                   pr ? pr->match : 0, ", commit ", log_.committed(),
                                                   "); retry once it is"));
  }
  append_entry(EntryType::conf_change, encode_conf_change(cc));
  pending_conf_index_ = log_.last_index();
  CL_RAFT_LOG(info, "proposed conf change ", describe(cc), " at index ", pending_conf_index_);
  return EntryId{term_, log_.last_index()};
}

void Raft::apply_conf_change_entry(const Entry& e) {
  if (e.index <= conf_applied_index_) return;  // already covered by a snapshot we installed
  conf_applied_index_ = e.index;
  auto cc = decode_conf_change(e.data);
  if (!cc.is_ok()) {
    CL_RAFT_LOG(error, "ignored conf change entry ", e.index, ": ", cc.status().to_string());
    return;
  }
  auto next = apply_conf_change(trk_.conf(), *cc);
  if (!next.is_ok()) {
    CL_RAFT_LOG(warning, "ignored conf change ", describe(*cc), " at ", e.index, ": ",
                next.status().message());
    return;
  }
  CL_RAFT_LOG(info, "applied conf change ", describe(*cc), " at ", e.index, ": ", describe(*next));
  apply_conf_state(*next);
}

void Raft::apply_conf_state(const ConfState& conf) {
  trk_.set_conf(conf, log_.last_index() + 1);
  if (role_ != Role::leader) return;
  if (!trk_.is_voter(id_)) {
    step_down_if_removed();
    return;
  }
  if (lead_transferee_ != kNoNode && !trk_.is_voter(lead_transferee_)) abort_transfer();
  // The quorum may have shrunk, and new members need the log.
  maybe_commit();
  bcast_append();
}

void Raft::step_down_if_removed() {
  // Hand leadership to the most up-to-date voter so the cluster need not wait for an election
  // timeout (the others still honour our lease), then step down.
  NodeId best = kNoNode;
  Index best_match = 0;
  for (NodeId id : trk_.conf().voters) {
    const Progress* pr = trk_.progress(id);
    if (pr != nullptr && pr->match >= best_match) {
      best = id;
      best_match = pr->match;
    }
  }
  CL_RAFT_LOG(info, "removed from the configuration; stepping down at term ", term_);
  if (best != kNoNode && best_match == log_.last_index()) {
    Message m;
    m.type = MessageType::timeout_now;
    m.to = best;
    send(std::move(m));
  }
  become_follower(term_, kNoNode);
}

}  // namespace cl::raft
