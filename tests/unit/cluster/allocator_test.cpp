#include <catch2/catch.hpp>

#include <algorithm>

#include "cluster/allocator.hpp"
#include "util/rng.hpp"

using namespace cl;
using cluster::Decision;
using cluster::PeerState;
using cluster::PeerTable;
using Peers = std::vector<std::string>;

namespace {

constexpr std::uint64_t kGB = 1'000'000'000;

PeerState peer(std::uint64_t freespace_bytes, const std::string& group = "", std::uint64_t numpin = 0,
               std::uint64_t pinqueue = 0) {
  PeerState p;
  cluster::PeerMetrics m;
  m.freespace_bytes = freespace_bytes;
  m.numpin = numpin;
  m.pinqueue = pinqueue;
  if (!group.empty()) m.tags["group"] = group;
  p.metrics = m;
  return p;
}

PeerState down(PeerState p) {
  p.is_down = true;
  return p;
}

cluster::AllocationRequest request(int rmin, int rmax) {
  cluster::AllocationRequest r;
  r.cid = cid::Cid::v1(cid::Codec::raw, cid::Multihash::sha2_256("allocator-test"));
  r.rmin = rmin;
  r.rmax = rmax;
  return r;
}

std::vector<cluster::SortKey> by(const std::vector<std::string>& names) {
  auto keys = cluster::parse_allocate_by(names);
  REQUIRE(keys.is_ok());
  return *keys;
}

Peers allocate_ok(const cluster::AllocationRequest& r, const PeerTable& peers,
                  const std::vector<cluster::SortKey>& keys = cluster::default_allocate_by()) {
  auto a = cluster::allocate(r, peers, keys);
  INFO(a.status().to_string());
  REQUIRE(a.is_ok());
  CHECK_FALSE(a->everywhere);
  return a->peers;
}

}  // namespace

TEST_CASE("allocate_by names parse and print back") {
  auto keys = cluster::parse_allocate_by({"tag:region", "freespace", "numpin", "pinqueue"});
  REQUIRE(keys.is_ok());
  REQUIRE(keys->size() == 4);
  CHECK((*keys)[0].kind == cluster::SortKey::Kind::tag);
  CHECK((*keys)[0].tag == "region");
  CHECK(cluster::sort_key_name((*keys)[0]) == "tag:region");
  CHECK(cluster::sort_key_name((*keys)[3]) == "pinqueue");
  CHECK(*cluster::parse_allocate_by({"tag:group", "freespace", "numpin"}) == cluster::default_allocate_by());

  auto bad = cluster::parse_allocate_by({"freespace", "diskspeed"});
  CHECK(bad.code() == util::Code::invalid_argument);
  CHECK(bad.status().message() ==
        "invalid allocate_by entry 'diskspeed': use freespace, numpin, pinqueue or tag:<name>");
  CHECK(cluster::parse_allocate_by({"tag:"}).code() == util::Code::invalid_argument);
  CHECK(cluster::parse_allocate_by({"numpin", "numpin"}).code() == util::Code::invalid_argument);
  CHECK(cluster::parse_allocate_by(std::vector<std::string>(17, "numpin")).code() ==
        util::Code::invalid_argument);
}

