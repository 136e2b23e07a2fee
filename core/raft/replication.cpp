// Raft: log replication (5.3), commitment (5.4.2), proposals, heartbeats.
#include "raft/raft.hpp"

#include <algorithm>

#include "util/assert.hpp"

namespace cl::raft {

void Raft::append_entry(EntryType type, std::string&& data) {
  if (type == EntryType::normal) uncommitted_bytes_ += data.size();
  Entry e{term_, log_.last_index() + 1, type, std::move(data)};
  log_.append(std::move(e));
  pending_bcast_ = true;
}

util::Result<EntryId> Raft::propose(std::string&& data) {
  if (role_ != Role::leader) {
    if (lead_ == kNoNode)
      return util::Status(util::Code::not_leader, "not the leader; no leader is known yet");
    return util::Status(util::Code::not_leader, detail::cat("not the leader; the leader is node ", lead_));
  }
  if (lead_transferee_ != kNoNode)
    return util::unavailable(
        detail::cat("leadership transfer to node ", lead_transferee_, " in progress; retry"));
  if (cfg_.max_uncommitted_bytes != 0 && uncommitted_bytes_ > 0 &&
      uncommitted_bytes_ + data.size() > cfg_.max_uncommitted_bytes)
    return util::resource_exhausted(detail::cat(
        "proposal of ", data.size(), " bytes refused: ", uncommitted_bytes_,
        " bytes are already waiting to commit (limit ", cfg_.max_uncommitted_bytes, "); retry later"));
  append_entry(EntryType::normal, std::move(data));
  return EntryId{term_, log_.last_index()};
}

void Raft::flush_proposals() {
  if (!pending_bcast_) return;
  pending_bcast_ = false;
  if (role_ == Role::leader) bcast_append();
}

bool Raft::send_append(NodeId to, Progress& pr, bool send_if_empty) {
  if (pr.paused()) return false;
  const Index prev = pr.next - 1;
  auto prev_term = log_.term(prev);
  if (!prev_term.is_ok()) {
    start_snapshot(to, pr);  // the follower needs entries we compacted
    return false;
  }
  auto ents = log_.slice(pr.next, log_.last_index() + 1, cfg_.bytes_per_msg_max, cfg_.entries_per_msg_max);
  if (!ents.is_ok()) {
    start_snapshot(to, pr);
    return false;
  }
  if (ents->empty() && !send_if_empty) return false;
  std::uint64_t bytes = 0;
  for (const auto& e : *ents) bytes += entry_size_bytes(e);
  const std::size_t n = ents->size();
  const Index last = n == 0 ? prev : ents->back().index;
  Message m;
  m.type = MessageType::append;
  m.to = to;
  m.log_index = prev;
  m.log_term = *prev_term;
  m.commit = log_.committed();
  m.context = pr.flow_epoch;
  pr.commit_sent = std::max(pr.commit_sent, m.commit);
  m.entries = std::move(ents).value();
  pr.sent_entries(last, n, bytes);
  send(std::move(m));
  return true;
}

void Raft::bcast_append() {
  for (auto& [id, pr] : trk_.all()) {
    if (id == id_) continue;
    // Fill the pipeline: several messages when batching limits split what is new.
    if (send_append(id, pr, true))
      while (send_append(id, pr, false)) {
      }
  }
}

void Raft::send_heartbeat(NodeId to, Progress& pr) {
  Message m;
  m.type = MessageType::heartbeat;
  m.to = to;
  // Never tell a follower a commit index beyond what it is known to hold.
  m.commit = std::min(pr.match, log_.committed());
  pr.commit_sent = std::max(pr.commit_sent, m.commit);
  m.context = read_round_;
  send(std::move(m));
}

void Raft::bcast_heartbeat() {
  for (auto& [id, pr] : trk_.all())
    if (id != id_) send_heartbeat(id, pr);
}

void Raft::handle_append(Message& m) {
  Message resp;
  resp.type = MessageType::append_resp;
  resp.to = m.from;
  resp.context = m.context;
  if (m.log_index < log_.committed()) {
    // Everything up to our commit index is known good; start from there.
    resp.index = log_.committed();
    send(std::move(resp));
    return;
  }
  const std::size_t n = m.entries.size();
  if (auto last = log_.maybe_append(m.log_index, m.log_term, m.commit, std::move(m.entries),
                                    planted(PlantedBug::no_truncate))) {
    resp.index = *last;
    send(std::move(resp));
    return;
  }
  // Consistency check failed: hint where our logs may agree, so the leader skips a whole term of
  // mismatches in one round trip instead of one entry per round trip.
  const Index hint_index = std::min(m.log_index, log_.last_index());
  auto [hint, hint_term] = log_.find_conflict_by_term(hint_index, m.log_term);
  CL_RAFT_LOG(debug, "rejected append at ", m.log_term, "/", m.log_index, " (", n, " entries) from ", m.from,
              ": hint ", hint_term, "/", hint);
  resp.index = m.log_index;
  resp.reject = true;
  resp.reject_hint = hint;
  resp.log_term = hint_term;
  send(std::move(resp));
}

void Raft::handle_append_response(const Message& m, Progress& pr) {
  if (m.reject) {
    if (m.context != pr.flow_epoch) return;  // answers an append sent before our last state change
    Index next_probe = m.reject_hint;
    if (m.log_term > 0) next_probe = log_.find_conflict_by_term(m.reject_hint, m.log_term).first;
    if (pr.maybe_decr_to(m.index, next_probe)) {
      CL_RAFT_LOG(debug, "append to ", m.from, " rejected at ", m.index, "; next ", pr.next);
      if (pr.state == ProgressState::replicate) pr.become_probe();
      send_append(m.from, pr, true);
    }
    return;
  }
  if (!pr.maybe_update(m.index) && !(pr.match == m.index && pr.state == ProgressState::probe)) return;
  switch (pr.state) {
    case ProgressState::probe:
      pr.become_replicate();
      break;
    case ProgressState::snapshot:
      if (pr.match >= pr.pending_snapshot || pr.match + 1 >= log_.first_index()) {
        CL_RAFT_LOG(info, "follower ", m.from, " caught up through the snapshot at ", pr.pending_snapshot);
        pr.become_probe();
        pr.become_replicate();
      }
      break;
    case ProgressState::replicate:
      pr.inflights.free_le(m.index);
      break;
  }
  if (maybe_commit()) bcast_append();  // tells everyone the new commit index
  bool sent = false;
  while (send_append(m.from, pr, false)) sent = true;
  // It may not know the commit index yet (it was paused when commit moved): tell it now.
  if (!sent && pr.commit_sent < log_.committed()) send_append(m.from, pr, true);
  maybe_send_timeout_now(m.from, pr);
}

void Raft::handle_heartbeat(const Message& m) {
  log_.commit_to(m.commit);
  Message resp;
  resp.type = MessageType::heartbeat_resp;
  resp.to = m.from;
  resp.context = m.context;
  send(std::move(resp));
}

void Raft::handle_heartbeat_response(const Message& m, Progress& pr) {
  pr.probe_sent = false;
  // All acknowledgements may have been lost with a full window: let one more message go, which
  // the follower accepts or rejects (a reject moves us to probe).
  if (pr.state == ProgressState::replicate && pr.inflights.full()) pr.inflights.free_first();
  if (pr.match < log_.last_index() || pr.match < log_.committed()) send_append(m.from, pr, true);
  if (m.context > pr.read_round_acked) pr.read_round_acked = m.context;
  release_confirmed_reads();
}

bool Raft::maybe_commit() {
  const Index mci = trk_.committed_index(planted(PlantedBug::learner_quorum));
  // PLANTED BUG commit_prev_term: commit whatever a quorum holds, whatever its term.
  if (!log_.maybe_commit(mci, term_, planted(PlantedBug::commit_prev_term))) return false;
  on_commit_advanced();
  return true;
}

void Raft::on_commit_advanced() {
  release_reads_waiting_commit();
}

void Raft::self_ack() {
  Progress* self = trk_.progress(id_);
  if (self == nullptr) return;
  if (self->maybe_update(log_.stable_last_index()) && maybe_commit()) bcast_append();
}

void Raft::on_persisted(const std::vector<TermRun>& handed_entries,
                        const std::optional<SnapshotMeta>& snapshot) {
  if (snapshot) {
    log_.stable_snap_to(*snapshot);
    if (snapshot->index > log_.applied()) log_.applied_to(snapshot->index);
  }
  if (!handed_entries.empty()) log_.stable_to(handed_entries);
  if (role_ == Role::leader) self_ack();
}

void Raft::on_applied(Index applied, const std::vector<Entry>& applied_conf_changes,
                      std::uint64_t applied_bytes) {
  log_.applied_to(applied);
  if (role_ == Role::leader) uncommitted_bytes_ -= std::min(uncommitted_bytes_, applied_bytes);
  for (const auto& e : applied_conf_changes) apply_conf_change_entry(e);
}

}  // namespace cl::raft
