#pragma once
// PeerRpc: request/reply between peers over the transport (frames of node/wire.hpp). Requests carry
// a method and JSON params; replies a JSON result or an error. Outgoing calls time out; incoming
// ones are dispatched to handlers by method. Single-threaded (the node's io thread).
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "node/wire.hpp"
#include "util/clock.hpp"
#include "util/duration.hpp"
#include "util/result.hpp"

namespace cl::node {

using Json = nlohmann::json;

class PeerRpc {
 public:
  // Sends a frame to a peer; false when it could not be queued.
  using SendFn = std::function<bool(const std::string& peer_id, std::string frame)>;
  using Done = std::function<void(util::Result<Json>)>;
  // A handler answers through `respond`, now or later, exactly once.
  using Respond = std::function<void(util::Result<Json>)>;
  using Handler = std::function<void(const std::string& from_peer, Json params, Respond respond)>;

  PeerRpc(SendFn send, const util::Clock& clock) : send_(std::move(send)), clock_(clock) {}

  void handle(std::string method, Handler handler) { handlers_[std::move(method)] = std::move(handler); }

  // Calls method on peer; done runs exactly once (reply, send failure, timeout or fail_all).
  void call(const std::string& peer_id, const std::string& method, const Json& params, util::Millis timeout,
            Done done);

  void on_request(const std::string& from_peer, PeerRequest request);
  void on_reply(const std::string& from_peer, PeerReply reply);
  // The link to peer went down: its calls fail now rather than at their deadline.
  void peer_down(const std::string& peer_id);
  void expire();
  void fail_all(const util::Status& status);
  std::size_t pending() const { return calls_.size(); }

 private:
  struct Pending {
    std::string peer_id;
    std::string method;
    util::Nanos deadline;
    Done done;
  };
  SendFn send_;
  const util::Clock& clock_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, Pending> calls_;
  std::map<std::string, Handler> handlers_;
};

}  // namespace cl::node
