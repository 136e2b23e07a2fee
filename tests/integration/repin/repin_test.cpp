// Allocation, peer health, repinning and expiry on four real cl-raftd processes (no IPFS: the
// allocations are read back with pin.ls). Cluster ports 19600-19699.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <string>

#include "cid/cid.hpp"
#include "support/local_cluster.hpp"

using namespace cl;
using namespace cl::testing;
using api::Json;
using Env = std::map<std::string, std::string>;

namespace {

std::string bin_dir() {
  const char* d = std::getenv("CL_BIN_DIR");
  return d != nullptr ? d : "build/cmd/cl-raftd";
}

std::string test_cid(std::uint64_t n) {
  return cid::Cid::v1(cid::Codec::raw, cid::Multihash::sha2_256("cl-repin-" + std::to_string(n))).to_string();
}

// n peers: peer 0 starts the cluster, the others join through it; env_of(i) is peer i's own
// environment (tags, quotas). Waits until all are voters and the leader holds fresh metrics of
// every one (before that, a peer without metrics receives no new allocations).
void start_cluster(LocalCluster& c, int n, const std::function<Env(int)>& env_of) {
  for (int i = 0; i < n; ++i) {
    const int k = c.init_peer(i == 0 ? "" : c.secret());
    c.start(k, i == 0 ? std::nullopt : std::optional<int>(0), env_of(i));
    if (i == 0) REQUIRE(c.wait_for_leader());
  }
  REQUIRE(c.wait_for_voters(static_cast<std::size_t>(n)));
  const bool fresh = LocalCluster::wait_until(
      [&] {
        auto peers = c.stream(0, "peers.ls");
        if (!peers || peers->size() != static_cast<std::size_t>(n)) return false;
        for (const auto& p : *peers) {
          if (!p.contains("metrics") || p["metrics"].value("expired", true)) return false;
        }
        return true;
      },
      30'000);
  INFO("waited 30 s for every peer's metrics at the leader");
  REQUIRE(fresh);
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

std::vector<Json> health(const LocalCluster& c, int i) {
  auto r = c.stream(i, "peers.health");
  return r ? *r : std::vector<Json>{};
}

bool has_alert(const std::vector<Json>& alerts, const std::string& peer_id, const std::string& kind) {
  for (const auto& a : alerts) {
    if (a.value("peer_id", "") == peer_id && a.value("alert", "") == kind) return true;
  }
  return false;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("a peer killed for longer than repin_delay loses its pins to live peers, and gets none back",
          "[repin]") {
  LocalCluster c({.bin_dir = bin_dir(),
                  .base_port = 19600,
                  .env = {{"CL_REPLICATION_FACTOR_MIN", "2"},
                          {"CL_REPLICATION_FACTOR_MAX", "2"},
                          {"CL_REPIN_DELAY", "2s"},
                          // Without IPFS no peer reports freespace: rank by allocated pins to spread.
                          {"CL_ALLOCATE_BY", "tag:group,freespace,numpin"}}});
  start_cluster(c, 4, [](int) { return Env{}; });
  constexpr int kPins = 40;
  for (int k = 0; k < kPins; ++k) {
    auto r = c.call(k % 4, "pin.add", Json{{"cid", test_cid(k)}});
    INFO(r.status().to_string());
    REQUIRE(r.is_ok());
    REQUIRE(r->at("allocations").size() == 2);
  }
  const auto before = allocations_by_cid(c, 0);
  REQUIRE(before.size() == kPins);

  // The victim: the follower holding the most pins.
  const int leader = c.leader();
  REQUIRE(leader >= 0);
  int victim = -1;
  std::size_t most = 0;
  for (int i = 0; i < 4; ++i) {
    std::size_t n = 0;
    for (const auto& [cid, a] : before) n += a.count(c.peer_id(i));
    if (i != leader && n > most) {
      most = n;
      victim = i;
    }
  }
  REQUIRE(victim >= 0);
  const std::string dead = c.peer_id(victim);
  std::set<std::string> held;
  for (const auto& [cid, a] : before) {
    if (a.contains(dead)) held.insert(cid);
  }
  REQUIRE(held.size() == most);
  const int live = (victim + 1) % 4;

  c.kill(victim, 9);
  const auto t0 = std::chrono::steady_clock::now();
  std::map<std::string, std::set<std::string>> after;
  const bool moved = LocalCluster::wait_until(
      [&] {
        after = allocations_by_cid(c, live);
        if (after.size() != kPins) return false;
        for (const auto& [cid, a] : after) {
          if (a.size() != 2 || a.contains(dead)) return false;
        }
        return true;
      },
      2'000 + 30'000);
  INFO("waited repin_delay 2 s + 30 s for every pin to have 2 allocations, none on the killed peer");
  REQUIRE(moved);
  std::cout << "measured: " << held.size() << " pins re-allocated " << seconds_since(t0)
            << " s after kill -9 (repin_delay 2 s)\n";
  for (const auto& [cid, a] : after) {
    for (const auto& id : a) CHECK(id != dead);
    if (!held.contains(cid)) CHECK(a == before.at(cid));  // pins that kept rmin did not move
  }
  auto alerts = health(c, live);
  CHECK(has_alert(alerts, dead, "down"));
  bool recorded = false;
  for (const auto& a : alerts) {
    if (a.value("alert", "") == "repinned" && a.value("peer_id", "") == dead) {
      recorded = a.value("moved", 0) == static_cast<int>(held.size());
    }
  }
  CHECK(recorded);
  auto peers = c.stream(live, "peers.ls");
  REQUIRE(peers.is_ok());
  for (const auto& p : *peers) {
    if (p.value("peer_id", "") == dead) CHECK(p.value("health", "") == "down");
  }

  // Back: it is live again and no moved pin returns to it.
  c.start(victim);
  REQUIRE(c.wait_caught_up());
  const bool healthy =
      LocalCluster::wait_until([&] { return !has_alert(health(c, live), dead, "down"); }, 30'000);
  INFO("waited 30 s for the restarted peer's down alert to clear");
  CHECK(healthy);
  const auto back = allocations_by_cid(c, victim);
  REQUIRE(back.size() == kPins);
  for (const auto& cid : held) CHECK_FALSE(back.at(cid).contains(dead));
  for (const auto& [cid, a] : back) CHECK(a.size() == 2);
}

TEST_CASE("tags: with 2 groups and rmin 2, every pin lands in both groups", "[tags]") {
  LocalCluster c({.bin_dir = bin_dir(),
                  .base_port = 19620,
                  .env = {{"CL_REPLICATION_FACTOR_MIN", "2"}, {"CL_REPLICATION_FACTOR_MAX", "2"}}});
  start_cluster(c, 4, [](int i) { return Env{{"CL_TAGS", i < 2 ? "group=a" : "group=b"}}; });
  std::map<std::string, std::string> group;
  for (int i = 0; i < 4; ++i) group[c.peer_id(i)] = i < 2 ? "a" : "b";
  for (int k = 0; k < 20; ++k) {
    auto r = c.call(k % 4, "pin.add", Json{{"cid", test_cid(100 + k)}});
    INFO(r.status().to_string());
    REQUIRE(r.is_ok());
  }
  auto pins = allocations_by_cid(c, 1);
  REQUIRE(pins.size() == 20);
  for (const auto& [cid, a] : pins) {
    std::set<std::string> groups;
    for (const auto& id : a) groups.insert(group.at(id));
    INFO(cid);
    CHECK(groups == std::set<std::string>{"a", "b"});
  }
  auto peers = c.stream(2, "peers.ls");
  REQUIRE(peers.is_ok());
  for (const auto& p : *peers) CHECK(p["metrics"]["tags"]["group"] == group.at(p["peer_id"]));
}

TEST_CASE("a peer at max_pins receives no new allocations", "[quota]") {
  LocalCluster c({.bin_dir = bin_dir(),
                  .base_port = 19640,
                  .env = {{"CL_REPLICATION_FACTOR_MIN", "3"}, {"CL_REPLICATION_FACTOR_MAX", "4"}}});
  start_cluster(c, 4, [](int i) { return i == 3 ? Env{{"CL_MAX_PINS", "5"}} : Env{}; });
  const std::string full = c.peer_id(3);
  int on_full = 0;
  for (int k = 0; k < 30; ++k) {
    auto r = c.call(k % 4, "pin.add", Json{{"cid", test_cid(200 + k)}});
    INFO(r.status().to_string());
    REQUIRE(r.is_ok());
    for (const auto& id : r->at("allocations")) on_full += id == full ? 1 : 0;
  }
  CHECK(on_full == 5);  // rmax 4: every peer while it can, then the 3 others
  auto alerts = health(c, 0);
  CHECK(has_alert(alerts, full, "over_quota"));
  // With 3 peers left for rmin 4, a pin cannot be placed: the message says why.
  auto r = c.call(1, "pin.add", Json{{"cid", test_cid(300)}, {"replication_factor_min", 4}});
  REQUIRE_FALSE(r.is_ok());
  CHECK_THAT(r.status().message(),
             Catch::Contains("need 4, found 3") && Catch::Contains("max_pins 5 reached"));
}

TEST_CASE("a pin added with expire_in 5s is gone from the pinset after it", "[expiry]") {
  LocalCluster c({.bin_dir = bin_dir(), .base_port = 19660});
  start_cluster(c, 3, [](int) { return Env{}; });
  auto r = c.call(1, "pin.add", Json{{"cid", test_cid(400)}, {"expire_in", "5s"}});
  INFO(r.status().to_string());
  REQUIRE(r.is_ok());
  REQUIRE(c.call(2, "pin.add", Json{{"cid", test_cid(401)}}).is_ok());
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(c.call(0, "pin.get", Json{{"cid", test_cid(400)}}).is_ok());
  const bool gone = LocalCluster::wait_until(
      [&] {
        return c.call(2, "pin.get", Json{{"cid", test_cid(400)}}).code() == util::Code::not_found;
      },
      5'000 + 20'000);
  INFO("waited 5 s + 20 s for the expired pin to leave the pinset");
  REQUIRE(gone);
  std::cout << "measured: expired pin gone " << seconds_since(t0) << " s after it was added (expire_in 5s)\n";
  CHECK(c.call(2, "pin.get", Json{{"cid", test_cid(401)}}).is_ok());
}
