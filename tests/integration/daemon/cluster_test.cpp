// Three daemons on loopback: join, pins, kill -9 of the leader under load, restarts.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <thread>

#include "helpers.hpp"
#include "util/rng.hpp"

using namespace cl;
using namespace cl::testing;
using api::Json;

TEST_CASE("three daemons keep every acknowledged pin through kill -9 of the leader and full restarts",
          "[kill]") {
  LocalCluster c({.bin_dir = bin_dir(), .base_port = 19710});
  c.add_peers(3);
  REQUIRE(c.wait_for_voters(3));

  std::mutex mu;
  std::set<std::string> acked;
  std::uint64_t next = 0;
  // 1,000 pins spread over the three peers (followers forward to the leader).
  for (int k = 0; k < 1000; ++k) {
    const std::string cid = test_cid(next++);
    auto r = c.call(k % 3, "pin.add", Json{{"cid", cid}, {"name", "p" + std::to_string(k)}});
    INFO(r.status().to_string());
    REQUIRE(r.is_ok());
    acked.insert(cid);
  }

  // Pins keep flowing, through random live peers, while leaders are killed.
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> failures{0};
  struct Joiner {  // a failed REQUIRE must not leave the writer running
    std::atomic<bool>& stop;
    std::thread t;
    ~Joiner() {
      stop = true;
      if (t.joinable()) t.join();
    }
  } writer{stop, std::thread([&] {
             util::Rng rng(7);
             while (!stop) {
               std::string cid;
               {
                 std::lock_guard<std::mutex> lock(mu);
                 cid = test_cid(next++);
               }
               const int i = static_cast<int>(rng.below(3));
               auto r = c.call(i, "pin.add", Json{{"cid", cid}}, 5000);
               std::lock_guard<std::mutex> lock(mu);
               if (r.is_ok()) {
                 acked.insert(cid);
               } else {
                 ++failures;
               }
             }
           })};

  for (int round = 0; round < 5; ++round) {
    const int leader = c.leader();
    REQUIRE(leader >= 0);
    c.kill(leader);  // SIGKILL
    INFO("round " << round << ": killed peer " << leader);
    REQUIRE(LocalCluster::wait_until([&] {
      int l = c.leader();
      return l >= 0 && l != leader;
    }));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // pins flow under the new leader
    c.start(leader);
    REQUIRE(c.wait_caught_up());
  }
  stop = true;
  writer.t.join();
  INFO("acknowledged " << acked.size() << ", failed (not acknowledged) " << failures.load());
  CHECK(acked.size() > 1100);  // pins kept being acknowledged across the kills
  REQUIRE(c.wait_caught_up());

  auto reference = pinset(c, 0);
  for (const auto& cid : acked) CHECK(reference.count(cid) == 1);
  CHECK(pinset(c, 1) == reference);
  CHECK(pinset(c, 2) == reference);

  // All three killed at once, then restarted: nothing acknowledged is lost.
  for (int i = 0; i < 3; ++i) c.kill(i);
  for (int i = 0; i < 3; ++i) c.start(i);
  REQUIRE(c.wait_for_leader());
  REQUIRE(c.wait_caught_up());
  for (int i = 0; i < 3; ++i) CHECK(pinset(c, i) == reference);
}

TEST_CASE("a peer that falls far behind is caught up by a snapshot, not by the whole log", "[snapshot]") {
  LocalCluster c({.bin_dir = bin_dir(), .base_port = 19730, .env = {{"CL_SNAPSHOT_INTERVAL_ENTRIES", "50"}}});
  c.add_peers(3);
  REQUIRE(c.wait_for_voters(3));
  const int lagging = (c.leader() + 1) % 3;
  c.kill(lagging, 15);  // SIGTERM: a clean stop
  REQUIRE(c.wait_exit(lagging) == 0);
  const int via = (lagging + 1) % 3;
  for (int k = 0; k < 600; ++k) {
    auto r = c.call(via, "pin.add", Json{{"cid", test_cid(k)}});
    REQUIRE(r.is_ok());
  }
  c.start(lagging);
  REQUIRE(c.wait_caught_up());
  CHECK_THAT(c.log(lagging), Catch::Contains("installed a snapshot"));
  CHECK_THAT(c.log(c.leader()), Catch::Contains("a follower needs a snapshot"));
  CHECK(pinset(c, lagging) == pinset(c, via));
}