TEST_CASE("tags spread a pin over groups") {
  SECTION("4 peers in 2 groups, rmin 2: one per group, the roomiest of each") {
    PeerTable peers{{"a1", peer(90 * kGB, "eu")},
                    {"a2", peer(80 * kGB, "eu")},
                    {"b1", peer(20 * kGB, "us")},
                    {"b2", peer(30 * kGB, "us")}};
    CHECK(allocate_ok(request(2, 2), peers) == Peers{"a1", "b2"});
    // Without the tag, free space alone decides.
    CHECK(allocate_ok(request(2, 2), peers, by({"freespace"})) == Peers{"a1", "a2"});
  }
  SECTION("6 peers in 3 groups, rmax 3: one per group") {
    PeerTable peers;
    for (int i = 0; i < 6; ++i) {
      peers["p" + std::to_string(i)] = peer((10 + i) * kGB, "g" + std::to_string(i % 3));
    }
    CHECK(allocate_ok(request(1, 3), peers) == Peers{"p3", "p4", "p5"});
  }
  SECTION("more replicas than groups: the groups fill evenly") {
    PeerTable peers{{"a1", peer(9 * kGB, "a")},
                    {"a2", peer(8 * kGB, "a")},
                    {"a3", peer(7 * kGB, "a")},
                    {"b1", peer(1 * kGB, "b")},
                    {"b2", peer(2 * kGB, "b")}};
    CHECK(allocate_ok(request(4, 4), peers) == Peers{"a1", "a2", "b1", "b2"});
  }
  SECTION("a peer without the tag is in the group of the empty value") {
    PeerTable peers{{"x", peer(5 * kGB)}, {"y", peer(4 * kGB)}, {"z", peer(1 * kGB, "z")}};
    CHECK(allocate_ok(request(2, 2), peers) == Peers{"x", "z"});
  }
}

TEST_CASE("freespace ranks by available space, most first") {
  PeerTable peers{{"a", peer(10 * kGB)}, {"b", peer(30 * kGB)}, {"c", peer(20 * kGB)}};
  CHECK(allocate_ok(request(2, 2), peers, by({"freespace"})) == Peers{"b", "c"});
  // Available space is freespace minus the peer's storage_reserve.
  peers["b"].quotas.storage_reserve_bytes = 25 * kGB;
  CHECK(allocate_ok(request(2, 2), peers, by({"freespace"})) == Peers{"a", "c"});
  // A peer not reporting freespace ranks last, and is still a candidate without space checks.
  peers["d"].metrics = cluster::PeerMetrics{};
  CHECK(allocate_ok(request(4, 4), peers, by({"freespace"})) == Peers{"a", "b", "c", "d"});
  CHECK(allocate_ok(request(3, 3), peers, by({"freespace"})) == Peers{"a", "b", "c"});
}

TEST_CASE("numpin and pinqueue rank when listed; peer ID breaks the last tie") {
  PeerTable peers{{"a", peer(1 * kGB, "", 50, 0)},
                  {"b", peer(9 * kGB, "", 10, 7)},
                  {"c", peer(5 * kGB, "", 10, 3)},
                  {"d", peer(5 * kGB, "", 30, 0)}};
  CHECK(allocate_ok(request(2, 2), peers, by({"numpin"})) == Peers{"b", "c"});
  CHECK(allocate_ok(request(1, 1), peers, by({"numpin", "pinqueue"})) == Peers{"c"});
  CHECK(allocate_ok(request(2, 2), peers, by({"pinqueue"})) == Peers{"a", "d"});
  CHECK(allocate_ok(request(1, 1), peers, by({"pinqueue", "freespace"})) == Peers{"d"});
  CHECK(allocate_ok(request(1, 1), peers, by({"pinqueue", "numpin"})) == Peers{"d"});
  // All equal: the smallest peer ID wins.
  PeerTable same{{"q", peer(kGB)}, {"p", peer(kGB)}, {"r", peer(kGB)}};
  CHECK(allocate_ok(request(1, 1), same, by({"freespace", "numpin"})) == Peers{"p"});
  CHECK(allocate_ok(request(1, 1), same, {}) == Peers{"p"});
}

