// Repinning for real: 4 cl-raftd peers, peer i beside js-ipfs node i (ctest fixture ipfs_repin,
// ports 15160+ / 14160+, not meshed: the peers connect their IPFS nodes). A peer and its IPFS node
// are killed; its pins must end up pinned on the other peers' IPFS nodes (checked with pin/ls on
// those nodes); back, its IPFS node must hold no more than what is allocated to it.
// Cluster ports 19680-19699.
#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>
#include <map>
#include <set>

#include "helpers.hpp"
#include "nodes.hpp"
#include "support/local_cluster.hpp"
#include "support/temp_dir.hpp"

using namespace cl;
using cl::api::Json;
using cl::ipfs::PinType;
using cl::ipfs::test::Nodes;
using cl::testing::LocalCluster;

namespace {

constexpr int kPeers = 4;
constexpr int kPins = 8;

std::string bin_dir() {
  const char* d = std::getenv("CL_BIN_DIR");
  return d != nullptr ? d : "build/cmd/cl-raftd";
}

std::map<std::string, std::set<std::string>> allocations_by_cid(const LocalCluster& c, int i) {
  std::map<std::string, std::set<std::string>> out;
  auto pins = c.stream(i, "pin.ls");
  if (!pins) return out;
  for (const auto& p : *pins) {
    std::set<std::string> a;
    for (const auto& id : p["allocations"]) a.insert(id.get<std::string>());
    out[p["cid"].get<std::string>()] = a;
  }
  return out;
}

// The recursive pins of an IPFS node, as CID strings; empty when it does not answer.
std::set<std::string> ipfs_pins(ipfs::Connector& node) {
  std::set<std::string> out;
  auto st = node.pin_ls(PinType::recursive, [&](const ipfs::PinInfo& p) {
    out.insert(p.cid.to_string());
    return util::Status::ok();
  });
  if (!st.is_ok()) return {};
  return out;
}

}  // namespace

