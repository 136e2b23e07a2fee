#pragma once
// PeerDirectory: what this node knows about every cluster peer (pin::PeerInfo, replicated through
// the log), indexed by Raft node id and by peer ID. Mirrors the store's peers namespace: loaded at
// start, then kept current by the applied entries.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pin/command.hpp"
#include "raft/types.hpp"
#include "store/store.hpp"

namespace cl::node {

class PeerDirectory {
 public:
  util::Status load(store::Store& s);
  void set(const pin::PeerInfo& info);
  void remove(const std::string& peer_id);

  const pin::PeerInfo* by_node(raft::NodeId id) const;
  const pin::PeerInfo* by_peer(const std::string& peer_id) const;
  // Every known peer, in peer ID order.
  std::vector<pin::PeerInfo> all() const;
  std::size_t size() const { return by_peer_.size(); }

 private:
  std::map<std::string, pin::PeerInfo> by_peer_;
  std::map<raft::NodeId, std::string> node_to_peer_;
};

}  // namespace cl::node