TEST_CASE("quotas exclude peers") {
  PeerTable peers{{"a", peer(50 * kGB, "", 100)}, {"b", peer(10 * kGB)}, {"c", peer(5 * kGB)}};
  peers["a"].quotas.max_pins = 100;

  SECTION("max_pins reached") {
    CHECK(allocate_ok(request(1, 1), peers) == Peers{"b"});
    peers["a"].quotas.max_pins = 101;
    CHECK(allocate_ok(request(1, 1), peers) == Peers{"a"});
  }
  SECTION("a peer holding the pin does not count it against its own max_pins") {
    auto r = request(1, 1);
    r.current_allocations = {"a"};
    CHECK(allocate_ok(r, peers) == Peers{"a"});
    peers["a"].metrics->numpin = 101;
    CHECK(allocate_ok(r, peers) == Peers{"b"});
  }
  SECTION("storage_reserve") {
    peers["b"].quotas.storage_reserve_bytes = 10 * kGB;  // freespace == reserve: full
    CHECK(allocate_ok(request(1, 1), peers) == Peers{"c"});
    peers["c"].quotas.storage_reserve_bytes = 6 * kGB;
    auto a = cluster::allocate(request(1, 1), peers, cluster::default_allocate_by());
    CHECK(a.code() == util::Code::failed_precondition);
  }
  SECTION("size_bytes that does not fit") {
    auto r = request(1, 2);
    r.size_bytes = 6 * kGB;
    CHECK(allocate_ok(r, peers) == Peers{"b"});
    peers["b"].quotas.storage_reserve_bytes = 4 * kGB + 1;  // 6 GB - 1 left
    auto a = cluster::allocate(r, peers, cluster::default_allocate_by());
    CHECK(a.code() == util::Code::failed_precondition);
    peers["b"].quotas.storage_reserve_bytes = 4 * kGB;  // exactly 6 GB left: fits
    CHECK(allocate_ok(r, peers) == Peers{"b"});
  }
  SECTION("unknown freespace fails the space checks only when they are needed") {
    peers["d"].metrics = cluster::PeerMetrics{};
    auto r = request(3, 3);
    CHECK(allocate_ok(r, peers) == Peers{"b", "c", "d"});
    r.size_bytes = 1;
    CHECK(cluster::allocate(r, peers, cluster::default_allocate_by()).code() ==
          util::Code::failed_precondition);
    r.current_allocations = {"d"};  // its copy is already there: kept
    CHECK(allocate_ok(r, peers) == Peers{"b", "c", "d"});
  }
}

TEST_CASE("user allocations come first, unless they cannot take the pin") {
  PeerTable peers{{"a", peer(90 * kGB)}, {"b", peer(50 * kGB)}, {"c", peer(1 * kGB)}, {"d", peer(2 * kGB)}};
  auto r = request(2, 2);
  r.user_allocations = {"c"};
  CHECK(allocate_ok(r, peers) == Peers{"a", "c"});
  r.user_allocations = {"d", "c", "b"};  // more than rmax: the first ones
  CHECK(allocate_ok(r, peers) == Peers{"c", "d"});

  peers["c"] = down(peers["c"]);
  r.user_allocations = {"c", "ghost", "d"};
  r.explain = true;
  auto a = cluster::allocate(r, peers, cluster::default_allocate_by());
  REQUIRE(a.is_ok());
  CHECK(a->peers == Peers{"a", "d"});
  REQUIRE(a->trail.size() >= 4);
  CHECK(a->trail[0] == Decision{"d", Decision::Choice::user, "user allocation"});
  CHECK(a->trail[1].peer_id == "a");
  CHECK(a->trail[1].choice == Decision::Choice::ranked);
  CHECK(a->trail[1].reason == "rank 1: tag:group= (1 chosen) freespace=90000000000 numpin=0");
  CHECK(a->trail[2] == Decision{"c", Decision::Choice::excluded, "down"});
  CHECK(a->trail[3] == Decision{"ghost", Decision::Choice::excluded, "not a cluster peer"});
}

TEST_CASE("rmin -1 is everywhere, whatever the peers") {
  auto r = request(-1, -1);
  auto a = cluster::allocate(r, PeerTable{}, cluster::default_allocate_by());
  REQUIRE(a.is_ok());
  CHECK(a->everywhere);
  CHECK(a->peers.empty());
  CHECK_FALSE(a->changed);
  r.current_allocations = {"a"};  // was allocated, now everywhere
  a = cluster::allocate(r, PeerTable{{"a", down(peer(1))}}, cluster::default_allocate_by());
  REQUIRE(a.is_ok());
  CHECK(a->everywhere);
  CHECK(a->changed);
}

