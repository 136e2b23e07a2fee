// Raft: construction, roles, the term rules every message goes through, and the clock.
#include "raft/raft.hpp"

#include "util/assert.hpp"

namespace cl::raft {

namespace {
NullLogger g_null_logger;
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::follower:
      return "follower";
    case Role::pre_candidate:
      return "pre_candidate";
    case Role::candidate:
      return "candidate";
    case Role::leader:
      return "leader";
  }
  return "unknown";
}

Raft::Raft(const Config& cfg, const InitialState& initial)
    : cfg_(cfg),
      logger_(cfg.logger ? cfg.logger : &g_null_logger),
      id_(cfg.id),
      term_(initial.hard_state.term),
      vote_(initial.hard_state.vote),
      log_(*cfg.storage, initial.hard_state.commit, cfg.applied),
      trk_(cfg.inflight_msgs_max, cfg.inflight_bytes_max),
      rng_(cfg.seed ^ (cfg.id * 0x9e3779b97f4a7c15ULL)),
      conf_applied_index_(cfg.applied) {
  trk_.set_conf(initial.conf, log_.last_index() + 1);
  become_follower(term_, kNoNode);
  CL_RAFT_LOG(info, "started at term ", term_, ", commit ", log_.committed(), ", applied ", log_.applied(),
              ", last index ", log_.last_index(), ", ", describe(trk_.conf()));
}

bool Raft::planted(PlantedBug bug) const {
#if defined(CL_PLANTED_BUGS) && CL_PLANTED_BUGS
  return cfg_.planted_bug == bug;
#else
  (void)bug;
  return false;
#endif
}

bool Raft::committed_in_term() const {
  return log_.term_or_zero(log_.committed()) == term_;
}

// --- roles -------------------------------------------------------------------------------------

void Raft::reset(Term term) {
  if (term_ != term) {
    term_ = term;
    vote_ = kNoNode;
  }
  lead_ = kNoNode;
  election_elapsed_ = 0;
  heartbeat_elapsed_ = 0;
  reset_randomized_election_timeout();
  abort_transfer();
  trk_.reset_votes();
  trk_.reset_progress(log_.last_index() + 1);
  pending_conf_index_ = 0;
  uncommitted_bytes_ = 0;
  pending_bcast_ = false;
  clear_reads();
}

void Raft::reset_randomized_election_timeout() {
  randomized_election_timeout_ =
      cfg_.election_ticks + static_cast<int>(rng_.below(static_cast<std::uint64_t>(cfg_.election_ticks)));
}

void Raft::become_follower(Term term, NodeId lead) {
  reset(term);
  lead_ = lead;
  role_ = Role::follower;
  CL_RAFT_LOG(info, "became follower at term ", term_);
}

void Raft::become_pre_candidate() {
  CL_ASSERT(role_ != Role::leader, "leader cannot become pre-candidate");
  // Changes neither term nor vote: a pre-election that fails leaves no trace.
  trk_.reset_votes();
  lead_ = kNoNode;
  role_ = Role::pre_candidate;
  CL_RAFT_LOG(info, "became pre-candidate at term ", term_);
}

void Raft::become_candidate() {
  CL_ASSERT(role_ != Role::leader, "leader cannot become candidate");
  reset(term_ + 1);
  vote_ = id_;
  role_ = Role::candidate;
  CL_RAFT_LOG(info, "became candidate at term ", term_);
}

void Raft::become_leader() {
  CL_ASSERT(role_ != Role::follower, "follower cannot become leader directly");
  reset(term_);
  lead_ = id_;
  role_ = Role::leader;
  if (Progress* self = trk_.progress(id_)) {
    self->match = log_.stable_last_index();
    self->become_replicate();
    self->next = log_.last_index() + 1;
    self->recent_active = true;
  }
  // Conservatively: no conf change until everything in our log is applied (it may hold one).
  pending_conf_index_ = log_.last_index();
  CL_RAFT_LOG(info, "became leader at term ", term_);
  // The no-op of the new term: committing it commits every earlier entry (5.4.2).
  append_entry(EntryType::normal, std::string());
}

// --- clock -------------------------------------------------------------------------------------

void Raft::tick() {
  ++ticks_;
  if (role_ == Role::leader)
    tick_heartbeat();
  else
    tick_election();
}

void Raft::tick_election() {
  ++election_elapsed_;
  if (promotable() && election_elapsed_ >= randomized_election_timeout_) {
    election_elapsed_ = 0;
    hup(false);
  }
}

void Raft::tick_heartbeat() {
  ++heartbeat_elapsed_;
  ++election_elapsed_;
  if (election_elapsed_ >= cfg_.election_ticks) {
    election_elapsed_ = 0;
    if (cfg_.check_quorum) {
      if (!trk_.quorum_active(id_)) {
        CL_RAFT_LOG(warning, "stepped down: no quorum of voters heard from in ", cfg_.election_ticks,
                    " ticks");
        become_follower(term_, kNoNode);
        return;
      }
      for (auto& [id, pr] : trk_.all())
        if (id != id_) pr.recent_active = false;
    }
    if (lead_transferee_ != kNoNode) {
      CL_RAFT_LOG(info, "leadership transfer to ", lead_transferee_, " timed out");
      abort_transfer();
    }
  }
  if (heartbeat_elapsed_ >= cfg_.heartbeat_ticks) {
    heartbeat_elapsed_ = 0;
    if (!pending_reads_.empty()) ++read_round_;  // a lost round must not stall the reads waiting on it
    bcast_heartbeat();
    resend_stalled_chunks();
  }
}

