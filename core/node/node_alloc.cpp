// Node: peer metrics (each peer pushes its own to the leader every metrics_interval, with a TTL of
// three intervals) and allocation at the leader.
#include <spdlog/spdlog.h>

#include "cluster/allocator.hpp"
#include "node/node.hpp"
#include "node/pin_page.hpp"

namespace cl::node {

namespace {
constexpr std::size_t kTagsMax = 64;                        // tags kept per peer
constexpr std::uint64_t kMetricsTtlMaxMs = 3 * 86'400'000;  // 3 x the longest metrics_interval
}  // namespace

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

namespace {

// A non-negative integer field of a metrics push; 0 when absent or of another type (a push from
// another version must not stop the leader).
std::uint64_t uint_field(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

}  // namespace

void Node::record_metrics(const Json& j) {
  if (!j.is_object() || !j.contains("peer_id") || !j["peer_id"].is_string()) return;
  const auto peer_id = j["peer_id"].get<std::string>();
  if (peers_.by_peer(peer_id) == nullptr) return;  // only members: the book stays bounded
  MetricsEntry e;
  e.metrics.numpin = uint_field(j, "numpin");
  e.metrics.pinqueue = uint_field(j, "pinqueue");
  if (j.contains("freespace") && j["freespace"].is_number_unsigned()) {
    e.metrics.freespace_bytes = j["freespace"].get<std::uint64_t>();
  }
  if (j.contains("tags") && j["tags"].is_object()) {
    for (const auto& [k, v] : j["tags"].items()) {
      if (v.is_string() && e.metrics.tags.size() < kTagsMax) e.metrics.tags[k] = v.get<std::string>();
    }
  }
  e.quotas.max_pins = uint_field(j, "max_pins");
  e.quotas.storage_reserve_bytes = uint_field(j, "storage_reserve");
  e.received_ms = clock_.wall().count();
  std::uint64_t ttl_ms = uint_field(j, "ttl_ms");
  if (ttl_ms == 0 || ttl_ms > kMetricsTtlMaxMs) ttl_ms = kMetricsTtlMaxMs;
  e.expires = clock_.monotonic() + util::Millis(static_cast<std::int64_t>(ttl_ms));
  metrics_[peer_id] = std::move(e);
}

// The allocation counts start with a pass over the pinset, a page per tick, on every peer (so a new
// leader has them), and again after a snapshot install or an import --replace.
void Node::counts_tick() {
  if (alloc_counts_.ready()) return;
  auto page = read_pin_page(*store_, counts_after_, kPinPageMax);
  if (!page) {
    log_->warn("counting allocations: {}", page.status().message());
    return;
  }
  for (std::size_t i = 0; i < page->pins.size(); ++i) alloc_counts_.count(page->keys[i], page->pins[i]);
  alloc_counts_.advance_to(page->next_after);
  counts_after_ = page->next_after;
  if (page->last) alloc_counts_.finish();
}

// The allocator's table: the monitor's judgement at the last observation (node_health.cpp), with
// the allocation counts as they are now (the observation may be a tick old: pins applied since
// count at once, so max_pins holds under a burst of pin.add).
cluster::PeerTable Node::peer_table() const {
  auto table = monitor_.table();
  if (alloc_counts_.ready()) {
    for (auto& [id, ps] : table) {
      if (ps.metrics) ps.metrics->numpin = alloc_counts_.allocated(id);
    }
  }
  return table;
}

util::Result<pin::Pin> Node::allocate(pin::Pin request, const std::optional<pin::Pin>& existing) {
  observe_peers();  // current liveness, also right after this peer became leader
  auto req = cluster::request_for(request);
  req.current_allocations = existing ? existing->allocations : std::vector<std::string>{};
  auto a = cluster::allocate(req, peer_table(), allocate_by_);
  if (!a) return a.status();
  request.allocations = a->everywhere ? std::vector<std::string>{} : a->peers;
  return request;
}

}  // namespace cl::node
