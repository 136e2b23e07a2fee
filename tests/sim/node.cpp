// Simulation: one node's lifecycle (start, crash, restart, retire), its application, and the
// handling of its Readys — persisted after a random disk delay, during which the node keeps
// receiving messages and ticking; a crash before the write completes loses the whole Ready.
#include "simulation.hpp"

#include "raft/conf_change.hpp"
#include "util/bytes.hpp"

namespace cl::sim {

using raft::Index;
using raft::NodeId;

std::string encode_state(const AppState& s) {
  std::string out;
  util::put_uvarint(out, s.applied);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((s.hash >> (8 * i)) & 0xff));
  util::put_uvarint(out, s.conf.voters.size());
  for (NodeId v : s.conf.voters) util::put_uvarint(out, v);
  util::put_uvarint(out, s.conf.learners.size());
  for (NodeId v : s.conf.learners) util::put_uvarint(out, v);
  // Padding, so that snapshots span several chunks.
  const std::size_t pad = 16 + (s.applied * 7) % 113;
  util::put_uvarint(out, pad);
  out.append(pad, static_cast<char>('a' + s.applied % 26));
  return out;
}

std::optional<AppState> decode_state(const std::string& bytes) {
  AppState s;
  std::size_t pos = 0;
  auto applied = util::get_uvarint(bytes, pos);
  if (!applied || pos + 8 > bytes.size()) return std::nullopt;
  s.applied = *applied;
  for (int i = 0; i < 8; ++i)
    s.hash |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[pos + i])) << (8 * i);
  pos += 8;
  for (auto* list : {&s.conf.voters, &s.conf.learners}) {
    auto n = util::get_uvarint(bytes, pos);
    if (!n || *n > 1000) return std::nullopt;
    for (std::uint64_t i = 0; i < *n; ++i) {
      auto v = util::get_uvarint(bytes, pos);
      if (!v) return std::nullopt;
      list->push_back(*v);
    }
  }
  auto pad = util::get_uvarint(bytes, pos);
  if (!pad || pos + *pad != bytes.size()) return std::nullopt;
  return s;
}

raft::Config Simulation::node_config(NodeId id, Index applied) {
  raft::Config c = base_;
  c.id = id;
  c.applied = applied;
  c.seed = rng_.next();
  return c;
}

SimNode& Simulation::add_node(NodeId id, bool bootstrap) {
  SimNode& n = nodes_[id];
  n.id = id;
  n.created_tick = tick_;
  n.storage = std::make_unique<raft::MemoryStorage>();
  if (bootstrap) {
    if (!n.storage->append(bootstrap_).is_ok()) throw SimFailure("bootstrap append failed");
    n.storage->set_hard_state(raft::HardState{1, raft::kNoNode, bootstrap_.size()});
  }
  start(n);
  return n;
}

void Simulation::start(SimNode& n) {
  raft::Config c = node_config(n.id, n.app.applied);
  c.storage = n.storage.get();
  auto raw = raft::RawNode::create(c);
  if (!raw.is_ok())
    throw SimFailure("tick " + std::to_string(tick_) + ": node " + std::to_string(n.id) +
                     " cannot restart: " + raw.status().to_string());
  n.raw = std::move(raw).value();
  n.up = true;
  n.pending.reset();
  n.staging.clear();
  n.staging_meta.reset();
  n.leader_term_seen = 0;
  n.leader_commit_seen = 0;
  n.reads.clear();
}

void Simulation::crash(SimNode& n) {
  n.kill_round = 0;
  n.up = false;
  n.raw.reset();
  n.pending.reset();  // the write in flight never happened
  n.staging.clear();
  n.staging_meta.reset();
  n.reads.clear();
}

void Simulation::retire(SimNode& n) {
  trace("retire " + std::to_string(n.id));
  crash(n);
  n.retired = true;
}

void Simulation::compact(SimNode& n) {
  raft::MemoryStorage& st = *n.storage;
  const Index applied = n.app.applied;
  if (applied < st.first_index()) return;
  if (!st.create_snapshot(applied, n.app.conf, encode_state(n.app)).is_ok()) return;
  const Index keep = rng_.below(8);
  const Index upto = applied > keep ? applied - keep : 0;
  if (!st.compact(upto).is_ok()) throw SimFailure("compaction failed");
  ++stats_.compactions;
}

void Simulation::poll_ready(SimNode& n) {
  if (!n.up) return;
  if (n.pending) {
    if (n.pending_due <= round_) complete_ready(n);
    return;
  }
  if (!n.raw->has_ready()) return;
  n.pending = n.raw->ready();
  n.pending_due = round_ + rng_.below(static_cast<std::uint64_t>(prof_.disk_max_delay_rounds) + 1);
  if (n.pending_due <= round_) complete_ready(n);
}

