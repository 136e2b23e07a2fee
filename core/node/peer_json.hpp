#pragma once
// PeerInfo as JSON (peer methods and cl-peers output): {"peer_id","addr","ipfs_addrs","version"}.
#include <nlohmann/json.hpp>

#include "pin/command.hpp"
#include "util/result.hpp"

namespace cl::node {

nlohmann::json peer_to_json(const pin::PeerInfo& info);
// Checks the peer ID and derives node_id from it (never trusting a sent one).
util::Result<pin::PeerInfo> peer_from_json(const nlohmann::json& j);

}  // namespace cl::node
