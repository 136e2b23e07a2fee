#include "checker.hpp"

#include "raft/conf_change.hpp"

namespace cl::sim {

using raft::Entry;
using raft::Index;
using raft::NodeId;
using raft::Term;

namespace {
std::string str(std::uint64_t v) {
  return std::to_string(v);
}
std::uint64_t slot_key(Index i, Term t) {
  if (t >= (1u << 20)) throw SimFailure("term " + str(t) + " too large for the checker");
  return (i << 20) | t;
}
}  // namespace

std::uint64_t entry_hash(const Entry& e) {
  std::uint64_t h = 1469598103934665603ULL ^ static_cast<std::uint64_t>(e.type);
  for (unsigned char c : e.data) h = (h ^ c) * 1099511628211ULL;
  return h;
}

std::uint64_t chain(std::uint64_t state, std::uint64_t h) {
  std::uint64_t x = state ^ (h + 0x9e3779b97f4a7c15ULL + (state << 6) + (state >> 2));
  x ^= x >> 31;
  return x * 0xbf58476d1ce4e5b9ULL;
}

Checker::Checker(const std::vector<Entry>& bootstrap) {
  for (const auto& e : bootstrap) {
    record_committed(e.index, e, 1);
    slots_[slot_key(e.index, e.term)] = Slot{entry_hash(e), e.index == 1 ? 0 : bootstrap[e.index - 2].term};
  }
}

void Checker::fail(const std::string& what) const {
  throw SimFailure("tick " + str(tick_) + ": " + what);
}

Term Checker::committed_term(Index i) const {
  if (i == 0 || i > committed_.size() || !committed_[i - 1].known) return 0;
  return committed_[i - 1].term;
}

void Checker::on_hard_state(NodeId id, const raft::HardState& before, const raft::HardState& after) {
  const std::string who = "node " + str(id);
  if (after.term < before.term) fail(who + " lowered its persisted term from " + str(before.term));
  if (after.term == before.term && before.vote != raft::kNoNode && after.vote != before.vote)
    fail("election safety: " + who + " changed its vote in term " + str(after.term) + " from " +
         str(before.vote) + " to " + str(after.vote));
  if (after.commit < before.commit)
    fail(who + " lowered its persisted commit from " + str(before.commit) + " to " + str(after.commit));
  if (after.term > max_term_) max_term_ = after.term;
}

void Checker::on_append(NodeId id, const std::vector<Entry>& written, const raft::MemoryStorage& after,
                        Index durable_commit) {
  if (written.empty()) return;
  const std::string who = "node " + str(id);
  for (const auto& e : written) {
    if (e.index < after.first_index()) continue;  // skipped: already compacted
    auto prev = after.term(e.index - 1);
    const Term prev_term = prev.is_ok() ? *prev : 0;
    const std::uint64_t h = entry_hash(e);
    auto [it, inserted] = slots_.emplace(slot_key(e.index, e.term), Slot{h, prev_term});
    if (!inserted) {
      if (it->second.hash != h)
        fail("log matching: " + who + " holds a different entry at " + str(e.term) + "/" + str(e.index));
      if (prev.is_ok() && it->second.prev_term != prev_term)
        fail("log matching: " + who + " holds " + str(e.term) + "/" + str(e.index) + " after term " +
             str(prev_term) + ", elsewhere after term " + str(it->second.prev_term));
    }
    if (e.index <= durable_commit && committed_term(e.index) != 0 && committed_term(e.index) != e.term)
      fail("state machine safety: " + who + " overwrote committed index " + str(e.index) + " (term " +
           str(committed_term(e.index)) + ") with term " + str(e.term));
  }
  if (after.last_index() < durable_commit)
    fail("state machine safety: " + who + " truncated its log to " + str(after.last_index()) +
         " below its commit index " + str(durable_commit));
}

void Checker::record_committed(Index i, const Entry& e, Term commit_term) {
  if (committed_.size() < i) committed_.resize(i);
  Committed& c = committed_[i - 1];
  const std::uint64_t h = entry_hash(e);
  if (!c.known) {
    c.known = true;
    c.term = e.term;
    c.hash = h;
    Index& m = max_commit_by_term_[commit_term];
    if (i > m) m = i;
    if (e.type == raft::EntryType::conf_change) {
      auto cc = raft::decode_conf_change(e.data);
      if (cc.is_ok()) conf_changes_[i] = *cc;
    }
    advance_conf();
    return;
  }
  if (c.term != e.term || c.hash != h)
    fail("state machine safety: index " + str(i) + " committed as term " + str(c.term) + " and as term " +
         str(e.term));
}

void Checker::advance_conf() {
  while (conf_index_ < committed_.size() && committed_[conf_index_].known) {
    ++conf_index_;
    auto it = conf_changes_.find(conf_index_);
    if (it == conf_changes_.end()) continue;
    auto next = raft::apply_conf_change(conf_, it->second);
    if (next.is_ok()) conf_ = *next;
    conf_changes_.erase(it);
  }
}

void Checker::on_commit(NodeId id, Index from, Index to, Term term, const raft::MemoryStorage& st) {
  for (Index i = from + 1; i <= to; ++i) {
    if (i < st.first_index()) continue;  // covered by a snapshot it installed
    auto ents = st.entries(i, i + 1, UINT64_MAX);
    if (!ents.is_ok() || ents->empty())
      fail("node " + str(id) + " committed index " + str(i) + " it does not hold (log [" +
           str(st.first_index()) + "," + str(st.last_index()) + "], commit " + str(from) + " -> " + str(to) +
           ")");
    record_committed(i, ents->front(), term);
  }
}

void Checker::on_apply(NodeId id, const Entry& e, std::uint64_t state_after) {
  const Index i = e.index;
  if (i > committed_.size() || !committed_[i - 1].known)
    fail("node " + str(id) + " applied index " + str(i) + " that no node has committed");
  Committed& c = committed_[i - 1];
  if (c.term != e.term || c.hash != entry_hash(e))
    fail("state machine safety: node " + str(id) + " applied a different entry at index " + str(i));
  if (!c.applied) {
    c.applied = true;
    c.state = state_after;
  } else if (c.state != state_after) {
    fail("node " + str(id) + " reached a different state after applying index " + str(i));
  }
  if (e.data.rfind("live-", 0) == 0) live_applied_.insert(e.data);
}

void Checker::on_snapshot_installed(NodeId id, const raft::SnapshotMeta& meta, std::uint64_t state) {
  const Index i = meta.index;
  if (i > committed_.size() || !committed_[i - 1].known || committed_[i - 1].term != meta.term)
    fail("node " + str(id) + " installed a snapshot at " + str(meta.term) + "/" + str(i) +
         " that is not a committed entry");
  const Committed& c = committed_[i - 1];
  if (c.applied && c.state != state)
    fail("node " + str(id) + " installed a snapshot at " + str(i) +
         " whose state differs from the applied one");
}

void Checker::on_leader(NodeId id, Term term, const raft::MemoryStorage& st) {
  auto [it, inserted] = leaders_.emplace(term, id);
  if (!inserted && it->second != id)
    fail("election safety: nodes " + str(it->second) + " and " + str(id) + " are both leaders of term " +
         str(term));
  if (!inserted) return;
  if (term > max_term_) max_term_ = term;
  // Leader completeness: every entry committed in an earlier term is in its (persisted) log.
  Index need = 0;
  for (auto& [t, idx] : max_commit_by_term_) {
    if (t >= term) break;
    need = std::max(need, idx);
  }
  if (need == 0) return;
  if (need < st.first_index()) return;  // compacted: its snapshot covers it
  auto t = st.term(need);
  if (!t.is_ok() || *t != committed_term(need))
    fail("leader completeness: node " + str(id) + " leads term " + str(term) + " without committed entry " +
         str(committed_term(need)) + "/" + str(need));
}

void Checker::on_leader_commit(NodeId id, Index commit, const raft::ConfState& conf,
                               const std::function<bool(NodeId)>& holds) {
  std::size_t n = 0;
  for (NodeId v : conf.voters)
    if (holds(v)) ++n;
  if (n < conf.voters.size() / 2 + 1)
    fail("quorum: leader " + str(id) + " committed index " + str(commit) + " held durably by only " + str(n) +
         " of its " + str(conf.voters.size()) + " voters (learners must not count)");
}

void Checker::on_read(NodeId id, Index read_index, Index required) {
  if (read_index < required)
    fail("linearizability: node " + str(id) + " answered a read at index " + str(read_index) +
         " although index " + str(required) + " was committed before the read was asked");
}

}  // namespace cl::sim