// --- messages ----------------------------------------------------------------------------------

void Raft::send(Message&& m) {
  m.from = id_;
  const bool vote_kind = m.type == MessageType::vote || m.type == MessageType::vote_resp ||
                         m.type == MessageType::pre_vote || m.type == MessageType::pre_vote_resp;
  if (!vote_kind) m.term = term_;  // election messages carry the term they are about, set by the caller
  msgs_.push_back(std::move(m));
}

void Raft::heard_from_leader(NodeId from) {
  election_elapsed_ = 0;
  lead_ = from;
  last_leader_contact_tick_ = ticks_;
}

util::Status Raft::step(Message&& m) {
  if (m.term > term_) {
    if (m.type == MessageType::vote || m.type == MessageType::pre_vote) {
      // Leader lease (check-quorum): while we hear from a leader, a vote request is a disruption
      // (a removed or partitioned node), unless it is a leadership transfer.
      const bool in_lease = cfg_.check_quorum && lead_ != kNoNode && election_elapsed_ < cfg_.election_ticks;
      if (!m.force && in_lease) {
        CL_RAFT_LOG(debug, "ignored ", message_type_name(m.type), " from ", m.from, " at term ", m.term,
                    ": leader ", lead_, " is active");
        return util::Status::ok();
      }
    }
    if (m.type == MessageType::pre_vote) {
      // Never change term for a pre-vote.
    } else if (m.type == MessageType::pre_vote_resp && !m.reject) {
      // A granted pre-vote carries the term we would campaign at; we are not there yet.
    } else {
      CL_RAFT_LOG(info, "received ", message_type_name(m.type), " at higher term ", m.term, " from ", m.from);
      const bool from_leader = m.type == MessageType::append || m.type == MessageType::heartbeat ||
                               m.type == MessageType::snapshot;
      become_follower(m.term, from_leader ? m.from : kNoNode);
    }
  } else if (m.term < term_) {
    if ((cfg_.check_quorum || cfg_.pre_vote) &&
        (m.type == MessageType::append || m.type == MessageType::heartbeat ||
         m.type == MessageType::snapshot)) {
      // A stale leader (e.g. back from a partition): tell it our term so that it steps down.
      // Without this, with pre-vote, a node with a higher term could never be elected nor learn
      // of the leader.
      Message resp;
      resp.type = MessageType::append_resp;
      resp.to = m.from;
      send(std::move(resp));
    } else if (m.type == MessageType::pre_vote) {
      Message resp;
      resp.type = MessageType::pre_vote_resp;
      resp.to = m.from;
      resp.term = term_;
      resp.reject = true;
      send(std::move(resp));
    }
    return util::Status::ok();
  }

  if (m.type == MessageType::vote || m.type == MessageType::pre_vote) {
    handle_vote_request(m);
    return util::Status::ok();
  }
  switch (role_) {
    case Role::leader:
      step_leader(m);
      break;
    case Role::candidate:
    case Role::pre_candidate:
      step_candidate(m);
      break;
    case Role::follower:
      step_follower(m);
      break;
  }
  return util::Status::ok();
}

void Raft::step_follower(Message& m) {
  switch (m.type) {
    case MessageType::append:
      heard_from_leader(m.from);
      handle_append(m);
      break;
    case MessageType::heartbeat:
      heard_from_leader(m.from);
      handle_heartbeat(m);
      break;
    case MessageType::snapshot:
      heard_from_leader(m.from);
      handle_snapshot(m);
      break;
    case MessageType::timeout_now:
      handle_timeout_now(m);
      break;
    default:
      break;  // responses to a role we no longer have
  }
}

void Raft::step_candidate(Message& m) {
  switch (m.type) {
    case MessageType::append:
    case MessageType::heartbeat:
    case MessageType::snapshot:
      // Someone won this term.
      become_follower(m.term, m.from);
      step_follower(m);
      break;
    case MessageType::vote_resp:
      if (role_ == Role::candidate) handle_vote_response(m);
      break;
    case MessageType::pre_vote_resp:
      if (role_ == Role::pre_candidate) handle_vote_response(m);
      break;
    default:
      break;
  }
}

void Raft::step_leader(Message& m) {
  Progress* pr = trk_.progress(m.from);
  if (pr == nullptr) {
    CL_RAFT_LOG(debug, "ignored ", message_type_name(m.type), " from non-member ", m.from);
    return;
  }
  switch (m.type) {
    case MessageType::append_resp:
    case MessageType::heartbeat_resp:
    case MessageType::snapshot_resp:
      pr->recent_active = true;
      pr->last_contact_tick = ticks_;
      if (m.type == MessageType::append_resp)
        handle_append_response(m, *pr);
      else if (m.type == MessageType::heartbeat_resp)
        handle_heartbeat_response(m, *pr);
      else
        handle_snapshot_response(m, *pr);
      break;
    case MessageType::append:
    case MessageType::heartbeat:
    case MessageType::snapshot:
      // Two leaders in one term: election safety is broken.
      CL_RAFT_LOG(error, "ignored ", message_type_name(m.type), " from ", m.from, " at our term ", term_,
                  " while leader");
      break;
    default:
      break;  // late votes, a timeout_now for an old transfer
  }
}

void Raft::report_unreachable(NodeId id) {
  if (role_ != Role::leader) return;
  Progress* pr = trk_.progress(id);
  if (pr != nullptr && pr->state == ProgressState::replicate) pr->become_probe();
}

}  // namespace cl::raft
