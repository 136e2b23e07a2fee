#pragma once
// Effects: what applying one Ready changed, recorded inside the store transaction and acted on
// only after it committed (a failed transaction leaves no trace).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cluster/state_machine.hpp"
#include "raft/types.hpp"

namespace cl::node {

struct Effects final : cluster::ChangeSink {
  std::vector<std::pair<raft::Term, raft::Index>> applied;
  raft::ConfState conf;
  bool conf_changed = false;
  std::vector<pin::PeerInfo> peers_set;
  std::vector<std::string> peers_removed;
  std::vector<pin::Pin> pins_set;
  std::vector<cid::Cid> pins_removed;
  bool replaced = false;  // the whole pinset was replaced (import --replace)
  bool self_removed = false;
  std::optional<raft::Index> snapshot_installed;

  void pin_set(const pin::Pin& p) override { pins_set.push_back(p); }
  void pin_removed(const cid::Cid& c) override { pins_removed.push_back(c); }
  void pinset_replaced() override { replaced = true; }
  void peer_set(const pin::PeerInfo& p) override { peers_set.push_back(p); }
  void peer_removed(const std::string& id) override { peers_removed.push_back(id); }
};

}  // namespace cl::node
