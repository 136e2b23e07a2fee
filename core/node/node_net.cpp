// Node: the peer transport and peer RPC plumbing.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include "identity/peer_id.hpp"
#include "net/transport.hpp"
#include "node/node.hpp"

namespace cl::node {

namespace {

// The address other machines most likely reach this one at: the source address of the route to
// a public address (no packet is sent), else loopback.
std::string primary_ip() {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return "127.0.0.1";
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(9);
  ::inet_pton(AF_INET, "192.0.2.1", &dst.sin_addr);  // TEST-NET-1: never routed for real
  std::string out = "127.0.0.1";
  if (::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst) == 0) {
    sockaddr_in self{};
    socklen_t len = sizeof self;
    char buf[INET_ADDRSTRLEN];
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&self), &len) == 0 &&
        ::inet_ntop(AF_INET, &self.sin_addr, buf, sizeof buf) != nullptr) {
      out = buf;
    }
  }
  ::close(fd);
  return out;
}

std::pair<std::string, std::string> split_host_port(const std::string& hp) {
  auto colon = hp.rfind(':');
  if (colon == std::string::npos) return {hp, ""};
  return {hp.substr(0, colon), hp.substr(colon + 1)};
}

}  // namespace

util::Status Node::open_transport() {
  net::TransportOptions to;
  to.identity = &*key_;
  to.cluster_secret = &*secret_;
  to.logger = log_;
  to.seed = opts_.seed != 0 ? opts_.seed : node_id_;
  net::TransportCallbacks cb;
  cb.on_message = [this](const std::string& peer, std::string payload) {
    on_peer_message(peer, std::move(payload));
  };
  cb.on_peer_down = [this](const std::string& peer) { on_peer_down(peer); };
  cb.on_peer_up = [this](const std::string& peer) { log_->debug("link to {} up", peer); };
  auto t = net::Transport::create(io_, to, std::move(cb));
  if (!t) return t.status();
  transport_ = std::move(*t);
  CL_TRY_STATUS(transport_->listen(opts_.config.listen));
  // What other peers dial: the configured address, else the listen address with a real host and
  // the port actually bound.
  if (!opts_.config.advertise.empty()) {
    advertise_ = opts_.config.advertise;
  } else {
    auto [host, port] = split_host_port(opts_.config.listen);
    if (host.empty() || host == "0.0.0.0" || host == "::" || host == "[::]") host = primary_ip();
    advertise_ = host + ":" + std::to_string(transport_->local_port());
  }
  rpc_ = std::make_unique<PeerRpc>(
      [this](const std::string& peer, std::string frame) { return send_frame(peer, std::move(frame)); },
      clock_);
  register_membership_rpc();
  register_leader_ops();
  register_status_rpc();
  for (const auto& p : peers_.all()) {
    if (p.peer_id != peer_id_ && !p.addr.empty()) (void)transport_->set_peer_address(p.peer_id, p.addr);
  }
  return util::Status::ok();
}

bool Node::send_frame(const std::string& peer_id, std::string frame) {
  if (stopped_ || !transport_) return false;
  return transport_->send(peer_id, std::move(frame));
}

void Node::on_peer_message(const std::string& peer_id, std::string payload) {
  if (stopped_) return;
  auto frame = decode_frame(payload);
  if (!frame) {
    log_->warn("peer {}: {}", peer_id, frame.status().message());
    return;
  }
  if (auto* m = std::get_if<raft::Message>(&*frame)) {
    // The transport authenticated peer_id: a Raft message must come from that peer's node id.
    auto pid = identity::PeerId::parse(peer_id);
    if (!pid || identity::raft_node_id(*pid) != m->from) {
      log_->warn("peer {} sent a raft message claiming to be node {:016x}: dropped", peer_id, m->from);
      return;
    }
    // Answer on the link the message came by, even before the log tells us this peer's address
    // (we are joining, or behind).
    reply_routes_[m->from] = peer_id;
    auto st = raft_->step(std::move(*m));
    if (!st.is_ok()) log_->debug("raft refused a message from {}: {}", peer_id, st.message());
    schedule_ready();
  } else if (auto* req = std::get_if<PeerRequest>(&*frame)) {
    rpc_->on_request(peer_id, std::move(*req));
  } else {
    rpc_->on_reply(peer_id, std::move(std::get<PeerReply>(*frame)));
  }
}

void Node::on_peer_down(const std::string& peer_id) {
  log_->debug("link to {} down", peer_id);
  rpc_->peer_down(peer_id);
  if (const auto* info = peers_.by_peer(peer_id)) raft_->report_unreachable(info->node_id);
}

void Node::forget_peer(const std::string& peer_id) {
  peers_.remove(peer_id);
  if (peer_id == peer_id_) return;
  // Tell it (it may not learn of its removal otherwise: the leader stops replicating to it), then
  // drop the link a little later so the notice can go out.
  rpc_->call(peer_id, "peer.removed", Json::object(), util::Millis(2000), [](util::Result<Json>) {});
  auto timer = std::make_shared<boost::asio::steady_timer>(io_, std::chrono::seconds(3));
  timer->async_wait([this, timer, peer_id](const boost::system::error_code& ec) {
    if (ec || stopped_ || peers_.by_peer(peer_id) != nullptr) return;
    transport_->remove_peer(peer_id);
  });
}

}  // namespace cl::node
