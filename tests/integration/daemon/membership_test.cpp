// Growing past voters_max (learners stay followers), and removing peers.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace cl;
using namespace cl::testing;
using api::Json;

namespace {

std::map<std::string, std::string> roles(const LocalCluster& c, int via) {
  std::map<std::string, std::string> out;
  auto peers = c.stream(via, "peers.ls");
  if (!peers) return out;
  for (const auto& p : *peers) out[p["peer_id"].get<std::string>()] = p["role"].get<std::string>();
  return out;
}

std::string describe(const std::map<std::string, std::string>& roles) {
  std::string out;
  for (const auto& [id, r] : roles) out += id.substr(id.size() - 6) + "=" + r + " ";
  return out;
}

int count_role(const std::map<std::string, std::string>& roles, const std::string& role) {
  int n = 0;
  for (const auto& [id, r] : roles) n += r == role;
  return n;
}

}  // namespace

TEST_CASE(
    "a fourth and fifth peer join as followers beyond voters_max; removing a voter keeps the cluster "
    "committing",
    "[membership]") {
  LocalCluster c({.bin_dir = bin_dir(), .base_port = 19750, .env = {{"CL_VOTERS_MAX", "3"}}});
  c.add_peers(5);
  REQUIRE(c.wait_for_voters(3));
  REQUIRE(c.wait_caught_up());
  std::map<std::string, std::string> r;
  REQUIRE(LocalCluster::wait_until([&] {
    r = roles(c, 4);
    return r.size() == 5 && count_role(r, "leader") == 1 && count_role(r, "voter") == 2 &&
           count_role(r, "follower") == 2;
  }));

  // Remove a voter that is not the leader.
  const int leader = c.leader();
  int victim = -1;
  for (int i = 0; i < 5; ++i) {
    if (i != leader && r[c.peer_id(i)] == "voter") victim = i;
  }
  REQUIRE(victim >= 0);
  auto rm = c.call((victim + 1) % 5, "peers.rm", Json{{"peer_id", c.peer_id(victim)}});
  INFO(rm.status().to_string());
  REQUIRE(rm.is_ok());
  // The removed peer stops itself and says why.
  CHECK(c.wait_exit(victim, 20'000) == 1);
  CHECK_THAT(c.log(victim), Catch::Contains("removed from the cluster"));
  // Listed no more; a follower takes the free voter seat; pins still commit.
  const bool settled = LocalCluster::wait_until([&] {
    r = roles(c, leader);
    return r.size() == 4 && r.count(c.peer_id(victim)) == 0 && count_role(r, "voter") == 2 &&
           count_role(r, "follower") == 1;
  });
  INFO("roles: " << describe(r));
  REQUIRE(settled);
  auto pinned = c.call(leader, "pin.add", Json{{"cid", test_cid(1)}});
  CHECK(pinned.is_ok());

  // Removing someone who is not a member is refused by name.
  auto again = c.call(leader, "peers.rm", Json{{"peer_id", c.peer_id(victim)}});
  REQUIRE_FALSE(again.is_ok());
  CHECK(again.code() == util::Code::not_found);
  CHECK_THAT(again.status().message(), Catch::Contains(c.peer_id(victim)));
}

TEST_CASE("the leader can remove itself; another takes over", "[membership]") {
  LocalCluster c({.bin_dir = bin_dir(), .base_port = 19770});
  c.add_peers(3);
  REQUIRE(c.wait_for_voters(3));
  const int leader = c.leader();
  auto rm = c.call(leader, "peers.rm", Json{{"peer_id", c.peer_id(leader)}});
  INFO(rm.status().to_string());
  REQUIRE(rm.is_ok());
  CHECK(c.wait_exit(leader, 20'000) == 1);
  REQUIRE(LocalCluster::wait_until([&] {
    int l = c.leader();
    return l >= 0 && l != leader;
  }));
  REQUIRE(c.wait_for_voters(2));
  CHECK(c.call(c.leader(), "pin.add", Json{{"cid", test_cid(2)}}).is_ok());
}
