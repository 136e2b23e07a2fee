#include "node/peer_directory.hpp"

namespace cl::node {

util::Status PeerDirectory::load(store::Store& s) {
  by_peer_.clear();
  node_to_peer_.clear();
  std::string after;
  util::Status inner;
  for (;;) {
    std::string last;
    auto n = s.scan(store::Ns::peers, after, 256, [&](std::string_view key, std::string_view value) {
      last = key;
      auto info = pin::decode_peer(value);
      if (!info) {
        inner = info.status();
        return false;
      }
      set(*info);
      return true;
    });
    if (!n) return n.status();
    CL_TRY_STATUS(inner);
    if (*n == 0) return util::Status::ok();
    after = last;
  }
}

void PeerDirectory::set(const pin::PeerInfo& info) {
  if (auto old = by_peer_.find(info.peer_id); old != by_peer_.end()) node_to_peer_.erase(old->second.node_id);
  node_to_peer_[info.node_id] = info.peer_id;
  by_peer_[info.peer_id] = info;
}

void PeerDirectory::remove(const std::string& peer_id) {
  auto it = by_peer_.find(peer_id);
  if (it == by_peer_.end()) return;
  node_to_peer_.erase(it->second.node_id);
  by_peer_.erase(it);
}

const pin::PeerInfo* PeerDirectory::by_node(raft::NodeId id) const {
  auto it = node_to_peer_.find(id);
  return it == node_to_peer_.end() ? nullptr : by_peer(it->second);
}

const pin::PeerInfo* PeerDirectory::by_peer(const std::string& peer_id) const {
  auto it = by_peer_.find(peer_id);
  return it == by_peer_.end() ? nullptr : &it->second;
}

std::vector<pin::PeerInfo> PeerDirectory::all() const {
  std::vector<pin::PeerInfo> out;
  out.reserve(by_peer_.size());
  for (const auto& [id, info] : by_peer_) out.push_back(info);
  return out;
}

}  // namespace cl::node
