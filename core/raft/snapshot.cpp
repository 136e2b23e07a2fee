// Raft: InstallSnapshot in chunks (7). The leader reads the snapshot the application prepared
// through Storage and sends it one chunk at a time; the follower hands each in-order chunk to the
// application (Ready::snapshot_chunks) and, after the last one, installs it (Ready::snapshot).
#include "raft/raft.hpp"

namespace cl::raft {

void Raft::start_snapshot(NodeId to, Progress& pr) {
  if (!pr.recent_active) {
    CL_RAFT_LOG(debug, "snapshot for ", to, " postponed: not recently active");
    return;
  }
  auto meta = cfg_.storage->snapshot_meta();
  if (!meta.is_ok()) {
    CL_RAFT_LOG(debug, "snapshot for ", to, " postponed: ", meta.status().to_string());
    return;
  }
  if (meta->index + 1 < log_.first_index()) {
    // After installing it the follower would still miss entries we no longer have.
    CL_RAFT_LOG(debug, "snapshot for ", to, " postponed: the snapshot at ", meta->index,
                " is older than the log start ", log_.first_index());
    return;
  }
  CL_RAFT_LOG(info, "sending snapshot at ", meta->term, "/", meta->index, " (", meta->size_bytes,
              " bytes) to ", to, " (match ", pr.match, ", next ", pr.next, ")");
  pr.become_snapshot(meta->index);
  send_snapshot_chunk(to, pr);
}

void Raft::send_snapshot_chunk(NodeId to, Progress& pr) {
  auto meta = cfg_.storage->snapshot_meta();
  util::Result<SnapshotChunk> chunk = util::not_found("snapshot replaced");
  if (meta.is_ok() && meta->index == pr.pending_snapshot)
    chunk = cfg_.storage->snapshot_chunk(pr.pending_snapshot, pr.snapshot_offset, cfg_.snapshot_chunk_bytes);
  if (!chunk.is_ok()) {
    // The application replaced or lost the snapshot: start over once the follower answers a probe.
    CL_RAFT_LOG(info, "snapshot at ", pr.pending_snapshot, " for ", to,
                " abandoned: ", chunk.status().to_string());
    pr.become_probe();
    pr.probe_sent = true;
    return;
  }
  Message m;
  m.type = MessageType::snapshot;
  m.to = to;
  m.snapshot = std::move(meta).value();
  m.offset = pr.snapshot_offset;
  m.data = std::move(chunk->data);
  m.last = chunk->last;
  pr.chunk_in_flight = true;
  pr.chunk_sent_tick = ticks_;
  send(std::move(m));
}

void Raft::resend_stalled_chunks() {
  for (auto& [id, pr] : trk_.all()) {
    if (id == id_ || pr.state != ProgressState::snapshot || !pr.chunk_in_flight) continue;
    if (ticks_ - pr.chunk_sent_tick >= static_cast<std::uint64_t>(cfg_.snapshot_chunk_timeout_ticks))
      send_snapshot_chunk(id, pr);
  }
}

void Raft::handle_snapshot_response(const Message& m, Progress& pr) {
  if (pr.state != ProgressState::snapshot || m.index != pr.pending_snapshot) return;  // stale
  if (m.reject) {
    pr.snapshot_offset = m.offset;  // the follower starts over (or resumes) at m.offset
  } else if (m.offset > pr.snapshot_offset) {
    pr.snapshot_offset = m.offset;
  } else {
    return;  // a duplicate acknowledgement
  }
  send_snapshot_chunk(m.from, pr);
}

void Raft::handle_snapshot(Message& m) {
  const SnapshotMeta& meta = m.snapshot;
  auto reply_committed = [&] {
    Message resp;
    resp.type = MessageType::append_resp;
    resp.to = m.from;
    resp.index = log_.committed();
    send(std::move(resp));
  };
  if (meta.index <= log_.committed()) {
    reply_committed();  // we already have everything it holds
    return;
  }
  if (log_.unstable().snapshot()) {
    // A snapshot we received is waiting to be installed: a chunk of another one now would reach
    // the application's staging area before that install. The sender resends after its timeout.
    CL_RAFT_LOG(debug, "ignored snapshot chunk from ", m.from, ": installing ",
                log_.unstable().snapshot()->index);
    return;
  }
  const bool same_transfer =
      staging_meta_ && *staging_meta_ == meta && staging_from_ == m.from && staging_term_ == m.term;
  if (m.offset == 0) {
    staging_meta_ = meta;
    staging_from_ = m.from;
    staging_term_ = m.term;
    staging_offset_ = 0;
  } else if (!same_transfer || m.offset != staging_offset_) {
    Message resp;
    resp.type = MessageType::snapshot_resp;
    resp.to = m.from;
    resp.index = meta.index;
    if (same_transfer && m.offset < staging_offset_) {
      resp.offset = staging_offset_;  // a duplicate: just say where we are
    } else {
      resp.offset = same_transfer ? staging_offset_ : 0;
      resp.reject = true;
    }
    send(std::move(resp));
    return;
  }
  staging_offset_ += m.data.size();
  const bool last = m.last;
  chunks_in_.push_back(SnapshotChunkIn{meta, m.offset, std::move(m.data), last});
  if (!last) {
    Message resp;
    resp.type = MessageType::snapshot_resp;
    resp.to = m.from;
    resp.index = meta.index;
    resp.offset = staging_offset_;
    send(std::move(resp));
    return;
  }
  staging_meta_.reset();
  if (log_.match_term(meta.index, meta.term)) {
    // Our log already has the snapshot's last entry: the staged copy is not needed.
    CL_RAFT_LOG(info, "fast-forwarded commit to ", meta.index, " instead of installing the snapshot");
    log_.commit_to(meta.index);
  } else {
    restore(meta);
  }
  reply_committed();
}

void Raft::restore(const SnapshotMeta& meta) {
  CL_RAFT_LOG(info, "installing snapshot at ", meta.term, "/", meta.index, ", ", describe(meta.conf));
  log_.restore(meta);
  apply_conf_state(meta.conf);
  conf_applied_index_ = meta.index;
}

void Raft::report_snapshot_failed(NodeId id) {
  if (role_ != Role::leader) return;
  Progress* pr = trk_.progress(id);
  if (pr == nullptr || pr->state != ProgressState::snapshot) return;
  CL_RAFT_LOG(info, "snapshot to ", id, " failed; will retry");
  pr->become_probe();
  pr->probe_sent = true;  // wait for a heartbeat answer before trying again
}

}  // namespace cl::raft
