// Raft paper, figure 2 "Rules for Servers" and section 5.2 (leader election), 5.4.1 (election
// restriction). Pre-vote and check-quorum are off here; they have their own tests.
#include <catch2/catch.hpp>

#include <set>

#include "helpers.hpp"

using namespace cl::raft;
using namespace cl::raft::test;

namespace {
// Brings node `id` to `role` at term `term` without a network.
void make_role(Network& net, NodeId id, Role role, Term term) {
  TestNode& n = net.node(id);
  if (role == Role::follower) {
    if (term > n->term())
      REQUIRE(n->step(msg(MessageType::heartbeat, 9, id, term)).is_ok());  // 9: some leader
    take_msgs(net, id);
    return;
  }
  while (n->term() + 1 < term) {
    n->campaign();
    take_msgs(net, id);
  }
  n->campaign();
  take_msgs(net, id);
  REQUIRE(n->role() == Role::candidate);
  if (role == Role::leader) {
    for (NodeId peer : n->status().conf.voters) {
      if (peer == id) continue;
      REQUIRE(n->step(msg(MessageType::vote_resp, peer, id, n->term())).is_ok());
    }
    take_msgs(net, id);
    REQUIRE(n->role() == Role::leader);
  }
}
}  // namespace

TEST_CASE("5.1: a node starts as a follower at term 0") {
  Network net(paper_config());
  auto& n = net.add(1, voters({1, 2, 3}));
  CHECK(n->role() == Role::follower);
  CHECK(n->term() == 0);
  CHECK(n->leader() == kNoNode);
}

TEST_CASE("figure 2: a higher term in any message makes any role a follower at that term") {
  for (Role role : {Role::follower, Role::candidate, Role::leader}) {
    Network net(paper_config());
    net.add(1, voters({1, 2, 3}));
    make_role(net, 1, role, 1);
    auto st = net.node(1)->step(msg(MessageType::append, 2, 1, 5));
    REQUIRE(st.is_ok());
    CHECK(net.node(1)->term() == 5);
    CHECK(net.node(1)->role() == Role::follower);
    CHECK(net.node(1)->leader() == 2);
  }
}

TEST_CASE("figure 2: a message with a stale term is rejected") {
  Network net(paper_config());
  net.add(1, voters({1, 2, 3}));
  make_role(net, 1, Role::follower, 3);
  Message m = msg(MessageType::append, 2, 1, 2);
  m.entries = {ent(2, 1, "x")};
  REQUIRE(net.node(1)->step(m).is_ok());
  take_msgs(net, 1);
  CHECK(net.node(1).storage->last_index() == 0);  // nothing appended
  CHECK(net.node(1)->term() == 3);
}

TEST_CASE(
    "5.2: a follower that hears nothing starts an election: term+1, votes for itself, asks all voters") {
  Network net(paper_config());
  auto& n = net.add(1, voters({1, 2, 3}));
  net.tick(1, 2 * 10);
  CHECK(n->role() == Role::candidate);
  CHECK(n->term() == 1);
  CHECK(n->status().vote == 1);
  auto ms = take_msgs(net, 1);
  auto votes = of_type(ms, MessageType::vote);
  REQUIRE(votes.size() == 2);
  std::set<NodeId> to;
  for (auto& m : votes) {
    to.insert(m.to);
    CHECK(m.term == 1);
  }
  CHECK(to == std::set<NodeId>{2, 3});
  CHECK(n.storage->hard_state() == HardState{1, 1, 0});  // term and vote persisted with the Ready
}

TEST_CASE("5.2: election timeouts are randomized in [election, 2 * election)") {
  std::set<int> seen;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    Config c = paper_config();
    c.seed = seed;
    Network net(c);
    auto& n = net.add(1, voters({1, 2, 3}));
    int ticks = 0;
    while (n->role() == Role::follower && ticks < 100) {
      n->tick();
      ++ticks;
    }
    CHECK(ticks >= 10);
    CHECK(ticks < 20);
    seen.insert(ticks);
  }
  CHECK(seen.size() > 3);
}

TEST_CASE("5.2: a candidate wins with votes from a majority and loses without") {
  struct Case {
    std::size_t size;
    std::map<NodeId, bool> votes;
    Role want;
  };
  std::vector<Case> cases = {
      {1, {}, Role::leader},
      {3, {{2, true}}, Role::leader},
      {3, {{2, true}, {3, true}}, Role::leader},
      {3, {{2, false}}, Role::candidate},
      {3, {{2, false}, {3, false}}, Role::follower},
      {5, {{2, true}, {3, true}}, Role::leader},
      {5, {{2, true}}, Role::candidate},
      {5, {{2, false}, {3, false}, {4, false}}, Role::follower},
      {5, {{2, true}, {3, false}, {4, false}}, Role::candidate},
  };
  for (const auto& c : cases) {
    ConfState conf;
    for (NodeId i = 1; i <= c.size; ++i) conf.voters.push_back(i);
    Network net(paper_config());
    auto& n = net.add(1, conf);
    n->campaign();
    take_msgs(net, 1);
    for (auto [from, granted] : c.votes) {
      Message m = msg(MessageType::vote_resp, from, 1, 1);
      m.reject = !granted;
      REQUIRE(n->step(m).is_ok());
    }
    INFO("size " << c.size << " votes " << c.votes.size());
    CHECK(n->role() == c.want);
    CHECK(n->term() == 1);
  }
}

