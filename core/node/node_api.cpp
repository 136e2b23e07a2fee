// Node: the local socket — identity, health and peers.
#include <spdlog/spdlog.h>

#include "api/server.hpp"
#include "identity/peer_id.hpp"
#include "net/transport.hpp"
#include "node/api_util.hpp"
#include "node/node.hpp"
#include "node/peer_json.hpp"
#include "util/time.hpp"
#include "util/version.hpp"

namespace cl::node {

std::string Node::api_socket_path() const {
  return opts_.socket_path.empty() ? opts_.home + "/raftd.sock" : opts_.socket_path;
}

util::Status Node::open_api() {
  api::ServerOptions so;
  so.path = api_socket_path();
  api_ = std::make_unique<api::Server>(io_, so);
  register_api();
  register_pin_api();
  register_state_api();
  register_status_api();
  return api_->start();
}

namespace {
const char* role_name(const raft::ConfState& conf, raft::NodeId id, raft::NodeId leader) {
  if (id == leader) return "leader";
  if (raft::is_voter(conf, id)) return "voter";
  if (raft::is_learner(conf, id)) return "follower";
  return "removed";
}
}  // namespace

Json Node::id_json() const {
  Json peers = Json::array();
  for (const auto& p : peers_.all()) peers.push_back(p.peer_id);
  const auto st = raft_->status();
  return Json{{"id", peer_id_},
              {"addresses", Json::array({advertise_})},
              {"version", std::string(util::version())},
              {"cluster_peers", peers},
              {"ipfs", Json{{"api", opts_.config.ipfs_api}, {"addresses", self_info().ipfs_addrs}}},
              {"raft", Json{{"node_id", node_id_},
                            {"role", raft::role_name(st.role)},
                            {"term", st.term},
                            {"leader", leader_peer_id()},
                            {"commit", st.commit},
                            {"applied", store_->applied_index()}}}};
}

Json Node::health_json() const {
  const auto st = raft_->status();
  std::string status = "ok";
  if (!store_error_.is_ok()) {
    status = "degraded";
  } else if (st.leader == raft::kNoNode) {
    status = "no_leader";
  }
  Json j{{"status", status},
         {"peer_id", peer_id_},
         {"role", raft::role_name(st.role)},
         {"leader", leader_peer_id()},
         {"term", st.term},
         {"commit", st.commit},
         {"applied", store_->applied_index()},
         {"voters", st.conf.voters.size()},
         {"learners", st.conf.learners.size()}};
  if (!store_error_.is_ok()) j["error"] = store_error_.message();
  return j;
}

// What the leader knows of every member: role, replication, contact, health and metrics (with
// their age and whether they expired).
Json Node::leader_peer_view() const {
  const auto st = raft_->status();
  const auto wall_ms = clock_.wall().count();
  const auto reports = peer_reports();
  Json out = Json::array();
  for (const auto& p : st.peers) {
    const auto* info = peers_.by_node(p.id);
    Json j{{"peer_id", info ? info->peer_id : ""},
           {"role", role_name(st.conf, p.id, st.id)},
           {"match", p.match},
           {"last_contact_ms",
            p.id == node_id_ ? 0 : static_cast<std::int64_t>(p.ticks_since_contact * tick_.count())},
           {"health", p.id == node_id_ || p.recent_active ? "ok" : "unreachable"}};
    if (info) {
      auto r = reports.find(info->peer_id);
      if (r != reports.end() && cluster::report_is_down(r->second)) {
        j["health"] = r->second.contact_lost ? "down" : "metrics_expired";
        if (auto d = monitor_.down_for(info->peer_id)) j["down_ms"] = d->count();
      }
      if (r != reports.end() && r->second.metrics) {
        const auto& m = *r->second.metrics;
        std::int64_t age_ms = 0;
        if (auto e = metrics_.find(info->peer_id); e != metrics_.end() && p.id != node_id_) {
          age_ms = std::max<std::int64_t>(0, wall_ms - e->second.received_ms);
          j["metrics_received"] = util::format_rfc3339(util::Millis(e->second.received_ms));
        }
        Json mj{{"numpin", m.numpin},
                {"pinqueue", m.pinqueue},
                {"tags", m.tags},
                {"max_pins", r->second.quotas.max_pins},
                {"storage_reserve", r->second.quotas.storage_reserve_bytes},
                {"age_ms", age_ms},
                {"expired", r->second.metrics_expired}};
        if (m.freespace_bytes) mj["freespace"] = *m.freespace_bytes;
        j["metrics"] = std::move(mj);
      }
      // The pins the pinset allocates to the peer (its IPFS's count is metrics.numpin).
      if (r != reports.end() && r->second.allocated) {
        j["numpin"] = *r->second.allocated;
      } else if (r != reports.end() && r->second.metrics) {
        j["numpin"] = r->second.metrics->numpin;
      }
    }
    out.push_back(j);
  }
  return out;
}

// One line per peer: the directory merged with the leader's view.
Json Node::peers_json(const Json& leader_view) const {
  Json out = Json::array();
  for (const auto& p : peers_.all()) {
    Json j = peer_to_json(p);
    j["role"] = "unknown";
    j["health"] = "unknown";
    for (const auto& v : leader_view) {
      if (v.value("peer_id", "") == p.peer_id) {
        for (const auto& [k, val] : v.items()) j[k] = val;
      }
    }
    out.push_back(std::move(j));
  }
  return out;
}

void Node::register_api() {
  api_->handle("id", [this](api::Request, std::shared_ptr<api::Call> call) { call->reply(id_json()); });
  api_->handle("version", [](api::Request, std::shared_ptr<api::Call> call) {
    call->reply(Json{{"version", std::string(util::version())}});
  });
  api_->handle("health",
               [this](api::Request, std::shared_ptr<api::Call> call) { call->reply(health_json()); });
  api_->handle("peers.ls", [this](api::Request, std::shared_ptr<api::Call> call) {
    leader_call("peers.view", Json::object(), [this, call](util::Result<Json> view) {
      // Without a leader, still list what this peer knows.
      stream_items(call, peers_json(view ? *view : Json::array()));
    });
  });
  // Alerts about peers (down, metrics_expired, over_quota, low_space) and the last hour's repins,
  // from the leader's monitor; empty when all is well.
  api_->handle("peers.health", [this](api::Request, std::shared_ptr<api::Call> call) {
    leader_call("peers.health", Json::object(), [call](util::Result<Json> r) {
      if (!r) return call->fail(r.status());
      stream_items(call, std::move(*r));
    });
  });
  api_->handle("peers.rm", [this](api::Request req, std::shared_ptr<api::Call> call) {
    if (!req.params.contains("peer_id") || !req.params["peer_id"].is_string()) {
      return call->fail(util::invalid_argument("peers.rm needs \"peer_id\""));
    }
    auto pid = identity::PeerId::parse(req.params["peer_id"].get<std::string>());
    if (!pid) return call->fail(pid.status());
    leader_call("peers.rm", Json{{"peer_id", pid->to_string()}},
                [call](util::Result<Json> r) { answer(call, std::move(r)); });
  });
}

}  // namespace cl::node
