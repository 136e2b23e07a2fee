// Node: the Ready loop (see node.hpp for the order of operations).
#include <spdlog/spdlog.h>

#include <utility>

#include "net/transport.hpp"
#include "node/effects.hpp"
#include "node/node.hpp"
#include "raft/conf_change.hpp"

namespace cl::node {

void Node::schedule_ready() {
  if (ready_scheduled_ || stopped_) return;
  ready_scheduled_ = true;
  // Posted, not run now: every request and message that arrives meanwhile joins the same Ready,
  // so one transaction (one fsync) covers them all.
  io_.post([this] { process_ready(); });
}

void Node::process_ready() {
  ready_scheduled_ = false;
  if (stopped_ || ready_in_flight_) return;  // the Ready in flight loops on when it is done
  for (;;) {
    raft::Ready rd;
    if (stuck_ready_) {
      rd = std::move(*stuck_ready_);
      stuck_ready_.reset();
    } else {
      if (!raft_->has_ready()) return;
      rd = raft_->ready();
      if (rd.soft_state) on_soft_state(*rd.soft_state);
    }
    if (send_appends_early(rd)) {
      // The transport writes the appends in handlers it has just posted: persist after them, so
      // the followers' disk writes overlap ours. Until then requests and messages may be stepped
      // in (RawNode allows it between ready() and advance()), but no other Ready is taken.
      ready_in_flight_ = true;
      io_.post([this, rd = std::move(rd)]() mutable {
        ready_in_flight_ = false;
        if (!stopped_ && finish_ready(rd)) process_ready();
      });
      return;
    }
    if (!finish_ready(rd)) return;
  }
}

bool Node::send_appends_early(raft::Ready& rd) {
  // Raft thesis 10.2.1: a leader may write its log in parallel with replicating it, because it
  // counts itself towards a commit only once advance() reports its entries persisted
  // (Raft::self_ack); a crash before its write loses nothing a quorum relied on. So: only as a
  // leader whose term and vote this Ready does not change, only with entries to write (else there
  // is nothing to overlap), and only appends and heartbeats, which promise nothing about this
  // peer's disk. Everything else waits for the write as before.
  if (soft_.role != raft::Role::leader || rd.entries.empty() || rd.snapshot || !rd.snapshot_chunks.empty())
    return false;
  const auto& hs = store_->hard_state();
  if (rd.hard_state && (rd.hard_state->term != hs.term || rd.hard_state->vote != hs.vote)) return false;
  std::vector<raft::Message> early, later;
  for (auto& m : rd.messages) {
    const bool promise_free = m.type == raft::MessageType::append || m.type == raft::MessageType::heartbeat;
    (promise_free ? early : later).push_back(std::move(m));
  }
  rd.messages = std::move(later);
  if (early.empty()) return false;
  send_messages(early);
  return true;
}

bool Node::finish_ready(raft::Ready& rd) {
  Effects fx;
  fx.conf = store_->conf();
  fx.snapshot_installed = std::exchange(stuck_snapshot_installed_, std::nullopt);
  auto st = persist(rd, fx);
  if (!st) {
    if (store_error_.is_ok()) {
      log_->error("cannot persist: {} — refusing writes until this is fixed; retrying every tick",
                  st.message());
    }
    store_error_ = st;
    stuck_ready_ = std::move(rd);
    stuck_snapshot_installed_ = fx.snapshot_installed;
    // Answer now rather than at a timeout: the waiting writes may still be applied once the
    // Ready persists, so say so.
    proposals_.fail_all(util::Status(
        st.code(),
        "cannot write: " + st.message() + " (the request may still be applied once storage works)"));
    return false;
  }
  if (!store_error_.is_ok()) {
    log_->info("storage works again: accepting writes");
    store_error_ = util::Status::ok();
  }
  send_messages(rd.messages);
  after_commit(fx);
  serve_read_states(rd.read_states);
  raft_->advance();
  return !stopped_;
}

util::Status Node::persist(raft::Ready& rd, Effects& fx) {
  for (const auto& chunk : rd.snapshot_chunks) {
    CL_TRY_STATUS(store_->stage_snapshot_chunk(chunk.meta, chunk.offset, chunk.data));
  }
  if (rd.snapshot) {
    // A Ready with a snapshot carries no committed entries, but it may carry the entries that
    // follow the snapshot (raw_node.hpp): install first, then append them below, all before any
    // of this Ready's messages (which acknowledge them) leave.
    CL_ASSERT(rd.committed_entries.empty(), "a Ready with a snapshot carries no committed entries");
    CL_TRY_STATUS(store_->install_snapshot(*rd.snapshot, rd.hard_state));
    fx.snapshot_installed = rd.snapshot->index;
    log_->info("installed a snapshot at index {} ({} bytes) from the leader", rd.snapshot->index,
               rd.snapshot->size_bytes);
    rd.snapshot.reset();  // a retry of this Ready must not install it twice
    if (rd.entries.empty()) return util::Status::ok();
  }
  store::SaveBatch b;
  b.hard_state = rd.hard_state;
  b.entries = std::move(rd.entries);
  b.committed = std::move(rd.committed_entries);
  auto st = store_->save(b, [&](const raft::Entry& e, store::StateWriter& w) {
    CL_TRY_STATUS(apply_entry(e, w, fx));
    if (fx.conf_changed) b.conf = fx.conf;  // persisted with the applied index, after the entries
    return util::Status::ok();
  });
  if (!st.is_ok()) {  // hand the entries back: the Ready is retried as it was
    rd.entries = std::move(b.entries);
    rd.committed_entries = std::move(b.committed);
    return st;
  }
  return util::Status::ok();
}

util::Status Node::apply_entry(const raft::Entry& e, store::StateWriter& w, Effects& fx) {
  fx.applied.emplace_back(e.term, e.index);
  if (e.type != raft::EntryType::conf_change) {
    RecordingWriter rw(w, fx);
    auto r = cluster::apply_command(e.data, rw, &fx);
    if (!r) return r.status();
    if (r->malformed) log_->warn("entry {} skipped: {}", e.index, r->error);
    return util::Status::ok();
  }
  auto cc = raft::decode_conf_change(e.data);
  if (!cc) {
    log_->warn("entry {}: {}", e.index, cc.status().message());
    return util::Status::ok();
  }
  auto next = raft::apply_conf_change(fx.conf, *cc);
  if (!next) {
    log_->warn("entry {}: membership change {} does not apply: {}", e.index, raft::describe(*cc),
               next.status().message());
    return util::Status::ok();
  }
  fx.conf = std::move(*next);
  fx.conf_changed = true;
  if (cc->type == raft::ConfChangeType::remove) {
    // The context of a removal is the peer ID (node_membership.cpp).
    CL_TRY_STATUS(w.del(store::Ns::peers, cc->context));
    fx.peer_removed(cc->context);
    if (cc->node == node_id_) fx.self_removed = true;
  } else if (cc->type != raft::ConfChangeType::promote_to_voter) {
    auto info = pin::decode_peer(cc->context);
    if (!info) {
      log_->warn("entry {}: membership change without peer information: {}", e.index,
                 info.status().message());
    } else {
      CL_TRY_STATUS(w.put(store::Ns::peers, info->peer_id, cc->context));
      fx.peer_set(*info);
    }
  }
  log_->info("membership: {} -> {}", raft::describe(*cc), raft::describe(fx.conf));
  return util::Status::ok();
}

void Node::send_messages(std::vector<raft::Message>& messages) {
  for (auto& m : messages) {
    const auto* peer = peers_.by_node(m.to);
    const std::string* to = peer != nullptr ? &peer->peer_id : nullptr;
    if (to == nullptr) {
      auto route = reply_routes_.find(m.to);
      if (route != reply_routes_.end()) to = &route->second;
    }
    if (to == nullptr) {
      log_->debug("no address for raft node {}: message dropped", m.to);
      raft_->report_unreachable(m.to);
      continue;
    }
    const bool snapshot = m.type == raft::MessageType::snapshot;
    if (!send_frame(*to, encode_frame(m))) {
      raft_->report_unreachable(m.to);
      if (snapshot) raft_->report_snapshot_failed(m.to);
    }
  }
}

void Node::after_commit(Effects& fx) {
  if (fx.snapshot_installed) {
    proposals_.snapshot_installed(*fx.snapshot_installed);
    auto st = peers_.load(*store_);
    if (!st.is_ok()) log_->error("reading peers after the snapshot: {}", st.message());
    for (const auto& p : peers_.all()) {
      if (p.peer_id != peer_id_ && !p.addr.empty()) (void)transport_->set_peer_address(p.peer_id, p.addr);
    }
  }
  for (const auto& p : fx.peers_set) {
    peers_.set(p);
    if (p.peer_id != peer_id_ && !p.addr.empty()) {
      auto st = transport_->set_peer_address(p.peer_id, p.addr);
      if (!st.is_ok()) log_->warn("peer {}: {}", p.peer_id, st.message());
    }
  }
  for (const auto& id : fx.peers_removed) forget_peer(id);
  if (fx.snapshot_installed || !fx.peers_set.empty() || !fx.peers_removed.empty()) update_swarm_targets();
  tell_tracker(fx);
  count_changes(fx);  // node_counts.cpp: pins allocated to each peer
  for (const auto& [term, index] : fx.applied) proposals_.applied(term, index);
  fire_apply_waiters();
  if (fx.self_removed) stop_self("this peer was removed from the cluster (cl-peers rm)");
}

void Node::on_soft_state(const raft::SoftState& soft) {
  const bool was_leader = soft_.role == raft::Role::leader;
  const bool leader_changed = soft.leader != soft_.leader;
  if (leader_changed && soft_.leader != raft::kNoNode && soft_.leader != node_id_) {
    // Calls forwarded to the old leader will not be answered: send them to the next one.
    if (const auto* old = peers_.by_node(soft_.leader)) rpc_->peer_down(old->peer_id);
  }
  soft_ = soft;
  if (leader_changed) {
    const auto* info = peers_.by_node(soft.leader);
    if (soft.leader == raft::kNoNode) {
      log_->info("no leader (term {})", raft_->term());
    } else {
      log_->info("leader is {} (term {}){}",
                 info ? info->peer_id : "raft node " + std::to_string(soft.leader), raft_->term(),
                 soft.leader == node_id_ ? ": this peer" : "");
    }
  }
  if (was_leader && soft.role != raft::Role::leader) {
    // ReadIndex requests die silently with leadership: answer them.
    auto reads = std::move(reads_);
    reads_.clear();
    for (auto& [ctx, done] : reads) done(util::unavailable("leadership changed during a read; retry"));
  }
  if (soft.leader != raft::kNoNode) {
    io_.post([this] { flush_waiting_for_leader(); });
    if (leader_changed) io_.post([this] { push_metrics(); });  // the new leader needs our metrics
  }
}

}  // namespace cl::node
