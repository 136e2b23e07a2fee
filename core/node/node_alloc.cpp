// Node: peer metrics (each peer pushes its own to the leader) and allocation at the leader.
#include <spdlog/spdlog.h>

#include "cluster/allocator.hpp"
#include "node/node.hpp"

namespace cl::node {

Json Node::local_metrics_json() const {
  Json tags = Json::object();
  for (const auto& [k, v] : opts_.config.tags) tags[k] = v;
  Json j{{"peer_id", peer_id_},
         {"tags", tags},
         {"numpin", local_numpin()},
         {"pinqueue", local_pinqueue()},
         {"max_pins", opts_.config.max_pins},
         {"storage_reserve", opts_.config.storage_reserve_bytes},
         {"ttl_ms", (opts_.config.metrics_interval * 3).count()}};
  if (auto free = local_freespace()) j["freespace"] = *free;
  return j;
}

void Node::push_metrics() {
  if (soft_.leader == raft::kNoNode || stopping_) return;
  metrics_next_push_ = clock_.monotonic() + opts_.config.metrics_interval;
  leader_call("metrics.push", local_metrics_json(), [this](util::Result<Json> r) {
    if (!r) log_->debug("pushing metrics: {}", r.status().message());
  });
}

void Node::record_metrics(const Json& j) {
  if (!j.is_object() || !j.contains("peer_id") || !j["peer_id"].is_string()) return;
  MetricsEntry e;
  e.metrics.numpin = j.value("numpin", std::uint64_t{0});
  e.metrics.pinqueue = j.value("pinqueue", std::uint64_t{0});
  if (j.contains("freespace") && j["freespace"].is_number_unsigned()) {
    e.metrics.freespace_bytes = j["freespace"].get<std::uint64_t>();
  }
  if (j.contains("tags") && j["tags"].is_object()) {
    for (const auto& [k, v] : j["tags"].items()) {
      if (v.is_string()) e.metrics.tags[k] = v.get<std::string>();
    }
  }
  e.quotas.max_pins = j.value("max_pins", std::uint64_t{0});
  e.quotas.storage_reserve_bytes = j.value("storage_reserve", std::uint64_t{0});
  e.received_ms = clock_.wall().count();
  e.expires = clock_.monotonic() + util::Millis(j.value("ttl_ms", std::int64_t{90'000}));
  metrics_[j["peer_id"].get<std::string>()] = std::move(e);
}

cluster::PeerTable Node::peer_table() const {
  cluster::PeerTable table;
  const auto st = raft_->status();
  const auto now = clock_.monotonic();
  const auto down_ticks = static_cast<std::uint64_t>(
      2 * std::max<std::int64_t>(2, opts_.config.election_timeout / opts_.config.heartbeat_interval));
  for (const auto& p : st.peers) {
    const auto* info = peers_.by_node(p.id);
    if (info == nullptr) continue;
    cluster::PeerState ps;
    ps.is_down = p.id != node_id_ && p.ticks_since_contact > down_ticks;
    auto m = metrics_.find(info->peer_id);
    if (p.id == node_id_) {
      // Our own metrics are always current.
      MetricsEntry self;
      Json j = local_metrics_json();
      ps.metrics = cluster::PeerMetrics{};
      ps.metrics->tags = opts_.config.tags;
      ps.metrics->numpin = j["numpin"].get<std::uint64_t>();
      ps.metrics->pinqueue = j["pinqueue"].get<std::uint64_t>();
      if (j.contains("freespace")) ps.metrics->freespace_bytes = j["freespace"].get<std::uint64_t>();
      ps.quotas.max_pins = static_cast<std::uint64_t>(opts_.config.max_pins);
      ps.quotas.storage_reserve_bytes = opts_.config.storage_reserve_bytes;
    } else if (m != metrics_.end() && m->second.expires > now) {
      ps.metrics = m->second.metrics;
      ps.quotas = m->second.quotas;
    }
    table[info->peer_id] = std::move(ps);
  }
  return table;
}

util::Result<pin::Pin> Node::allocate(pin::Pin request, const std::optional<pin::Pin>& existing) {
  auto req = cluster::request_for(request);
  req.current_allocations = existing ? existing->allocations : std::vector<std::string>{};
  auto a = cluster::allocate(req, peer_table(), allocate_by_);
  if (!a) return a.status();
  request.allocations = a->everywhere ? std::vector<std::string>{} : a->peers;
  return request;
}

}  // namespace cl::node
