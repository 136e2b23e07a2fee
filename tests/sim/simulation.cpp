// Simulation: the main loop, the workload (proposals, reads, membership changes, transfers,
// compaction), the faults (partitions, crashes) and the liveness phase.
#include "simulation.hpp"

#include <cstdio>

namespace cl::sim {

using raft::Index;
using raft::NodeId;

namespace {
int pick(util::Rng& rng, std::initializer_list<int> values) {
  auto i = rng.below(values.size());
  return *(values.begin() + static_cast<std::ptrdiff_t>(i));
}
}  // namespace

Simulation::Simulation(const Options& options)
    : opt_(options), rng_(options.seed), checker_([&] {
        raft::ConfState conf;
        for (NodeId i = 1; i <= options.nodes; ++i) conf.voters.push_back(i);
        return raft::bootstrap_entries(conf);
      }()) {
  raft::ConfState conf;
  for (NodeId i = 1; i <= opt_.nodes; ++i) conf.voters.push_back(i);
  bootstrap_ = raft::bootstrap_entries(conf);

  // Raft limits: small and varied, so that batching, windows and chunking all come into play.
  base_.election_ticks = 10;
  base_.heartbeat_ticks = pick(rng_, {1, 1, 2, 3});
  base_.pre_vote = rng_.chance(4, 5);
  base_.check_quorum = rng_.chance(4, 5);
  base_.entries_per_msg_max = static_cast<std::uint64_t>(pick(rng_, {1, 2, 4, 16, 256}));
  base_.bytes_per_msg_max = static_cast<std::uint64_t>(pick(rng_, {64, 200, 4096, 1 << 20}));
  base_.inflight_msgs_max = static_cast<std::size_t>(pick(rng_, {1, 2, 4, 32, 256}));
  base_.snapshot_chunk_bytes = static_cast<std::uint64_t>(pick(rng_, {7, 16, 50, 4096}));
  base_.snapshot_chunk_timeout_ticks = pick(rng_, {2, 5, 10});
  // Always bounded: without it a leader that cannot commit (cut off without check-quorum) piles up
  // a log the next leader must replicate before anything commits again.
  base_.max_uncommitted_bytes = static_cast<std::uint64_t>(pick(rng_, {200, 1000, 4096}));
  base_.planted_bug = opt_.planted_bug;

  // Fault and workload rates (per mille per tick unless noted).
  storm_.loss_pm = pick(rng_, {0, 10, 50, 150});
  storm_.dup_pm = pick(rng_, {0, 10, 50});
  storm_.max_delay_rounds = pick(rng_, {0, 2, 6, 16});
  storm_.disk_max_delay_rounds = pick(rng_, {0, 1, 3, 8});
  storm_.partition_pm = pick(rng_, {2, 5, 10});
  storm_.heal_pm = pick(rng_, {10, 30, 80});
  storm_.crash_pm = pick(rng_, {1, 3, 8});
  storm_.max_down_ticks = pick(rng_, {5, 30, 150});
  storm_.compact_pm = pick(rng_, {5, 30, 100});
  storm_.conf_pm = pick(rng_, {2, 5, 15});
  storm_.transfer_pm = pick(rng_, {1, 3, 10});
  storm_.read_pm = pick(rng_, {20, 100, 300});
  storm_.propose_pm = pick(rng_, {100, 400, 900});
  storm_.skew_pm = pick(rng_, {0, 20, 100});
  storm_.leader_kill_pm = pick(rng_, {0, 300, 1000, 1000});
  prof_ = storm_;
  outstanding_max_ = static_cast<std::uint64_t>(pick(rng_, {4, 16, 64}));

  for (NodeId i = 1; i <= opt_.nodes; ++i) add_node(i, true);
  next_id_ = opt_.nodes + 1;
}

void Simulation::trace(const std::string& line) {
  if (opt_.trace) std::fprintf(stderr, "[%llu] %s\n", static_cast<unsigned long long>(tick_), line.c_str());
}

NodeId Simulation::leader() const {
  NodeId best = raft::kNoNode;
  raft::Term best_term = 0;
  for (const auto& [id, n] : nodes_) {
    if (!n.up || n.raw->role() != raft::Role::leader) continue;
    if (n.raw->term() >= best_term) {
      best = id;
      best_term = n.raw->term();
    }
  }
  return best;
}

void Simulation::tick_once(bool with_faults) {
  ++tick_;
  if (opt_.trace && tick_ % 50 == 0) {
    std::string h = "messages sent by type:";
    for (std::size_t t = 1; t < 12; ++t)
      h += " " + std::string(raft::message_type_name(static_cast<raft::MessageType>(t))) + "=" +
           std::to_string(stats_.sent_by_type[t]);
    trace(h);
  }
  checker_.set_tick(tick_);
  if (with_faults) {
    faults();
    workload();
    membership();
  }
  retire_unwanted(!with_faults);
  for (auto& [id, n] : nodes_) {
    if (!n.up) continue;
    if (prof_.skew_pm && rng_.chance(prof_.skew_pm, 1000)) continue;  // a slow clock skips a tick
    n.raw->tick();
    observe(n);
  }
  for (std::uint64_t r = 0; r < kRoundsPerTick; ++r) {
    round_ = tick_ * kRoundsPerTick + r;
    leader_killer();
    deliver_due();
    for (auto& [id, n] : nodes_) poll_ready(n);
  }
}

void Simulation::workload() {
  const NodeId lead = leader();
  // Client proposals, mostly to the leader, some to whoever (refused with not_leader). Clients
  // wait for their requests: at most outstanding_max_ entries beyond the leader's commit index.
  for (int k = 0; k < 3; ++k) {
    if (!rng_.chance(prof_.propose_pm, 1000)) continue;
    if (lead != raft::kNoNode) {
      const auto& l = nodes_.at(lead).raw;
      if (l->last_index() - l->commit_index() >= outstanding_max_) break;
    }
    NodeId target = lead;
    if (target == raft::kNoNode || rng_.chance(1, 5)) {
      auto it = nodes_.begin();
      std::advance(it, static_cast<std::ptrdiff_t>(rng_.below(nodes_.size())));
      target = it->first;
    }
    SimNode& n = nodes_.at(target);
    if (!n.up) continue;
    const std::size_t size = rng_.chance(1, 10) ? 60 + rng_.below(200) : rng_.below(12);
    std::string data = "p" + std::to_string(++proposal_seq_) + std::string(size, 'x');
    auto r = n.raw->propose(std::move(data));
    if (r.is_ok()) ++stats_.proposals_accepted;
    observe(n);
  }
  if (lead != raft::kNoNode && rng_.chance(prof_.read_pm, 1000)) {
    SimNode& n = nodes_.at(lead);
    std::string ctx = "r" + std::to_string(++read_seq_);
    if (n.raw->read_index(ctx).is_ok()) n.reads[ctx] = checker_.max_committed();
  }
  if (lead != raft::kNoNode && rng_.chance(prof_.transfer_pm, 1000)) {
    SimNode& n = nodes_.at(lead);
    const auto& voters = n.raw->conf().voters;
    if (!voters.empty()) {
      const NodeId to = voters[rng_.below(voters.size())];
      if (n.raw->transfer_leader(to).is_ok()) {
        ++stats_.transfers;
        trace("transfer " + std::to_string(lead) + " -> " + std::to_string(to));
      }
    }
  }
  for (auto& [id, n] : nodes_)
    if (n.up && rng_.chance(prof_.compact_pm, 1000 * nodes_.size())) compact(n);
}

void Simulation::membership() {
  const NodeId lead = leader();
  if (lead == raft::kNoNode || !rng_.chance(prof_.conf_pm, 1000)) return;
  SimNode& l = nodes_.at(lead);
  const raft::ConfState conf = l.raw->conf();
  const std::size_t lo = opt_.nodes > 1 ? opt_.nodes - 1 : 1, hi = opt_.nodes + 1;
  raft::ConfChange cc;
  switch (rng_.below(4)) {
    case 0:
      if (conf.learners.size() >= 2) return;
      cc = {raft::ConfChangeType::add_learner, next_id_, "sim"};
      break;
    case 1:
      if (conf.learners.empty() || conf.voters.size() >= hi) return;
      cc = {raft::ConfChangeType::promote_to_voter, conf.learners[rng_.below(conf.learners.size())], {}};
      break;
    case 2: {
      if (conf.voters.size() <= lo) return;
      // Now and then the leader removes itself.
      const NodeId v = rng_.chance(1, 3) ? lead : conf.voters[rng_.below(conf.voters.size())];
      cc = {raft::ConfChangeType::remove, v, {}};
      break;
    }
    default:
      if (conf.learners.empty()) return;
      cc = {raft::ConfChangeType::remove, conf.learners[rng_.below(conf.learners.size())], {}};
      break;
  }
  auto r = l.raw->propose_conf_change(cc);
  observe(l);
  if (!r.is_ok()) return;
  trace("conf change " + raft::describe(cc) + " at " + std::to_string(r->index));
  if (cc.type == raft::ConfChangeType::add_learner) add_node(next_id_++, false);
}

void Simulation::retire_unwanted(bool at_once) {
  const raft::ConfState& conf = checker_.committed_conf();
  for (auto& [id, n] : nodes_) {
    if (n.retired) continue;
    const bool member = raft::is_voter(conf, id) || raft::is_learner(conf, id);
    const bool joining = tick_ < n.created_tick + 300;
    if (member || joining) {
      n.unwanted_since = 0;
      continue;
    }
    if (n.unwanted_since == 0) n.unwanted_since = tick_;
    if (at_once || tick_ - n.unwanted_since >= 20) retire(n);
  }
}

void Simulation::faults() {
  // Calm and stormy phases alternate so that the cluster also gets to make progress.
  if (tick_ >= phase_end_) {
    stormy_ = !stormy_;
    phase_end_ = tick_ + 100 + rng_.below(stormy_ ? 1500 : 500);
    prof_ = storm_;
    if (!stormy_) {
      prof_.leader_kill_pm = 0;
      prof_.loss_pm /= 10;
      prof_.dup_pm /= 10;
      prof_.partition_pm = 0;
      prof_.crash_pm = 0;
      prof_.heal_pm = 200;
    }
  }
  if (!blocked_.empty() && rng_.chance(prof_.heal_pm, 1000)) {
    blocked_.clear();
    trace("heal");
  }
  std::vector<NodeId> up;
  for (auto& [id, n] : nodes_)
    if (!n.retired && n.up) up.push_back(id);
  if (rng_.chance(prof_.partition_pm, 1000) && up.size() > 1) {
    ++stats_.partitions;
    blocked_.clear();
    const NodeId lead = leader();
    switch (rng_.below(4)) {
      case 0: {  // cut one node (often the leader) off in both directions
        const NodeId x = lead != raft::kNoNode && rng_.chance(1, 2) ? lead : up[rng_.below(up.size())];
        for (NodeId y : up)
          if (y != x) blocked_.insert({x, y}), blocked_.insert({y, x});
        trace("isolate " + std::to_string(x));
        break;
      }
      case 1: {  // a random split into two sides
        std::set<NodeId> side;
        for (NodeId y : up)
          if (rng_.chance(1, 2)) side.insert(y);
        for (NodeId a : up)
          for (NodeId b : up)
            if (side.count(a) != side.count(b)) blocked_.insert({a, b});
        trace("split");
        break;
      }
      case 2: {  // one-way cuts
        const std::uint64_t k = 1 + rng_.below(up.size());
        for (std::uint64_t i = 0; i < k; ++i) {
          NodeId a = up[rng_.below(up.size())], b = up[rng_.below(up.size())];
          if (a != b) blocked_.insert({a, b});
        }
        trace("one-way cuts");
        break;
      }
      default: {  // the leader can send but not hear (or the reverse)
        if (lead == raft::kNoNode) break;
        const bool deaf = rng_.chance(1, 2);
        for (NodeId y : up)
          if (y != lead) blocked_.insert(deaf ? std::make_pair(y, lead) : std::make_pair(lead, y));
        trace(deaf ? "leader deaf" : "leader mute");
        break;
      }
    }
  }
  if (rng_.chance(prof_.crash_pm, 1000) && !up.empty()) {
    const NodeId lead = leader();
    const NodeId x = lead != raft::kNoNode && rng_.chance(1, 2) ? lead : up[rng_.below(up.size())];
    SimNode& n = nodes_.at(x);
    crash(n);
    n.restart_tick = tick_ + 1 + rng_.below(static_cast<std::uint64_t>(prof_.max_down_ticks));
    ++stats_.crashes;
    trace("crash " + std::to_string(x));
  }
  for (auto& [id, n] : nodes_) {
    if (n.retired || n.up || tick_ < n.restart_tick) continue;
    start(n);
    trace("restart " + std::to_string(id));
  }
}

void Simulation::leader_killer() {
  for (auto& [id, n] : nodes_) {
    if (n.kill_round == 0 || n.kill_round > round_) continue;
    n.kill_round = 0;
    if (!n.up) continue;
    if (rng_.chance(1, 2)) {
      crash(n);
      n.restart_tick = tick_ + 1 + rng_.below(static_cast<std::uint64_t>(prof_.max_down_ticks));
      ++stats_.crashes;
      trace("leader killer: crash " + std::to_string(id));
    } else {
      for (const auto& [other, o] : nodes_)
        if (other != id) blocked_.insert({id, other}), blocked_.insert({other, id});
      ++stats_.partitions;
      trace("leader killer: isolate " + std::to_string(id));
    }
  }
}

void Simulation::heal_everything() {
  blocked_.clear();
  prof_ = storm_;
  prof_.loss_pm = 0;
  prof_.dup_pm = 0;
  prof_.max_delay_rounds = std::min(prof_.max_delay_rounds, 2);
  prof_.disk_max_delay_rounds = std::min(prof_.disk_max_delay_rounds, 1);
  prof_.skew_pm = 0;
  prof_.leader_kill_pm = 0;
  for (auto& [id, n] : nodes_) n.kill_round = 0;
  retire_unwanted(true);
  for (auto& [id, n] : nodes_)
    if (!n.retired && !n.up) start(n);
  trace("faults stop");
}

bool Simulation::liveness() {
  heal_everything();
  std::vector<std::string> attempts;
  std::uint64_t last_attempt = 0;
  NodeId attempt_leader = raft::kNoNode;
  for (std::uint64_t t = 1; t <= opt_.liveness_ticks; ++t) {
    tick_once(false);
    for (const auto& a : attempts)
      if (checker_.applied_live(a)) {
        stats_.liveness_ticks = t;
        return true;
      }
    const NodeId lead = leader();
    if (lead == raft::kNoNode) continue;
    if (attempts.empty() || lead != attempt_leader || t - last_attempt >= 30) {
      std::string data = "live-" + std::to_string(attempts.size());
      if (nodes_.at(lead).raw->propose(data).is_ok()) {
        attempts.push_back(data);
        last_attempt = t;
        attempt_leader = lead;
      }
    }
  }
  return false;
}

std::string Simulation::dump() const {
  std::string out = "\ncommitted conf " + raft::describe(checker_.committed_conf()) + ", committed index " +
                    std::to_string(checker_.max_committed());
  for (const auto& [id, n] : nodes_) {
    out += "\n  node " + std::to_string(id) + ": ";
    if (n.retired) {
      out += "retired";
      continue;
    }
    if (!n.up) {
      out += "down";
      continue;
    }
    auto st = n.raw->status();
    out += std::string(raft::role_name(st.role)) + " term " + std::to_string(st.term) + " leader " +
           std::to_string(st.leader) + " commit " + std::to_string(st.commit) + " applied " +
           std::to_string(st.applied) + " log [" + std::to_string(st.first_index) + "," +
           std::to_string(st.last_index) + "] " + raft::describe(st.conf) +
           (n.pending ? " (write pending)" : "");
    for (const auto& p : st.peers)
      out += "\n    " + std::to_string(p.id) + ": " + std::string(raft::progress_state_name(p.state)) +
             " match " + std::to_string(p.match) + " next " + std::to_string(p.next) + " inflight " +
             std::to_string(p.inflight_msgs) + " snapshot " + std::to_string(p.pending_snapshot) + "@" +
             std::to_string(p.snapshot_offset) + (p.recent_active ? " active" : "");
  }
  return out;
}

Result Simulation::run() {
  Result res;
  try {
    for (std::uint64_t t = 0; t < opt_.ticks; ++t) tick_once(true);
    if (!liveness()) {
      const NodeId lead = leader();
      res.ok = false;
      res.failure =
          "liveness: " +
          (lead == raft::kNoNode ? std::string("no leader")
                                 : "leader " + std::to_string(lead) + " did not commit a proposal") +
          " within " + std::to_string(opt_.liveness_ticks) + " ticks after the faults stopped" + dump();
    }
  } catch (const SimFailure& f) {
    res.ok = false;
    res.failure = f.what() + dump();
  }
  stats_.ticks = tick_;
  stats_.committed = checker_.max_committed();
  stats_.max_term = checker_.max_term_seen();
  res.stats = stats_;
  return res;
}

Result run(const Options& options) {
  Simulation sim(options);
  return sim.run();
}

}  // namespace cl::sim
