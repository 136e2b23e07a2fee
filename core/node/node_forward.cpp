// Node: writes run at the leader; a follower forwards them ("leader.call").
#include <spdlog/spdlog.h>

#include "node/node.hpp"
#include "node/peer_json.hpp"

namespace cl::node {

namespace {
constexpr util::Millis kForwardTimeout{15000};
}

void Node::register_leader_ops() {
  rpc_->handle("leader.call", [this](const std::string&, Json params, PeerRpc::Respond respond) {
    if (!is_leader()) {
      respond(util::Status(util::Code::not_leader, "this peer is not the leader"));
      return;
    }
    if (!params.is_object() || !params.contains("method") || !params["method"].is_string()) {
      respond(util::invalid_argument("leader.call without a method"));
      return;
    }
    run_leader_op(params["method"].get<std::string>(), params.value("params", Json::object()),
                  std::move(respond));
  });
}

util::Status Node::writable() const {
  if (stopping_) return util::unavailable("cl-raftd is shutting down");
  if (!store_error_.is_ok())
    return util::Status(store_error_.code(), "cannot write: " + store_error_.message());
  return util::Status::ok();
}

void Node::leader_call(const std::string& method, Json params, Reply done) {
  // Wait for a leader, and ride out a leader change, for a while: elections take about an
  // election timeout.
  const auto patience = std::max(opts_.config.election_timeout * 4, util::Millis(3000));
  leader_call_until(method, std::move(params), std::move(done), clock_.monotonic() + patience);
}

void Node::leader_call_until(const std::string& method, Json params, Reply done, util::Nanos deadline) {
  if (stopped_) {
    done(util::unavailable("cl-raftd is shutting down"));
    return;
  }
  if (is_leader()) {
    run_leader_op(method, std::move(params), std::move(done));
    return;
  }
  const std::string leader = leader_peer_id();
  if (leader.empty()) {
    waiting_for_leader_.push_back(WaitingCall{method, std::move(params), std::move(done), deadline});
    return;
  }
  Json body{{"method", method}, {"params", params}};
  rpc_->call(
      leader, "leader.call", body, kForwardTimeout,
      [this, leader, method, deadline, params = std::move(params),
       done = std::move(done)](util::Result<Json> r) mutable {
        // The leader changed or died under us (not_leader, or its link went): try the next
        // one, until the deadline. The operations are idempotent, so a retry of one the old
        // leader did apply changes nothing.
        const bool retry = !r && (r.code() == util::Code::not_leader || r.code() == util::Code::unavailable);
        if (retry && !stopped_ && clock_.monotonic() < deadline) {
          waiting_for_leader_.push_back(WaitingCall{method, std::move(params), std::move(done), deadline});
          // A new leader is known: go now. Otherwise the next leader change flushes the
          // queue, or a retry in a moment does (the same leader, after a broken link).
          if (soft_.leader != raft::kNoNode && leader_peer_id() != leader) {
            io_.post([this] { flush_waiting_for_leader(); });
          } else {
            auto timer = std::make_shared<boost::asio::steady_timer>(io_, std::chrono::milliseconds(200));
            timer->async_wait([this, timer](const boost::system::error_code& ec) {
              if (!ec && !stopped_) flush_waiting_for_leader();
            });
          }
          return;
        }
        done(std::move(r));
      });
}

void Node::flush_waiting_for_leader() {
  if (soft_.leader == raft::kNoNode || waiting_for_leader_.empty()) return;
  auto waiting = std::move(waiting_for_leader_);
  waiting_for_leader_.clear();
  for (auto& w : waiting) leader_call_until(w.method, std::move(w.params), std::move(w.done), w.deadline);
}

void Node::run_leader_op(const std::string& method, Json params, Reply done) {
  if (method == "read.index") {
    read_index_here([done = std::move(done)](util::Result<raft::Index> r) {
      if (!r) {
        done(r.status());
        return;
      }
      done(Json{{"index", *r}});
    });
    return;
  }
  if (method == "peers.view") {
    done(leader_peer_view());
    return;
  }
  if (method == "peers.health") {
    observe_peers();
    done(peers_health_json());
    return;
  }
  if (method == "metrics.push") {
    record_metrics(params);
    done(Json::object());
    return;
  }
  if (auto st = writable(); !st.is_ok()) {
    done(st);
    return;
  }
  if (method == "pin.add") return leader_pin_add(std::move(params), std::move(done));
  if (method == "pin.rm") return leader_pin_rm(std::move(params), std::move(done));
  if (method == "pin.update") return leader_pin_update(std::move(params), std::move(done));
  if (method == "state.import") return leader_import(std::move(params), std::move(done));
  if (method == "peers.rm") return leader_peers_rm(std::move(params), std::move(done));
  if (method == "peer.join") return handle_join(params, std::move(done));
  if (method == "peer.update") {
    auto info = peer_from_json(params);
    if (!info) return done(info.status());
    pin::Command cmd;
    cmd.ops.push_back(pin::PeerSet{*info});
    propose_command(cmd, [done = std::move(done)](util::Status st) {
      if (!st.is_ok()) return done(st);
      done(Json::object());
    });
    return;
  }
  done(util::not_found("unknown leader operation " + util::quote(method)));
}

void Node::propose_command(const pin::Command& cmd, std::function<void(util::Status)> done) {
  if (auto st = writable(); !st.is_ok()) return done(st);
  if (proposals_.full()) return done(util::resource_exhausted("too many proposals in flight; retry"));
  auto r = raft_->propose(pin::encode_command(cmd));
  if (!r) return done(r.status());
  proposals_.add(*r, clock_.monotonic() + kForwardTimeout, std::move(done));
  schedule_ready();
}

void Node::propose_conf_change(const raft::ConfChange& cc, std::function<void(util::Status)> done) {
  if (auto st = writable(); !st.is_ok()) return done(st);
  auto r = raft_->propose_conf_change(cc);
  if (!r) return done(r.status());
  proposals_.add(*r, clock_.monotonic() + kForwardTimeout, std::move(done));
  schedule_ready();
}

}  // namespace cl::node
