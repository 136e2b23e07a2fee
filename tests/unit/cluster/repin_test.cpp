#include <catch2/catch.hpp>

#include "cluster/repin.hpp"

using namespace cl;
using cluster::PeerState;
using cluster::PeerTable;

namespace {

PeerState up() {
  PeerState p;
  p.metrics = cluster::PeerMetrics{};
  return p;
}

pin::Pin pin_on(int n, int rmin, std::vector<std::string> allocations) {
  pin::Pin p;
  p.cid = cid::Cid::v1(cid::Codec::raw, cid::Multihash::sha2_256("repin-" + std::to_string(n)));
  p.rmin = rmin;
  p.rmax = rmin == -1 ? -1 : rmin + 1;
  p.allocations = std::move(allocations);
  return p;
}

}  // namespace

TEST_CASE("live allocations: in the table, not down, with metrics") {
  PeerTable peers{{"a", up()}, {"b", up()}, {"c", up()}, {"d", up()}};
  peers["b"].is_down = true;
  peers["c"].metrics.reset();
  peers["d"].quotas.max_pins = 1;  // over quota still holds its pins
  peers["d"].metrics->numpin = 5;
  CHECK(cluster::is_live(peers, "a"));
  CHECK_FALSE(cluster::is_live(peers, "b"));
  CHECK_FALSE(cluster::is_live(peers, "c"));
  CHECK(cluster::is_live(peers, "d"));
  CHECK_FALSE(cluster::is_live(peers, "removed"));
  CHECK(cluster::live_allocation_count(pin_on(0, 2, {"a", "b", "c", "d", "removed", "a"}), peers) == 2);
}

TEST_CASE("pins under rmin are selected for re-allocation, in batch order and bounded") {
  PeerTable peers{{"a", up()}, {"b", up()}, {"c", up()}};
  peers["b"].is_down = true;
  std::vector<pin::Pin> batch{
      pin_on(0, 2, {"a", "c"}),       // 2 live: fine
      pin_on(1, 2, {"a", "b"}),       // 1 live: needs
      pin_on(2, -1, {}),              // everywhere: never
      pin_on(3, 1, {"b", "gone"}),    // 0 live: needs
      pin_on(4, 1, {"a", "b", "c"}),  // above rmin with a down one: left alone
      pin_on(5, 3, {"a", "c"}),       // 2 live of 3: needs
  };
  CHECK_FALSE(cluster::under_rmin(batch[0], peers));
  CHECK(cluster::under_rmin(batch[1], peers));
  CHECK_FALSE(cluster::under_rmin(batch[2], peers));
  CHECK_FALSE(cluster::under_rmin(batch[4], peers));

  auto needs = cluster::select_under_rmin(batch, peers, 10);
  REQUIRE(needs.size() == 3);
  CHECK(needs[0] == cluster::RepinNeed{1, batch[1].cid, 2, 1});
  CHECK(needs[1] == cluster::RepinNeed{3, batch[3].cid, 1, 0});
  CHECK(needs[2] == cluster::RepinNeed{5, batch[5].cid, 3, 2});

  auto first = cluster::select_under_rmin(batch, peers, 2);
  REQUIRE(first.size() == 2);
  CHECK(first[1].index == 3);
  auto rest = cluster::select_under_rmin(std::span(batch).subspan(first.back().index + 1), peers, 2);
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].cid == batch[5].cid);
  CHECK(cluster::select_under_rmin(batch, peers, 0).empty());
}

namespace {

PeerState up_with(std::uint64_t freespace, const std::string& group) {
  PeerState p = up();
  p.metrics->freespace_bytes = freespace;
  p.metrics->tags["group"] = group;
  return p;
}

pin::Pin pin_exact(int n, int r, std::vector<std::string> allocations) {
  pin::Pin p = pin_on(n, r, std::move(allocations));
  p.rmax = r;
  return p;
}

}  // namespace