TEST_CASE("with js-ipfs: a dead peer's pins are pinned on the other peers' IPFS nodes, and it gets none back",
          "[ipfs]") {
  const auto& nodes = Nodes::get();
  REQUIRE(nodes.count() >= kPeers);
  LocalCluster c({.bin_dir = bin_dir(),
                  .base_port = 19680,
                  .env = {{"CL_REPLICATION_FACTOR_MIN", "2"},
                          {"CL_REPLICATION_FACTOR_MAX", "2"},
                          {"CL_REPIN_DELAY", "2s"},
                          {"CL_STATE_SYNC_INTERVAL", "5s"}}});
  std::vector<std::unique_ptr<ipfs::HttpConnector>> ipfs;
  for (int i = 0; i < kPeers; ++i) ipfs.push_back(nodes.connect(i));
  // Peer i on IPFS node i; peer 0 starts the cluster, the others join through it.
  for (int i = 0; i < kPeers; ++i) {
    const int k = c.init_peer(i == 0 ? "" : c.secret());
    c.start(k, i == 0 ? std::nullopt : std::optional<int>(0), {{"CL_IPFS_API", nodes.api_url(i)}});
    if (i == 0) REQUIRE(c.wait_for_leader());
  }
  REQUIRE(c.wait_for_voters(kPeers));
  INFO("waiting 30 s for fresh metrics of every peer at the leader");
  REQUIRE(LocalCluster::wait_until(
      [&] {
        auto peers = c.stream(0, "peers.ls");
        if (!peers || peers->size() != kPeers) return false;
        for (const auto& p : *peers) {
          if (!p.contains("metrics") || p["metrics"].value("expired", true)) return false;
        }
        return true;
      },
      30'000));

  // Content on IPFS node 0 (not pinned there), pinned through the cluster.
  std::set<std::string> cids;
  for (int k = 0; k < kPins; ++k) {
    ipfs::AddRequest add;
    add.content = ipfs::test::random_bytes(20'000, 7000 + static_cast<std::uint64_t>(k));  // CL_TEST_SEED
    add.name = "f" + std::to_string(k);
    add.pin = false;
    auto added = ipfs[0]->add(add);
    REQUIRE(added.is_ok());
    const std::string cid = added->cid.to_string();
    auto r = c.call(k % kPeers, "pin.add", Json{{"cid", cid}, {"name", add.name}});
    INFO(r.status().to_string());
    REQUIRE(r.is_ok());
    cids.insert(cid);
  }
  auto index_of = [&](const std::string& id) {
    for (int i = 0; i < kPeers; ++i) {
      if (c.peer_id(i) == id) return i;
    }
    return -1;
  };
  // Every pin pinned on the IPFS node of each allocated peer.
  auto pinned_where_allocated = [&](const std::map<std::string, std::set<std::string>>& alloc) {
    std::map<int, std::set<std::string>> have;
    for (const auto& [cid, peers] : alloc) {
      for (const auto& id : peers) {
        const int i = index_of(id);
        if (i < 0) return false;
        if (!have.contains(i)) have[i] = ipfs_pins(*ipfs[i]);
        if (!have[i].contains(cid)) return false;
      }
    }
    return true;
  };
  std::map<std::string, std::set<std::string>> alloc;
  INFO("waiting 120 s for every pin on its 2 allocated IPFS nodes");
  REQUIRE(LocalCluster::wait_until(
      [&] {
        alloc = allocations_by_cid(c, 0);
        return alloc.size() == kPins && pinned_where_allocated(alloc);
      },
      120'000));

  // The victim: a follower other than peer 0 (node 0 holds the added blocks) with pins.
  const int leader = c.leader();
  int victim = -1;
  for (int i = 1; i < kPeers && victim < 0; ++i) {
    if (i == leader) continue;
    for (const auto& [cid, peers] : alloc) {
      if (peers.contains(c.peer_id(i))) victim = i;
    }
  }
  REQUIRE(victim > 0);
  const std::string dead = c.peer_id(victim);
  const int live = victim == 1 ? 2 : 1;
  std::set<std::string> held;
  for (const auto& [cid, peers] : alloc) {
    if (peers.contains(dead)) held.insert(cid);
  }

  const auto t0 = std::chrono::steady_clock::now();
  c.kill(victim, 9);
  REQUIRE(nodes.script("kill " + std::to_string(victim)));
  INFO("waiting repin_delay 2 s + 120 s for the pins to be re-allocated and pinned elsewhere");
  REQUIRE(LocalCluster::wait_until(
      [&] {
        alloc = allocations_by_cid(c, live);
        if (alloc.size() != kPins) return false;
        for (const auto& [cid, peers] : alloc) {
          if (peers.size() != 2 || peers.contains(dead)) return false;
        }
        return pinned_where_allocated(alloc);
      },
      2'000 + 120'000));
  std::cout << "measured: " << held.size() << " pins of the killed peer pinned on other IPFS nodes "
            << ipfs::test::seconds_since(t0) << " s after kill -9 (repin_delay 2 s)\n";

  // Back: its IPFS node ends up holding only what is allocated to it (moved pins are unpinned).
  REQUIRE(nodes.script("restart " + std::to_string(victim)));
  c.start(victim);
  REQUIRE(c.wait_caught_up());
  std::set<std::string> extra;
  INFO("waiting 120 s for the returning peer's IPFS node to drop the pins moved away from it");
  const bool trimmed = LocalCluster::wait_until(
      [&] {
        alloc = allocations_by_cid(c, victim);
        extra.clear();
        for (const auto& cid : ipfs_pins(*ipfs[victim])) {
          if (cids.contains(cid) && !alloc[cid].contains(dead)) extra.insert(cid);
        }
        return extra.empty();
      },
      120'000);
  INFO("pinned on the returning peer's IPFS without being allocated to it: " << extra.size());
  CHECK(trimmed);
  for (const auto& cid : held) CHECK_FALSE(alloc[cid].contains(dead));
  CHECK(pinned_where_allocated(alloc));
}