TEST_CASE("5.2: a voter grants at most one vote per term, first come first served") {
  Network net(paper_config());
  auto& n = net.add(1, voters({1, 2, 3}));
  Message a = msg(MessageType::vote, 2, 1, 1);
  Message b = msg(MessageType::vote, 3, 1, 1);
  REQUIRE(n->step(a).is_ok());
  REQUIRE(n->step(b).is_ok());
  REQUIRE(n->step(a).is_ok());  // the same candidate asking again is granted again
  auto ms = take_msgs(net, 1);
  REQUIRE(ms.size() == 3);
  CHECK_FALSE(ms[0].reject);
  CHECK(ms[1].reject);
  CHECK_FALSE(ms[2].reject);
  CHECK(n.storage->hard_state().vote == 2);
}

TEST_CASE("5.2: a candidate that hears from a leader of its term steps down") {
  Network net(paper_config());
  auto& n = net.add(1, voters({1, 2, 3}));
  make_role(net, 1, Role::candidate, 1);
  REQUIRE(n->step(msg(MessageType::append, 2, 1, 1)).is_ok());
  CHECK(n->role() == Role::follower);
  CHECK(n->leader() == 2);
  CHECK(n->term() == 1);
}

TEST_CASE("5.2: a split vote times out and the candidate starts a new election") {
  Network net(paper_config());
  auto& n = net.add(1, voters({1, 2, 3}));
  int ticks = 0;
  while (n->term() < 1 && ticks < 100) {
    net.tick(1, 1);
    ++ticks;
  }
  REQUIRE(n->role() == Role::candidate);
  take_msgs(net, 1);
  ticks = 0;
  while (n->term() < 2 && ticks < 100) {
    net.tick(1, 1);
    ++ticks;
  }
  CHECK(ticks < 20);  // within one randomized election timeout
  CHECK(n->role() == Role::candidate);
  CHECK(n->term() == 2);
  CHECK(of_type(take_msgs(net, 1), MessageType::vote).size() == 2);
}

TEST_CASE("5.2: a leader sends heartbeats every heartbeat interval") {
  Config c = paper_config();
  c.heartbeat_ticks = 3;
  Network net(c);
  auto& n = net.add(1, voters({1, 2, 3}));
  make_role(net, 1, Role::leader, 1);
  take_msgs(net, 1);
  net.tick(1, 2);
  CHECK(of_type(take_msgs(net, 1), MessageType::heartbeat).empty());
  net.tick(1, 1);
  auto hb = of_type(take_msgs(net, 1), MessageType::heartbeat);
  CHECK(hb.size() == 2);
  (void)n;
}

TEST_CASE("5.2: an election completes in a cluster and everyone agrees on the leader") {
  Network net(paper_config());
  for (NodeId i = 1; i <= 5; ++i) net.add(i, voters({1, 2, 3, 4, 5}));
  net.elect(3);
  for (NodeId i = 1; i <= 5; ++i) {
    CHECK(net.node(i)->leader() == 3);
    CHECK(net.node(i)->term() == 1);
  }
  CHECK(net.node(3)->role() == Role::leader);
}

TEST_CASE("5.2: without a majority no leader is elected") {
  Network net(paper_config());
  for (NodeId i = 1; i <= 5; ++i) net.add(i, voters({1, 2, 3, 4, 5}));
  net.isolate(4);
  net.isolate(5);
  net.cut(1, 2);
  net.cut(1, 3);  // 1 can reach nobody now except 4 and 5, which are isolated
  net.elect(1);
  CHECK(net.node(1)->role() == Role::candidate);
}

TEST_CASE("5.4.1: a voter refuses a candidate whose log is less up to date") {
  // Voter's log: terms [1 2 2]; candidate's last entry (term, index) decides.
  struct Case {
    Term last_term;
    Index last_index;
    bool granted;
  };
  std::vector<Case> cases = {{1, 3, false}, {1, 5, false}, {2, 2, false}, {2, 3, true},
                             {2, 4, true},  {3, 1, true},  {3, 3, true}};
  for (const auto& c : cases) {
    Network net(paper_config());
    auto& n = add_with_log(net, 1, voters({1, 2, 3}), {ent(1, 1), ent(2, 2), ent(2, 3)}, 2);
    Message m = msg(MessageType::vote, 2, 1, 3);
    m.log_term = c.last_term;
    m.log_index = c.last_index;
    REQUIRE(n->step(m).is_ok());
    auto ms = take_msgs(net, 1);
    REQUIRE(ms.size() == 1);
    INFO("candidate last " << c.last_term << "/" << c.last_index);
    CHECK(ms[0].reject == !c.granted);
    CHECK(ms[0].term == 3);
  }
}

TEST_CASE("5.4.1: a node with a stale log cannot be elected; an up-to-date one can") {
  Network net(paper_config());
  net.add(1, voters({1, 2, 3}));
  net.add(2, voters({1, 2, 3}));
  net.add(3, voters({1, 2, 3}));
  net.elect(1);
  net.isolate(3);
  REQUIRE(net.node(1)->propose("a").is_ok());
  net.stabilize();
  net.heal();
  net.node(3)->campaign();
  net.stabilize();
  CHECK(net.node(3)->role() != Role::leader);
  net.node(2)->campaign();
  net.stabilize();
  CHECK(net.node(2)->role() == Role::leader);
}