TEST_CASE("the repin plan moves only pins under rmin, off the dead peer, across groups") {
  // a, b in group x; c, d in group y. d is dead.
  PeerTable peers{{"a", up_with(100, "x")}, {"b", up_with(300, "x")}, {"c", up_with(200, "y")}, {"d", up()}};
  peers["d"].is_down = true;
  peers["d"].metrics.reset();
  std::vector<pin::Pin> batch{
      pin_exact(0, 2, {"a", "d"}),  // 1 live: gets c (group y, like d was)
      pin_exact(1, 2, {"a", "c"}),  // fine
      pin_exact(2, 2, {"c", "d"}),  // 1 live: gets b (group x, most space)
      pin_on(3, 1, {"b", "d"}),     // rmin 1, 1 live: left alone (d stays listed)
      pin_exact(4, -1, {}),         // everywhere
      pin_exact(5, 3, {"d"}),       // 0 live: a, b, c
  };
  auto plan = cluster::plan_repins(batch, peers, cluster::default_allocate_by(), 10);
  REQUIRE(plan.changed.size() == 3);
  CHECK(plan.changed[0].cid == batch[0].cid);
  CHECK(plan.changed[0].allocations == std::vector<std::string>{"a", "c"});
  CHECK(plan.changed[1].allocations == std::vector<std::string>{"b", "c"});
  CHECK(plan.changed[2].allocations == std::vector<std::string>{"a", "b", "c"});
  CHECK(plan.changed[2].timestamp_ms == batch[5].timestamp_ms);
  CHECK(plan.moved_from == std::map<std::string, std::size_t>{{"d", 3}});
  CHECK(plan.failed == 0);
  CHECK(plan.next_index == batch.size());

  SECTION("bounded: resumes where it stopped, with the same result") {
    auto first = cluster::plan_repins(batch, peers, cluster::default_allocate_by(), 2);
    CHECK(first.changed.size() == 2);
    CHECK(first.next_index == 3);
    auto rest = cluster::plan_repins(std::span(batch).subspan(first.next_index), peers,
                                     cluster::default_allocate_by(), 2);
    REQUIRE(rest.changed.size() == 1);
    CHECK(rest.changed[0] == plan.changed[2]);
    CHECK(rest.next_index == 3);
  }
  SECTION("a peer in grace keeps its pins and gets no new ones") {
    PeerTable g = peers;
    g["c"].in_grace = true;  // down, but not for repin_delay yet
    auto p = cluster::plan_repins(batch, g, cluster::default_allocate_by(), 10);
    REQUIRE(p.changed.size() == 2);
    CHECK(p.changed[0].allocations == std::vector<std::string>{"a", "b"});  // not c
    CHECK(p.changed[1].allocations == std::vector<std::string>{"b", "c"});  // c kept
    CHECK(p.failed == 1);  // pin 5 needs 3 peers, only a and b take new pins
    CHECK_THAT(p.first_error, Catch::Contains("its pins move after repin_delay"));
  }
  SECTION("pins placed earlier in the batch count against max_pins") {
    PeerTable q = peers;
    q["c"].quotas.max_pins = 1;  // c may take one more pin
    auto p = cluster::plan_repins(batch, q, cluster::default_allocate_by(), 10);
    REQUIRE(p.changed.size() == 2);
    CHECK(p.changed[0].allocations == std::vector<std::string>{"a", "c"});  // c takes pin 0
    CHECK(p.changed[1].allocations == std::vector<std::string>{"b", "c"});  // c already held pin 2
    CHECK(p.failed == 1);                                                   // pin 5 needed c as a third peer
    CHECK_THAT(p.first_error, Catch::Contains("max_pins 1 reached"));
  }
  SECTION("not enough peers: the pin stays, counted as failed") {
    PeerTable two{{"a", up()}, {"d", peers["d"]}};  // b and c were removed from the cluster
    auto p = cluster::plan_repins(batch, two, cluster::default_allocate_by(), 10);
    REQUIRE(p.changed.size() == 1);  // pin 3 (rmin 1) moves to a
    CHECK(p.changed[0].allocations == std::vector<std::string>{"a"});
    CHECK(p.moved_from == std::map<std::string, std::size_t>{{"b", 1}, {"d", 1}});
    CHECK(p.failed == 4);  // pins 0, 1, 2 and 5 need more peers than a
    CHECK_THAT(p.first_error, Catch::Contains("need 2, found 1"));
  }
}