TEST_CASE("rmax -1 allocates every candidate") {
  PeerTable peers{{"a", peer(kGB)}, {"b", down(peer(kGB))}, {"c", peer(kGB)}, {"d", peer(kGB)}};
  CHECK(allocate_ok(request(2, -1), peers) == Peers{"a", "c", "d"});
}

TEST_CASE("invalid replication factors are rejected") {
  PeerTable peers{{"a", peer(kGB)}};
  for (auto [rmin, rmax] :
       std::vector<std::pair<int, int>>{{0, 1}, {0, 0}, {-2, 1}, {2, 1}, {1, -2}, {1, 1025}}) {
    INFO(rmin << " " << rmax);
    auto a = cluster::allocate(request(rmin, rmax), peers, cluster::default_allocate_by());
    CHECK(a.code() == util::Code::invalid_argument);
  }
  CHECK(cluster::allocate(request(1, 1), peers, {}).is_ok());
}

TEST_CASE("not enough peers: the message says how many and why the others were excluded") {
  const std::string x = "12D3KooWXxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxaaaaaa";
  const std::string y = "12D3KooWYyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyybbbbbb";
  const std::string z = "12D3KooWZzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzcccccc";
  PeerTable peers{{x, down(peer(kGB))}, {y, peer(kGB, "", 100)}, {z, peer(kGB)}, {"ok1", peer(kGB)}};
  peers[y].quotas.max_pins = 100;
  peers[z].metrics.reset();
  auto r = request(3, 3);
  auto a = cluster::allocate(r, peers, cluster::default_allocate_by());
  REQUIRE(a.code() == util::Code::failed_precondition);
  CHECK(a.status().message() ==
        "not enough peers to allocate " + r.cid.to_string() +
            ": need 3, found 1 (12D3KooW..aaaaaa: down; 12D3KooW..bbbbbb: max_pins 100 "
            "reached; 12D3KooW..cccccc: no valid metrics (treated as down)); bring peers "
            "back, free space or lower rmin");

  SECTION("with every peer eligible, it says how many there are") {
    auto few = cluster::allocate(r, PeerTable{{"a", peer(kGB)}}, cluster::default_allocate_by());
    CHECK(few.status().message() == "not enough peers to allocate " + r.cid.to_string() +
                                        ": need 3, found 1 (no peer was excluded: the cluster is too small); "
                                        "bring peers back, free space or lower rmin");
  }
  SECTION("the list of reasons is bounded") {
    PeerTable many;
    for (int i = 0; i < 40; ++i) many["p" + std::to_string(100 + i)] = down(peer(kGB));
    auto m = cluster::allocate(r, many, cluster::default_allocate_by());
    CHECK_THAT(m.status().message(), Catch::Contains("p115: down; and 24 more)"));
    CHECK_THAT(m.status().message(), !Catch::Contains("p116"));
  }
}

TEST_CASE("down peers are never allocated") {
  PeerTable peers{{"a", down(peer(99 * kGB))}, {"b", peer(1 * kGB)}, {"c", peer(2 * kGB)}};
  CHECK(allocate_ok(request(1, 3), peers) == Peers{"b", "c"});
}

