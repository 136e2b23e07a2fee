// The planted bugs (Config::planted_bug, CMake CL_PLANTED_BUGS) do what they say: each test shows
// the hook breaking the rule it names, in a setting where the correct core keeps it. The
// simulator's ctest entries sim.planted.* show that the simulator finds them.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace cl::raft;
using namespace cl::raft::test;

namespace {
Config with_bug(PlantedBug bug) {
  Config c = paper_config();
  c.planted_bug = bug;
  return c;
}
}  // namespace

TEST_CASE("planted bugs are refused by builds without the hooks") {
  MemoryStorage s;
  Config c = with_bug(PlantedBug::double_vote);
  c.id = 1;
  c.storage = &s;
  CHECK(c.validate().is_ok() == planted_bugs_compiled());
}

TEST_CASE("planted commit_prev_term: a previous-term entry commits by counting replicas") {
  if (!planted_bugs_compiled()) return;
  for (bool bug : {false, true}) {
    Config c = with_bug(bug ? PlantedBug::commit_prev_term : PlantedBug::none);
    c.entries_per_msg_max = 1;
    Network net(c);
    add_with_log(net, 1, voters({1, 2, 3}), {ent(1, 1), ent(2, 2, "old")}, 2);
    add_with_log(net, 2, voters({1, 2, 3}), {ent(1, 1)}, 2);
    add_with_log(net, 3, voters({1, 2, 3}), {ent(1, 1)}, 2);
    net.node(1)->campaign();
    for (int i = 0; i < 50; ++i) {
      for (NodeId id : net.ids()) net.process_ready(id);
      net.deliver([](const Message& m) { return !(m.type == MessageType::append_resp && m.index >= 3); });
    }
    REQUIRE(net.node(1)->role() == Role::leader);
    CHECK(net.node(1)->status().commit == (bug ? 2u : 0u));
  }
}

TEST_CASE("planted double_vote: a second vote in the same term") {
  if (!planted_bugs_compiled()) return;
  for (bool bug : {false, true}) {
    Network net(with_bug(bug ? PlantedBug::double_vote : PlantedBug::none));
    auto& n = net.add(1, voters({1, 2, 3}));
    REQUIRE(n->step(msg(MessageType::vote, 2, 1, 1)).is_ok());
    REQUIRE(n->step(msg(MessageType::vote, 3, 1, 1)).is_ok());
    auto ms = take_msgs(net, 1);
    REQUIRE(ms.size() == 2);
    CHECK_FALSE(ms[0].reject);
    CHECK(ms[1].reject == !bug);
  }
}

TEST_CASE("planted no_truncate: a conflicting suffix is kept") {
  if (!planted_bugs_compiled()) return;
  for (bool bug : {false, true}) {
    Network net(with_bug(bug ? PlantedBug::no_truncate : PlantedBug::none));
    auto& n = add_with_log(net, 1, voters({1, 2, 3}), {ent(1, 1), ent(2, 2), ent(2, 3)}, 3);
    Message m = msg(MessageType::append, 2, 1, 3);
    m.log_index = 1;
    m.log_term = 1;
    m.entries = {ent(3, 2), ent(3, 3), ent(3, 4)};
    REQUIRE(n->step(m).is_ok());
    take_msgs(net, 1);
    CHECK(log_terms(n) == (bug ? std::vector<Term>{1, 2, 2, 3} : std::vector<Term>{1, 3, 3, 3}));
  }
}

TEST_CASE("planted learner_quorum: a learner's acknowledgement counts for the quorum") {
  if (!planted_bugs_compiled()) return;
  for (bool bug : {false, true}) {
    Network net(with_bug(bug ? PlantedBug::learner_quorum : PlantedBug::none));
    const ConfState conf{{1, 2, 3}, {4}};
    for (NodeId i = 1; i <= 4; ++i) net.add(i, conf);
    net.elect(1);
    net.isolate(2);
    net.isolate(3);
    REQUIRE(net.node(1)->propose("x").is_ok());
    net.stabilize();
    CHECK(net.node(1).app.data.size() == (bug ? 1u : 0u));
  }
}
