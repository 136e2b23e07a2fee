// Node: the leader's monitor. Every tick, each peer pushes its metrics to the leader when due (and
// at once to a new leader); the leader turns Raft contact and those metrics into PeerReports,
// feeds them to its cluster::Monitor (liveness, grace, alerts), then runs the repin and expiry
// loops. Followers keep no monitor: peers.health and peers.ls are answered by the leader.
#include <spdlog/spdlog.h>

#include "node/node.hpp"
#include "util/time.hpp"

namespace cl::node {

void Node::alloc_tick() {
  const auto now = clock_.monotonic();
  // A new leader knows no metrics: push at once rather than a metrics_interval later.
  if (now >= metrics_next_push_ || leader_peer_id() != metrics_pushed_to_) {
    metrics_pushed_to_ = leader_peer_id();
    push_metrics();
  }
  counts_tick();
  if (!is_leader()) {
    if (monitor_leading_) {
      monitor_.reset();
      metrics_.clear();  // a later term starts from fresh pushes
      monitor_leading_ = false;
      repin_ = {};
      repin_done_ = {};
      expiry_ = {};
      expiry_next_pass_ = util::Nanos{0};
      repin_proposing_ = expiry_proposing_ = false;  // their callbacks only touch these flags
    }
    return;
  }
  observe_peers();
  repin_tick();
  expiry_tick();
}

cluster::PeerReports Node::peer_reports() const {
  cluster::PeerReports reports;
  const auto st = raft_->status();
  const auto now = clock_.monotonic();
  // Lost contact: no message for two election timeouts (in ticks).
  const auto down_ticks = static_cast<std::uint64_t>(
      2 * std::max<std::int64_t>(2, opts_.config.election_timeout / opts_.config.heartbeat_interval));
  for (const auto& p : st.peers) {
    const auto* info = peers_.by_node(p.id);
    if (info == nullptr) continue;
    cluster::PeerReport r;
    if (p.id == node_id_) {
      r.self = true;
      cluster::PeerMetrics m;
      m.tags = opts_.config.tags;
      m.numpin = local_numpin();
      m.pinqueue = local_pinqueue();
      m.freespace_bytes = local_freespace();
      r.metrics = std::move(m);
      r.quotas.max_pins = static_cast<std::uint64_t>(opts_.config.max_pins);
      r.quotas.storage_reserve_bytes = opts_.config.storage_reserve_bytes;
    } else {
      r.contact_lost = p.ticks_since_contact > down_ticks;
      if (auto m = metrics_.find(info->peer_id); m != metrics_.end()) {
        r.metrics = m->second.metrics;
        r.quotas = m->second.quotas;
        r.metrics_expired = m->second.expires <= now;
      }
    }
    if (alloc_counts_.ready()) r.allocated = alloc_counts_.allocated(info->peer_id);
    reports.emplace(info->peer_id, std::move(r));
  }
  return reports;
}

void Node::observe_peers() {
  if (!is_leader()) return;
  if (monitor_leading_ && monitor_observed_tick_ == ticks_) return;  // once per tick is enough
  monitor_observed_tick_ = ticks_;
  monitor_leading_ = true;
  monitor_.observe(clock_.monotonic(), clock_.wall().count(), peer_reports());
}

Json Node::peers_health_json() const {
  Json out = Json::array();
  for (const auto& a : monitor_.alerts()) {
    out.push_back(Json{{"peer_id", a.peer_id},
                       {"alert", cluster::alert_kind_name(a.kind)},
                       {"since", util::format_rfc3339(util::Millis(a.since_ms))},
                       {"message", a.message}});
  }
  for (const auto& r : monitor_.repins(clock_.wall().count())) {
    out.push_back(Json{{"peer_id", r.peer_id},
                       {"alert", "repinned"},
                       {"moved", r.moved},
                       {"at", util::format_rfc3339(util::Millis(r.at_ms))}});
  }
  return out;
}

}  // namespace cl::node