void Simulation::complete_ready(SimNode& n) {
  raft::Ready rd = std::move(*n.pending);
  n.pending.reset();
  raft::MemoryStorage& st = *n.storage;
  const raft::HardState before = st.hard_state();
  const std::string who = "tick " + std::to_string(tick_) + ": node " + std::to_string(n.id);

  for (auto& c : rd.snapshot_chunks) {
    if (c.offset == 0) {
      n.staging.clear();
      n.staging_meta = c.meta;
    }
    if (!n.staging_meta || *n.staging_meta != c.meta || n.staging.size() != c.offset)
      throw SimFailure(who + " was handed a snapshot chunk out of order (offset " + std::to_string(c.offset) +
                       ")");
    n.staging += c.data;
  }
  if (rd.snapshot) {
    const raft::SnapshotMeta& meta = *rd.snapshot;
    if (!n.staging_meta || *n.staging_meta != meta || n.staging.size() != meta.size_bytes)
      throw SimFailure(who + " was told to install snapshot " + std::to_string(meta.term) + "/" +
                       std::to_string(meta.index) + " (" + std::to_string(meta.size_bytes) +
                       " bytes) but staged " +
                       (n.staging_meta ? std::to_string(n.staging_meta->term) + "/" +
                                             std::to_string(n.staging_meta->index) + " (" +
                                             std::to_string(n.staging.size()) + " bytes)"
                                       : std::string("nothing")));
    auto state = decode_state(n.staging);
    if (!state || state->applied != meta.index || state->conf != meta.conf)
      throw SimFailure(who + " staged a corrupt snapshot at " + std::to_string(meta.index));
    checker_.on_snapshot_installed(n.id, meta, state->hash);
    st.apply_snapshot(meta, n.staging);
    n.app = *state;
    n.staging.clear();
    n.staging_meta.reset();
    ++stats_.snapshots_installed;
  }
  if (!rd.entries.empty()) {
    auto r = st.append(rd.entries);
    if (!r.is_ok()) throw SimFailure(who + " could not persist entries: " + r.to_string());
    checker_.on_append(n.id, rd.entries, st, before.commit);
  }
  if (rd.hard_state) {
    checker_.on_hard_state(n.id, before, *rd.hard_state);
    st.set_hard_state(*rd.hard_state);
    if (rd.hard_state->commit > before.commit)
      checker_.on_commit(n.id, before.commit, rd.hard_state->commit, rd.hard_state->term, st);
  }
  // The leader killer also strikes a leader right after it persisted a new commit index, with
  // the messages announcing it still in flight.
  if (rd.hard_state && rd.hard_state->commit > before.commit && n.raw->role() == raft::Role::leader &&
      prof_.leader_kill_pm && rng_.chance(static_cast<std::uint64_t>(prof_.leader_kill_pm) * 3, 10000))
    n.kill_round = round_ + 1;
  for (auto& m : rd.messages) send(std::move(m));
  for (const auto& e : rd.committed_entries) {
    if (e.index != n.app.applied + 1)
      throw SimFailure(who + " was handed committed entry " + std::to_string(e.index) + " after applying " +
                       std::to_string(n.app.applied));
    n.app.hash = chain(n.app.hash, entry_hash(e));
    n.app.applied = e.index;
    if (e.type == raft::EntryType::conf_change) {
      auto cc = raft::decode_conf_change(e.data);
      if (!cc.is_ok()) throw SimFailure(who + " applied a corrupt conf change");
      auto next = raft::apply_conf_change(n.app.conf, *cc);
      if (next.is_ok()) {
        n.app.conf = *next;
        ++stats_.conf_changes_applied;
      }
    }
    checker_.on_apply(n.id, e, n.app.hash);
  }
  st.set_conf_state(n.app.conf);
  for (const auto& r : rd.read_states) {
    auto it = n.reads.find(r.context);
    if (it == n.reads.end()) throw SimFailure(who + " answered a read it was never asked: " + r.context);
    checker_.on_read(n.id, r.index, it->second);
    n.reads.erase(it);
    ++stats_.reads_checked;
  }
  n.raw->advance();
  observe(n);
}

bool Simulation::holds(NodeId voter, Index index, raft::Term term) const {
  auto it = nodes_.find(voter);
  if (it == nodes_.end()) return false;
  const raft::MemoryStorage& st = *it->second.storage;
  if (index < st.first_index()) return index <= st.first_index() - 1;  // in its snapshot
  auto t = st.term(index);
  return t.is_ok() && *t == term;
}

void Simulation::observe(SimNode& n) {
  if (!n.up || n.raw->role() != raft::Role::leader) return;
  const raft::Term term = n.raw->term();
  if (term != n.leader_term_seen) {
    checker_.on_leader(n.id, term, *n.storage);
    n.leader_term_seen = term;
    n.leader_commit_seen = n.raw->commit_index();
    trace("leader " + std::to_string(n.id) + " term " + std::to_string(term));
    // The leader killer: strike a new leader within a few rounds, while its first entries are
    // half replicated (the situation of the paper's figure 8).
    if (prof_.leader_kill_pm && rng_.chance(prof_.leader_kill_pm, 1000))
      n.kill_round = round_ + 1 + rng_.below(3 * kRoundsPerTick);
  }
  const Index commit = n.raw->commit_index();
  if (commit <= n.leader_commit_seen) return;
  n.leader_commit_seen = commit;
  auto t = n.storage->term(commit);
  if (!t.is_ok())
    throw SimFailure("tick " + std::to_string(tick_) + ": leader " + std::to_string(n.id) +
                     " committed index " + std::to_string(commit) + " it has not persisted");
  if (*t != term) ++stats_.old_term_commits;
  checker_.on_leader_commit(n.id, commit, n.raw->conf(), [&](NodeId v) { return holds(v, commit, *t); });
}

}  // namespace cl::sim
