#include "node/rpc.hpp"

namespace cl::node {

void PeerRpc::call(const std::string& peer_id, const std::string& method, const Json& params,
                   util::Millis timeout, Done done) {
  const std::uint64_t id = next_id_++;
  if (!send_(peer_id, encode_frame(PeerRequest{id, method, params.dump()}))) {
    done(util::unavailable("cannot send " + method + " to peer " + peer_id + " (no link, queue full)"));
    return;
  }
  calls_.emplace(id, Pending{peer_id, method, clock_.monotonic() + timeout, std::move(done)});
}

void PeerRpc::on_request(const std::string& from_peer, PeerRequest request) {
  auto it = handlers_.find(request.method);
  const std::uint64_t id = request.id;
  auto respond = [send = send_, from_peer, id](util::Result<Json> result) {
    PeerReply reply;
    reply.id = id;
    if (result) {
      reply.body = result->dump();
    } else {
      reply.error = result.status();
    }
    send(from_peer, encode_frame(reply));
  };
  if (it == handlers_.end()) {
    respond(util::not_found("unknown peer method " + util::quote(request.method) +
                            " (peers of different versions?)"));
    return;
  }
  Json params = Json::parse(request.body, nullptr, false);
  if (params.is_discarded()) {
    respond(util::invalid_argument("malformed params for peer method " + request.method));
    return;
  }
  it->second(from_peer, std::move(params), std::move(respond));
}

void PeerRpc::on_reply(const std::string& from_peer, PeerReply reply) {
  auto it = calls_.find(reply.id);
  if (it == calls_.end() || it->second.peer_id != from_peer) return;  // late, or not ours
  Done done = std::move(it->second.done);
  calls_.erase(it);
  if (!reply.error.is_ok()) {
    done(reply.error);
    return;
  }
  Json body = Json::parse(reply.body, nullptr, false);
  if (body.is_discarded()) {
    done(util::corrupt("malformed reply from peer " + from_peer));
    return;
  }
  done(std::move(body));
}

void PeerRpc::peer_down(const std::string& peer_id) {
  for (auto it = calls_.begin(); it != calls_.end();) {
    if (it->second.peer_id == peer_id) {
      Done done = std::move(it->second.done);
      std::string method = it->second.method;
      it = calls_.erase(it);
      done(util::unavailable("lost the link to peer " + peer_id + " during " + method + "; retry"));
    } else {
      ++it;
    }
  }
}

void PeerRpc::expire() {
  const auto now = clock_.monotonic();
  for (auto it = calls_.begin(); it != calls_.end();) {
    if (it->second.deadline <= now) {
      Done done = std::move(it->second.done);
      std::string what = it->second.method + " to peer " + it->second.peer_id;
      it = calls_.erase(it);
      done(util::timeout_error(what + " timed out"));
    } else {
      ++it;
    }
  }
}

void PeerRpc::fail_all(const util::Status& status) {
  auto calls = std::move(calls_);
  calls_.clear();
  for (auto& [id, p] : calls) p.done(status);
}

}  // namespace cl::node
