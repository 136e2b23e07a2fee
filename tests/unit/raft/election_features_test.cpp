// Pre-vote (dissertation 9.6), check-quorum and the leader lease (6.2, 9.6), leadership transfer
// (3.10).
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace cl::raft;
using namespace cl::raft::test;

namespace {
Config full_config() {
  Config c = paper_config();
  c.pre_vote = true;
  c.check_quorum = true;
  return c;
}
Network cluster(std::size_t n, Config c = full_config()) {
  Network net(c);
  ConfState conf;
  for (NodeId i = 1; i <= n; ++i) conf.voters.push_back(i);
  for (NodeId i = 1; i <= n; ++i) net.add(i, conf);
  return net;
}
}  // namespace

TEST_CASE("pre-vote: a partitioned node does not raise its term, and does not depose the leader on return") {
  Network net = cluster(3);
  net.elect(1);
  REQUIRE(net.node(1)->term() == 1);
  net.isolate(3);
  for (int i = 0; i < 100; ++i) {
    net.tick_all(1);
    net.stabilize();
  }
  CHECK(net.node(3)->term() == 1);  // only pre-elections, which change nothing
  CHECK(net.node(3)->role() == Role::pre_candidate);
  net.heal();
  for (int i = 0; i < 30; ++i) {
    net.tick_all(1);
    net.stabilize();
  }
  CHECK(net.node(1)->role() == Role::leader);
  CHECK(net.node(1)->term() == 1);
  CHECK(net.node(3)->leader() == 1);
}

TEST_CASE("pre-vote: a node with a stale log loses the pre-election without anyone changing term") {
  Config c = full_config();
  c.check_quorum = false;  // no lease: node 2 answers the pre-vote
  Network net = cluster(3, c);
  net.elect(1);
  net.isolate(3);
  REQUIRE(net.node(1)->propose("a").is_ok());
  net.stabilize();
  net.heal();
  net.isolate(1);  // the leader goes away; 3 has a stale log
  net.node(3)->campaign();
  net.stabilize();
  CHECK(net.node(3)->role() == Role::pre_candidate);  // 2 refused; 1 is away: no quorum either way
  CHECK(net.node(2)->term() == 1);
  CHECK(net.node(3)->term() == 1);
}

TEST_CASE("pre-vote: without it a returning node disrupts the leader (the reason it exists)") {
  Config c = paper_config();
  Network net = cluster(3, c);
  net.elect(1);
  net.isolate(3);
  for (int i = 0; i < 25; ++i) net.tick(3, 1);
  take_msgs(net, 3);
  CHECK(net.node(3)->term() >= 2);
  net.heal();
  for (int i = 0; i < 30 && net.node(1)->term() == 1; ++i) {
    net.tick_all(1);
    net.stabilize();
  }
  CHECK(net.node(1)->term() >= 2);  // the leader had to step down to the higher term
}

TEST_CASE("check-quorum: a leader that hears from no quorum steps down after an election timeout") {
  Network net = cluster(3);
  net.elect(1);
  net.isolate(1);
  for (int i = 0; i < 21 && net.node(1)->role() == Role::leader; ++i) {
    net.tick(1, 1);
    take_msgs(net, 1);
  }
  CHECK(net.node(1)->role() == Role::follower);
  CHECK(net.node(1)->term() == 1);
}

TEST_CASE("check-quorum: a leader in touch with a quorum stays") {
  Network net = cluster(5);
  net.elect(1);
  net.isolate(4);
  net.isolate(5);
  for (int i = 0; i < 50; ++i) {
    net.tick(1, 1);
    net.stabilize();
  }
  CHECK(net.node(1)->role() == Role::leader);
}

TEST_CASE("leader lease: followers that hear from the leader ignore a vote request, even of a higher term") {
  Network net = cluster(3);
  net.elect(1);
  Message v = msg(MessageType::vote, 3, 2, 5);
  v.log_index = 100;
  v.log_term = 5;
  REQUIRE(net.node(2)->step(v).is_ok());
  CHECK(take_msgs(net, 2).empty());
  CHECK(net.node(2)->term() == 1);
  SECTION("but not a leadership transfer") {
    v.force = true;
    REQUIRE(net.node(2)->step(v).is_ok());
    auto ms = take_msgs(net, 2);
    REQUIRE(ms.size() == 1);
    CHECK_FALSE(ms[0].reject);
    CHECK(net.node(2)->term() == 5);
  }
}

TEST_CASE("a stale leader learns the new term from the answer to its append and steps down") {
  Network net = cluster(3);
  net.elect(1);
  net.isolate(1);
  for (int i = 0; i < 100 && net.leader() == 1; ++i) {
    net.tick(2, 1);
    net.tick(3, 1);
    net.stabilize();
  }
  const NodeId other = net.node(2)->role() == Role::leader ? 2 : 3;
  REQUIRE(net.node(other)->role() == Role::leader);
  REQUIRE(net.node(other)->term() >= 2);
  net.heal();
  REQUIRE(net.node(1)->role() == Role::leader);  // still believes it
  REQUIRE(net.node(1)->propose("stale").is_ok());
  net.stabilize();
  CHECK(net.node(1)->role() == Role::follower);
  CHECK(net.node(1)->term() == net.node(other)->term());
  net.tick(other, 1);
  net.stabilize();
  for (NodeId i = 1; i <= 3; ++i) CHECK(net.node(i).app.data.empty());  // "stale" never commits
}

TEST_CASE("transfer: to an up-to-date voter, TimeoutNow makes it leader at the next term") {
  Network net = cluster(3);
  net.elect(1);
  REQUIRE(net.node(1)->transfer_leader(2).is_ok());
  net.stabilize();
  CHECK(net.node(2)->role() == Role::leader);
  CHECK(net.node(2)->term() == 2);
  CHECK(net.node(1)->role() == Role::follower);
}

TEST_CASE("transfer: a lagging target is caught up first; proposals are refused meanwhile") {
  Network net = cluster(3);
  net.elect(1);
  net.isolate(3);
  for (int i = 0; i < 5; ++i) REQUIRE(net.node(1)->propose("p").is_ok());
  net.stabilize();
  net.heal();
  REQUIRE(net.node(1)->transfer_leader(3).is_ok());
  CHECK(net.node(1)->propose("during").code() == cl::util::Code::unavailable);
  CHECK(net.node(1)->status().lead_transferee == 3);
  net.stabilize();
  CHECK(net.node(3)->role() == Role::leader);
  CHECK(net.node(3).app.data.size() == 5);
}

TEST_CASE("transfer: abandoned after an election timeout when the target does not answer") {
  Network net = cluster(3);
  net.elect(1);
  net.isolate(3);
  REQUIRE(net.node(1)->transfer_leader(3).is_ok());
  for (int i = 0; i < 10; ++i) {
    net.tick(1, 1);
    net.stabilize();
  }
  CHECK(net.node(1)->role() == Role::leader);
  CHECK(net.node(1)->status().lead_transferee == kNoNode);
  CHECK(net.node(1)->propose("after").is_ok());
}

TEST_CASE("transfer: only to a voter, only by the leader") {
  Network net = cluster(3);
  net.elect(1);
  CHECK(net.node(1)->transfer_leader(7).code() == cl::util::Code::invalid_argument);
  CHECK(net.node(2)->transfer_leader(3).code() == cl::util::Code::not_leader);
  CHECK(net.node(2)->propose("x").status().message().find("node 1") != std::string::npos);
  CHECK(net.node(1)->transfer_leader(1).is_ok());  // to itself: nothing to do
}
