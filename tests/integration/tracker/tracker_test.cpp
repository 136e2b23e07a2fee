// The pin tracker of "peer 1" driving node 1 of two real js-ipfs daemons (ctest fixture
// ipfs_tracker, meshed). Content is added on node 0; what the tracker claims is checked against
// node 1's own pin/ls. Cases run in order; the last one kills and restarts node 1.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "cluster/tracker.hpp"
#include "helpers.hpp"
#include "nodes.hpp"

using namespace cl;
using namespace cl::cluster;
using cl::ipfs::test::has_pin;
using cl::ipfs::test::Nodes;
using cl::ipfs::test::random_bytes;
using cl::ipfs::test::random_cid;
using cl::ipfs::test::seconds_since;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

constexpr const char* kPeer1 = "12D3KooWTrackerOfNodeOne";
constexpr auto kPinTimeout = 5s;

// Waits (polling, real time) until pred() holds; false after limit.
bool wait_until(const std::function<bool()>& pred, std::chrono::seconds limit) {
  auto deadline = Clock::now() + limit;
  while (!pred()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

// Node 1, with a short connect backoff so that a restarted daemon is found quickly.
std::unique_ptr<ipfs::HttpConnector> connect_node1() {
  ipfs::HttpConfig config;
  config.backoff_min = 250ms;
  config.backoff_max = 1s;
  return Nodes::get().connect(1, config);
}

// Peer 1: a tracker on node 1, its pinset in memory (the daemon would read its store).
struct Peer {
  std::unique_ptr<ipfs::HttpConnector> ipfs;
  std::mutex mu;
  std::map<cid::Cid, pin::Pin> pinset;
  std::unique_ptr<Tracker> tracker;

  Peer() : ipfs(connect_node1()) {
    TrackerOptions o;
    o.concurrent_pins = 4;
    o.pin_timeout = kPinTimeout;
    o.state_sync_interval = std::chrono::hours(1);  // reconciles are asked for by the cases
    o.retry_backoff_min = 500ms;
    o.retry_backoff_max = 2s;
    o.tick_interval = 50ms;
    o.seed = ipfs::test::run_seed();
    tracker = std::make_unique<Tracker>(*ipfs, util::SystemClock::instance(), o, kPeer1);
    tracker->set_pinset([this](const PinVisitor& visit) {
      std::map<cid::Cid, pin::Pin> copy;
      {
        std::lock_guard lock(mu);
        copy = pinset;
      }
      for (const auto& [c, p] : copy) visit(p);
      return util::Status::ok();
    });
    REQUIRE(tracker->start().is_ok());
    REQUIRE(wait_until([&] { return tracker->stats().verified; }, 30s));  // the first reconcile
  }

  pin::Pin commit(const cid::Cid& c, pin::Mode mode = pin::Mode::recursive) {
    pin::Pin p;
    p.cid = c;
    p.mode = mode;
    p.rmin = p.rmax = 1;
    p.allocations = {kPeer1};
    std::optional<pin::Pin> before;
    {
      std::lock_guard lock(mu);
      if (auto it = pinset.find(c); it != pinset.end()) before = it->second;
      pinset[c] = p;
    }
    tracker->track(p, before ? &*before : nullptr);
    return p;
  }
  void remove(const cid::Cid& c) {
    pin::Pin before;
    {
      std::lock_guard lock(mu);
      before = pinset.at(c);
      pinset.erase(c);
    }
    tracker->untrack(c, before);
  }
  // Asks for a reconcile and waits for it to end; returns the stats after it.
  TrackerStats sync() {
    auto n = tracker->stats().reconciles;
    tracker->sync_now();
    REQUIRE(wait_until([&] { return tracker->stats().reconciles > n; }, 60s));
    return tracker->stats();
  }
  bool wait_status(const pin::Pin& p, TrackerStatus s, std::chrono::seconds limit = 60s) {
    bool ok = wait_until([&] { return tracker->status(p).status == s; }, limit);
    if (!ok) {
      auto info = tracker->status(p);
      std::printf("waited %lld s for %s of %s; it is %s: %s\n", static_cast<long long>(limit.count()),
                  std::string(tracker_status_name(s)).c_str(), p.cid.to_string().c_str(),
                  std::string(tracker_status_name(info.status)).c_str(), info.error.c_str());
    }
    return ok;
  }
};

// Adds `bytes` on node 0 and returns its root CID.
cid::Cid add_on_node0(const std::string& bytes, const std::string& name) {
  auto node0 = Nodes::get().connect(0);
  ipfs::AddRequest req;
  req.content = bytes;
  req.name = name;
  auto added = node0->add(req);
  REQUIRE(added.is_ok());
  return added->cid;
}

}  // namespace

TEST_CASE("a file added on node 0 is pinned on node 1 by its tracker; untrack unpins it") {
  Peer peer;
  cid::Cid c = add_on_node0(random_bytes(1 << 20, 101), "one-mb.bin");
  REQUIRE_FALSE(has_pin(*peer.ipfs, ipfs::PinType::recursive, c));
  auto t0 = Clock::now();
  auto p = peer.commit(c);
  REQUIRE(peer.wait_status(p, TrackerStatus::pinned));
  std::printf("measured: tracker on node 1 pinned a 1 MB file held by node 0 in %.2f s\n", seconds_since(t0));
  CHECK(has_pin(*peer.ipfs, ipfs::PinType::recursive, c));  // node 1's own word
  CHECK(peer.tracker->stats().entries == 0);
  auto s = peer.sync();
  CHECK(s.last_reconcile_missing == 0);
  CHECK(peer.tracker->status(p).status == TrackerStatus::pinned);

  t0 = Clock::now();
  peer.remove(c);
  REQUIRE(wait_until([&] { return peer.tracker->status(c).status == TrackerStatus::unpinned; }, 60s));
  std::printf("measured: untrack to unpinned on node 1 in %.2f s\n", seconds_since(t0));
  CHECK_FALSE(has_pin(*peer.ipfs, ipfs::PinType::recursive, c));
}

TEST_CASE("a direct pin is pinned under type=direct and no reconcile reports it lost") {
  Peer peer;
  cid::Cid c = add_on_node0(random_bytes(4096, 102), "small.bin");  // one block
  auto p = peer.commit(c, pin::Mode::direct);
  REQUIRE(peer.wait_status(p, TrackerStatus::pinned));
  CHECK(has_pin(*peer.ipfs, ipfs::PinType::direct, c));
  CHECK_FALSE(has_pin(*peer.ipfs, ipfs::PinType::recursive, c));
  for (int round = 0; round < 2; ++round) {
    auto s = peer.sync();
    CHECK(s.last_reconcile_error.empty());
    CHECK(s.last_reconcile_missing == 0);
    CHECK(s.last_reconcile_allocated == 1);
    std::printf("measured: reconcile against node 1 (%zu IPFS pins, recursive + direct) took %lld ms\n",
                s.last_reconcile_ipfs_pins, static_cast<long long>(s.last_reconcile_duration.count()));
    CHECK(peer.tracker->status(p).status == TrackerStatus::pinned);
  }
  CHECK(peer.tracker->stats().pins_done == 1);  // never re-pinned
  peer.remove(c);
  REQUIRE(wait_until([&] { return !has_pin(*peer.ipfs, ipfs::PinType::direct, c); }, 60s));
}

TEST_CASE("an operator's pin/rm behind the tracker's back: unexpectedly_unpinned, then repaired") {
  Peer peer;
  cid::Cid c = add_on_node0(random_bytes(300 * 1024, 103), "lost.bin");
  auto p = peer.commit(c);
  REQUIRE(peer.wait_status(p, TrackerStatus::pinned));
  REQUIRE(peer.ipfs->pin_rm(c).is_ok());
  REQUIRE_FALSE(has_pin(*peer.ipfs, ipfs::PinType::recursive, c));

  peer.tracker->stop();  // no worker for a moment: the status the reconcile finds stays visible
  REQUIRE(peer.tracker->reconcile().is_ok());
  CHECK(peer.tracker->stats().last_reconcile_missing == 1);
  CHECK(peer.tracker->status(p).status == TrackerStatus::unexpectedly_unpinned);
  auto t0 = Clock::now();
  REQUIRE(peer.tracker->start().is_ok());
  REQUIRE(peer.wait_status(p, TrackerStatus::pinned));
  std::printf("measured: repair of a pin removed behind the tracker's back took %.2f s\n", seconds_since(t0));
  CHECK(has_pin(*peer.ipfs, ipfs::PinType::recursive, c));
  peer.remove(c);
  REQUIRE(wait_until([&] { return peer.tracker->status(c).status == TrackerStatus::unpinned; }, 60s));
}

TEST_CASE("a CID nobody has: pinning, then pin_error once its progress stalled for pin_timeout") {
  Peer peer;
  cid::Cid nobody = random_cid(104);
  auto t0 = Clock::now();
  auto p = peer.commit(nobody);
  REQUIRE(peer.wait_status(p, TrackerStatus::pinning, 10s));
  REQUIRE(peer.wait_status(p, TrackerStatus::pin_error, kPinTimeout + 30s));
  double secs = seconds_since(t0);
  std::printf("measured: a CID nobody has went pinning -> pin_error after %.2f s (pin_timeout %lld s)\n",
              secs, static_cast<long long>(std::chrono::seconds(kPinTimeout).count()));
  auto info = peer.tracker->status(p);
  CHECK(info.attempt_count == 1);
  CHECK_THAT(info.error, Catch::Contains("no progress") && Catch::Contains(nobody.to_string()));
  peer.remove(nobody);  // stop retrying; pin/rm of what is not pinned is fine
  REQUIRE(wait_until([&] { return peer.tracker->status(nobody).status == TrackerStatus::unpinned; }, 30s));
}

TEST_CASE("200 small files added on node 0: all pinned on node 1 through 4 workers, then reconciled") {
  constexpr int kFiles = 200;
  Peer peer;
  std::vector<pin::Pin> pins;
  auto t0 = Clock::now();
  for (int i = 0; i < kFiles; ++i) {
    cid::Cid c = add_on_node0(random_bytes(2048, 1000 + i), "f" + std::to_string(i));
    pins.push_back(peer.commit(c));
  }
  std::printf("measured: %d files of 2 KB added on node 0 and tracked in %.2f s\n", kFiles,
              seconds_since(t0));
  REQUIRE(wait_until([&] { return peer.tracker->stats().pins_done >= kFiles; }, 120s));
  REQUIRE(wait_until([&] { return peer.tracker->queue_length() == 0; }, 30s));
  std::printf("measured: %d pins done on node 1 %.2f s after the first track (includes the adds)\n", kFiles,
              seconds_since(t0));
  auto on_node1 = ipfs::test::pins_of(*peer.ipfs, ipfs::PinType::recursive);
  std::set<cid::Cid> listed;
  for (const auto& p : on_node1) listed.insert(p.cid);
  for (const auto& p : pins) {
    CHECK(listed.count(p.cid) == 1);
    CHECK(peer.tracker->status(p).status == TrackerStatus::pinned);
  }
  auto s = peer.sync();
  CHECK(s.last_reconcile_missing == 0);
  CHECK(s.last_reconcile_allocated == static_cast<std::size_t>(kFiles));
  CHECK(peer.tracker->pinned_count() == static_cast<std::size_t>(kFiles));
  std::printf("measured: reconcile of %zu pins against node 1 took %lld ms\n", s.last_reconcile_ipfs_pins,
              static_cast<long long>(s.last_reconcile_duration.count()));
  t0 = Clock::now();
  for (const auto& p : pins) peer.remove(p.cid);
  REQUIRE(wait_until([&] { return peer.tracker->queue_length() == 0; }, 120s));
  std::printf("measured: %d unpins done on node 1 in %.2f s\n", kFiles, seconds_since(t0));
  CHECK(peer.tracker->stats().unpins_done == static_cast<std::uint64_t>(kFiles));
}

TEST_CASE("node 1's IPFS killed: pins go to pin_error; restarted and recovered: pinned") {
  const Nodes& nodes = Nodes::get();
  Peer peer;
  cid::Cid steady_cid = add_on_node0(random_bytes(64 * 1024, 105), "steady.bin");
  auto steady = peer.commit(steady_cid);
  REQUIRE(peer.wait_status(steady, TrackerStatus::pinned));
  cid::Cid later_cid = add_on_node0(random_bytes(64 * 1024, 106), "later.bin");

  REQUIRE(nodes.script("kill 1"));
  auto killed = Clock::now();
  auto later = peer.commit(later_cid);  // asked for while the daemon is down
  REQUIRE(peer.wait_status(later, TrackerStatus::pin_error, kPinTimeout));
  std::printf("measured: a pin asked for with node 1 down: pin_error after %.2f s\n", seconds_since(killed));
  CHECK_THAT(peer.tracker->status(later).error, Catch::Contains(nodes.api_url(1)));
  // Steady pins cannot be confirmed: pin_error too (at once, since the failed call said so).
  auto info = peer.tracker->status(steady);
  CHECK(info.status == TrackerStatus::pin_error);
  CHECK_THAT(info.error, Catch::Contains("ipfs unreachable"));
  CHECK_FALSE(peer.tracker->stats().ipfs_reachable);
  auto s = peer.sync();
  CHECK_THAT(s.last_reconcile_error, Catch::Contains("reconcile: listing the pins of ipfs"));

  REQUIRE(nodes.script("restart 1"));
  std::printf("measured: node 1 restarted %.2f s after the kill\n", seconds_since(killed));
  auto node0_id = nodes.connect(0)->id();
  REQUIRE(node0_id.is_ok());
  // Reconnect to node 0 (js-ipfs re-dials remembered peers by itself; this makes it certain).
  REQUIRE(wait_until(
      [&] { return peer.ipfs->swarm_connect(nodes.swarm_addr(0) + "/p2p/" + node0_id->id).is_ok(); }, 30s));
  auto t0 = Clock::now();
  peer.tracker->recover(std::nullopt);
  REQUIRE(peer.wait_status(later, TrackerStatus::pinned));
  REQUIRE(peer.wait_status(steady, TrackerStatus::pinned));
  std::printf("measured: recover after the restart: both pinned in %.2f s\n", seconds_since(t0));
  CHECK(has_pin(*peer.ipfs, ipfs::PinType::recursive, steady_cid));
  CHECK(has_pin(*peer.ipfs, ipfs::PinType::recursive, later_cid));
  CHECK(peer.tracker->stats().ipfs_reachable);
}