TEST_CASE("valid current allocations are kept") {
  PeerTable peers{{"a", peer(1 * kGB)},
                  {"b", peer(2 * kGB)},
                  {"c", peer(3 * kGB)},
                  {"d", peer(90 * kGB)},
                  {"e", peer(80 * kGB)}};
  auto r = request(2, 3);
  r.current_allocations = {"b", "a"};
  SECTION("at least rmin valid: nothing moves, even below rmax") {
    auto a = cluster::allocate(r, peers, cluster::default_allocate_by());
    REQUIRE(a.is_ok());
    CHECK(a->peers == Peers{"a", "b"});
    CHECK_FALSE(a->changed);
    peers["c"] = down(peers["c"]);  // a down peer that does not hold the pin changes nothing
    CHECK(allocate_ok(r, peers) == Peers{"a", "b"});
  }
  SECTION("an invalid one is dropped without adding when the rest reach rmin") {
    r.current_allocations = {"a", "b", "c"};
    peers["c"] = down(peers["c"]);
    auto a = cluster::allocate(r, peers, cluster::default_allocate_by());
    REQUIRE(a.is_ok());
    CHECK(a->peers == Peers{"a", "b"});
    CHECK(a->changed);
  }
  SECTION("below rmin: only the down one is replaced, up to rmax") {
    r.rmin = 2;
    r.rmax = 2;
    peers["b"] = down(peers["b"]);
    r.explain = true;
    auto a = cluster::allocate(r, peers, cluster::default_allocate_by());
    REQUIRE(a.is_ok());
    CHECK(a->peers == Peers{"a", "d"});
    CHECK(a->changed);
    CHECK(a->trail[0] == Decision{"a", Decision::Choice::kept, "current allocation"});
    CHECK(a->trail[1].peer_id == "d");
    CHECK(a->trail.back() == Decision{"b", Decision::Choice::dropped, "down"});
  }
  SECTION("more valid current allocations than rmax: the best ranked stay") {
    r.current_allocations = {"a", "b", "c", "d"};
    CHECK(allocate_ok(r, peers) == Peers{"b", "c", "d"});
  }
}

TEST_CASE("the same inputs in another order give the same allocation") {
  std::vector<std::pair<std::string, PeerState>> list;
  for (int i = 0; i < 12; ++i) {
    list.emplace_back("peer" + std::to_string(i),
                      peer((i % 4) * kGB + kGB, "g" + std::to_string(i % 3), i % 5));
  }
  auto r = request(4, 5);
  r.current_allocations = {"peer1", "peer2", "peer7"};
  r.user_allocations = {"peer9"};
  list[2].second.is_down = true;
  const auto keys = by({"tag:group", "numpin", "freespace"});
  PeerTable table(list.begin(), list.end());
  const Peers expected = allocate_ok(r, table, keys);
  CHECK(expected.size() == 5);

  util::Rng rng(7);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(list.begin(), list.end(), rng);
    std::shuffle(r.current_allocations.begin(), r.current_allocations.end(), rng);
    PeerTable shuffled;
    for (const auto& [id, state] : list) shuffled.emplace(id, state);
    CHECK(allocate_ok(r, shuffled, keys) == expected);
  }
}

TEST_CASE("short_peer_id keeps short IDs and shortens long ones the same way every time") {
  CHECK(cluster::short_peer_id("peerA") == "peerA");
  CHECK(cluster::short_peer_id("0123456789abcdef") == "0123456789abcdef");
  CHECK(cluster::short_peer_id("12D3KooWAbCdEfGhIjKlMnOpQrStUvWxYz123456") == "12D3KooW..123456");
}

TEST_CASE("a peer in grace keeps what it holds and gets nothing new") {
  PeerState g = peer(99 * kGB);
  g.in_grace = true;
  PeerTable peers{{"a", peer(1 * kGB)}, {"b", peer(2 * kGB)}, {"g", g}};
  CHECK(allocate_ok(request(1, 3), peers) == Peers{"a", "b"});
  auto r = request(2, 2);
  r.current_allocations = {"a", "g"};
  auto a = cluster::allocate(r, peers, cluster::default_allocate_by());
  REQUIRE(a.is_ok());
  CHECK(a->peers == Peers{"a", "g"});
  CHECK_FALSE(a->changed);
  CHECK(cluster::exclusion_reason(peers, "g", false, 0) == "down (its pins move after repin_delay)");
  CHECK_FALSE(cluster::exclusion_reason(peers, "g", true, 0).has_value());
}
