// Node: joining, learner promotion, removal and address updates.
#include <spdlog/spdlog.h>

#include "identity/peer_id.hpp"
#include "net/transport.hpp"
#include "node/node.hpp"
#include "node/peer_json.hpp"

namespace cl::node {

void Node::register_membership_rpc() {
  // A member told us we were removed (the leader stops replicating to a removed peer, so the
  // entry itself may never reach us).
  rpc_->handle("peer.removed", [this](const std::string& from, Json, PeerRpc::Respond respond) {
    respond(Json::object());
    if (peers_.by_peer(from) == nullptr) return;
    const auto conf = raft_->status().conf;
    log_->warn("peer {} says this peer was removed from the cluster", from);
    io_.post([this] { stop_self("this peer was removed from the cluster (cl-peers rm)"); });
  });
}

void Node::try_join() {
  const auto now = clock_.monotonic();
  if (!opts_.join || now < join_next_try_) return;
  join_next_try_ = now + std::chrono::seconds(3);
  const std::string addr = *opts_.join;
  transport_->connect(addr, [this, addr](util::Result<std::string> member) {
    if (!member) {
      log_->warn("join: cannot reach {}: {} (retrying)", addr, member.status().message());
      return;
    }
    rpc_->call(*member, "leader.call", Json{{"method", "peer.join"}, {"params", peer_to_json(self_info())}},
               util::Millis(15000), [this, addr](util::Result<Json> r) {
                 if (joined_) return;
                 if (!r) {
                   log_->warn("join through {}: {} (retrying)", addr, r.status().message());
                   return;
                 }
                 joined_ = true;
                 log_->info("joined the cluster through {} as a learner; catching up", addr);
               });
  });
}

void Node::check_learners() {
  const auto st = raft_->status();
  if (st.lead_transferee != raft::kNoNode) return;
  if (static_cast<std::int64_t>(st.conf.voters.size()) >= opts_.config.voters_max) return;
  for (const auto& p : st.peers) {
    if (!p.learner || !p.recent_active || p.match < st.commit) continue;
    raft::ConfChange cc{raft::ConfChangeType::promote_to_voter, p.id, {}};
    auto r = raft_->propose_conf_change(cc);
    if (r) {
      const auto* info = peers_.by_node(p.id);
      log_->info("promoting learner {} to voter ({} voters of at most {})",
                 info ? info->peer_id : std::to_string(p.id), st.conf.voters.size(), opts_.config.voters_max);
      schedule_ready();
    }
    return;  // one change at a time
  }
}

void Node::announce_self_if_changed() {
  if (!joined_ || !store_error_.is_ok() || soft_.leader == raft::kNoNode) return;
  const auto* stored = peers_.by_peer(peer_id_);
  const auto mine = self_info();
  if (stored != nullptr && stored->addr == mine.addr && stored->version == mine.version &&
      stored->ipfs_addrs == mine.ipfs_addrs) {
    return;
  }
  if (stored == nullptr && !raft::is_voter(raft_->status().conf, node_id_) &&
      !raft::is_learner(raft_->status().conf, node_id_)) {
    return;  // not a member (yet): the join carries our information
  }
  leader_call("peer.update", peer_to_json(mine), [this](util::Result<Json> r) {
    if (!r) log_->debug("updating this peer's address: {}", r.status().message());
  });
}

void Node::handle_join(const Json& params, PeerRpc::Respond respond) {
  auto info = peer_from_json(params);
  if (!info) {
    respond(info.status());
    return;
  }
  if (info->addr.empty()) {
    respond(util::invalid_argument("peer " + info->peer_id + " did not say where to reach it"));
    return;
  }
  const auto conf = raft_->status().conf;
  if (raft::is_voter(conf, info->node_id) || raft::is_learner(conf, info->node_id)) {
    const auto* known = peers_.by_node(info->node_id);
    if (known != nullptr && known->peer_id != info->peer_id) {
      respond(util::already_exists("raft node id of " + info->peer_id + " collides with " + known->peer_id));
      return;
    }
    respond(Json{{"leader", peer_id_}, {"already_member", true}});  // a retried join
    return;
  }
  raft::ConfChange cc{raft::ConfChangeType::add_learner, info->node_id, pin::encode_peer(*info)};
  log_->info("peer {} at {} asks to join: adding it as a learner", info->peer_id, info->addr);
  propose_conf_change(cc, [this, respond](util::Status st) {
    if (!st.is_ok()) {
      respond(st);
      return;
    }
    respond(Json{{"leader", peer_id_}});
  });
}

void Node::leader_peers_rm(Json params, Reply done) {
  if (!params.contains("peer_id") || !params["peer_id"].is_string()) {
    done(util::invalid_argument("peers.rm needs a \"peer_id\""));
    return;
  }
  auto pid = identity::PeerId::parse(params["peer_id"].get<std::string>());
  if (!pid) {
    done(pid.status());
    return;
  }
  const std::string id = pid->to_string();
  const raft::NodeId node = identity::raft_node_id(*pid);
  const auto conf = raft_->status().conf;
  if (!raft::is_voter(conf, node) && !raft::is_learner(conf, node)) {
    done(util::not_found("peer " + id + " is not a cluster member (see cl-peers ls)"));
    return;
  }
  if (raft::is_voter(conf, node) && conf.voters.size() == 1) {
    done(util::failed_precondition("peer " + id +
                                   " is the last voter; a cluster cannot remove its last voter"));
    return;
  }
  raft::ConfChange cc{raft::ConfChangeType::remove, node, id};
  log_->info("removing peer {}", id);
  propose_conf_change(cc, [done, id](util::Status st) {
    if (!st.is_ok()) {
      done(st);
      return;
    }
    done(Json{{"peer_id", id}, {"removed", true}});
  });
}

}  // namespace cl::node
