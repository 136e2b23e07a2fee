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
