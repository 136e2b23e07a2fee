#include "raft/raw_node.hpp"

#include "util/assert.hpp"

namespace cl::raft {

util::Result<std::unique_ptr<RawNode>> RawNode::create(const Config& cfg) {
  CL_TRY_STATUS(cfg.validate());
  auto initial = cfg.storage->initial_state();
  if (!initial.is_ok()) return initial.status().with_context("reading the raft initial state");
  const HardState& hs = initial->hard_state;
  const Index first = cfg.storage->first_index();
  const Index last = cfg.storage->last_index();
  if (hs.commit > last)
    return util::corrupt(
        detail::cat("persisted commit index ", hs.commit, " is beyond the last log index ", last));
  if (cfg.applied > hs.commit)
    return util::corrupt(
        detail::cat("applied index ", cfg.applied, " is beyond the commit index ", hs.commit));
  if (cfg.applied + 1 < first)
    return util::corrupt(
        detail::cat("applied index ", cfg.applied, " is before the compacted log start ", first - 1));
  return std::make_unique<RawNode>(cfg, *initial);
}

RawNode::RawNode(const Config& cfg, const InitialState& initial)
    : raft_(cfg, initial), committed_bytes_per_ready_max_(cfg.committed_bytes_per_ready_max) {
  prev_soft_ = SoftState{raft_.leader(), raft_.role()};
  prev_hard_ = initial.hard_state;
}

void RawNode::tick() {
  raft_.tick();
}

util::Status RawNode::step(Message m) {
  if (m.to != raft_.id())
    return util::invalid_argument(detail::cat("message for node ", m.to, " delivered to node ", raft_.id()));
  if (m.from == kNoNode || m.from == raft_.id())
    return util::invalid_argument(detail::cat("message from invalid sender ", m.from));
  if (static_cast<std::uint8_t>(m.type) < 1 || static_cast<std::uint8_t>(m.type) > 11)
    return util::invalid_argument(
        detail::cat("unknown message type ", static_cast<unsigned>(static_cast<std::uint8_t>(m.type))));
  return raft_.step(std::move(m));
}

util::Result<EntryId> RawNode::propose(std::string data) {
  return raft_.propose(std::move(data));
}
util::Result<EntryId> RawNode::propose_conf_change(const ConfChange& cc) {
  return raft_.propose_conf_change(cc);
}
util::Status RawNode::read_index(std::string context) {
  return raft_.read_index(std::move(context));
}
util::Status RawNode::transfer_leader(NodeId to) {
  return raft_.transfer_leader(to);
}
void RawNode::campaign() {
  raft_.campaign();
}
void RawNode::report_unreachable(NodeId id) {
  raft_.report_unreachable(id);
}
void RawNode::report_snapshot_failed(NodeId id) {
  raft_.report_snapshot_failed(id);
}

bool RawNode::has_ready() {
  if (awaiting_advance_) return false;
  raft_.flush_proposals();
  const Log& log = raft_.raft_log();
  return SoftState{raft_.leader(), raft_.role()} != prev_soft_ || raft_.hard_state() != prev_hard_ ||
         log.unstable().snapshot() || !log.unstable().entries().empty() || !raft_.msgs().empty() ||
         log.has_next_committed() || !raft_.read_states().empty() || !raft_.snapshot_chunks().empty();
}

Ready RawNode::ready() {
  CL_ASSERT(!awaiting_advance_, "RawNode::ready() called again before advance()");
  raft_.flush_proposals();
  Ready rd;
  SoftState soft{raft_.leader(), raft_.role()};
  if (soft != prev_soft_) {
    rd.soft_state = soft;
    prev_soft_ = soft;
  }
  Log& log = raft_.log();
  const HardState hard = raft_.hard_state();
  if (hard != prev_hard_) {
    rd.hard_state = hard;
    prev_hard_ = hard;
  }
  handed_entries_.clear();
  handed_snapshot_.reset();
  handed_conf_changes_.clear();
  handed_committed_last_ = 0;
  handed_committed_bytes_ = 0;
  // The entries after a received snapshot come in the same Ready (installed first): this Ready's
  // messages may acknowledge them, so they must be persisted with it.
  if (const auto& snap = log.unstable().snapshot()) {
    rd.snapshot = *snap;
    handed_snapshot_ = *snap;
  }
  rd.entries = log.unstable().entries();
  for (const auto& e : rd.entries) add_to_runs(handed_entries_, e);
  rd.snapshot_chunks = std::move(raft_.snapshot_chunks());
  raft_.snapshot_chunks().clear();
  rd.messages = std::move(raft_.msgs());
  raft_.msgs().clear();
  rd.committed_entries = log.next_committed(committed_bytes_per_ready_max_);
  for (const auto& e : rd.committed_entries) {
    if (e.type == EntryType::conf_change)
      handed_conf_changes_.push_back(e);
    else
      handed_committed_bytes_ += e.data.size();
  }
  if (!rd.committed_entries.empty()) handed_committed_last_ = rd.committed_entries.back().index;
  rd.read_states = std::move(raft_.read_states());
  raft_.read_states().clear();
  awaiting_advance_ = true;
  return rd;
}

void RawNode::advance() {
  CL_ASSERT(awaiting_advance_, "RawNode::advance() without a Ready");
  awaiting_advance_ = false;
  raft_.on_persisted(handed_entries_, handed_snapshot_);
  if (handed_committed_last_ != 0)
    raft_.on_applied(handed_committed_last_, handed_conf_changes_, handed_committed_bytes_);
}

RaftStatus RawNode::status() const {
  RaftStatus s;
  const Log& log = raft_.raft_log();
  s.id = raft_.id();
  s.role = raft_.role();
  s.term = raft_.term();
  s.vote = raft_.vote();
  s.leader = raft_.leader();
  s.commit = log.committed();
  s.applied = log.applied();
  s.first_index = log.first_index();
  s.last_index = log.last_index();
  s.conf = raft_.tracker().conf();
  s.lead_transferee = raft_.lead_transferee();
  if (raft_.role() != Role::leader) {
    s.ticks_since_leader_contact = raft_.ticks() - raft_.last_leader_contact_tick();
    return s;
  }
  for (const auto& [id, pr] : raft_.tracker().all()) {
    PeerProgress p;
    p.id = id;
    p.learner = pr.learner;
    p.match = pr.match;
    p.next = pr.next;
    p.state = pr.state;
    p.recent_active = pr.recent_active;
    p.ticks_since_contact = id == raft_.id() ? 0 : raft_.ticks() - pr.last_contact_tick;
    p.inflight_msgs = pr.inflights.count();
    p.pending_snapshot = pr.pending_snapshot;
    p.snapshot_offset = pr.snapshot_offset;
    s.peers.push_back(p);
  }
  return s;
}

}  // namespace cl::raft
