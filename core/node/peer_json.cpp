#include "node/peer_json.hpp"

#include "identity/peer_id.hpp"

namespace cl::node {

nlohmann::json peer_to_json(const pin::PeerInfo& info) {
  return {{"peer_id", info.peer_id},
          {"addr", info.addr},
          {"ipfs_addrs", info.ipfs_addrs},
          {"version", info.version}};
}

util::Result<pin::PeerInfo> peer_from_json(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("peer_id") || !j["peer_id"].is_string()) {
    return util::invalid_argument("expected a peer object with a \"peer_id\"");
  }
  auto pid = identity::PeerId::parse(j["peer_id"].get<std::string>());
  if (!pid) return pid.status();
  pin::PeerInfo info;
  info.peer_id = pid->to_string();
  info.node_id = identity::raft_node_id(*pid);
  info.addr = j.value("addr", "");
  if (auto it = j.find("ipfs_addrs"); it != j.end() && it->is_array()) {
    for (const auto& a : *it) {
      if (a.is_string()) info.ipfs_addrs.push_back(a.get<std::string>());
    }
  }
  info.version = j.value("version", "");
  return info;
}

}  // namespace cl::node
