// ReadIndex (dissertation 6.4) and RawNode's contract: Ready order, restart, limits, input checks,
// and stepping while a Ready is being persisted.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace cl::raft;
using namespace cl::raft::test;

namespace {
Network cluster(std::size_t n, Config c = paper_config()) {
  Network net(c);
  ConfState conf;
  for (NodeId i = 1; i <= n; ++i) conf.voters.push_back(i);
  for (NodeId i = 1; i <= n; ++i) net.add(i, conf);
  return net;
}
}  // namespace

TEST_CASE("read index: a read is released once a quorum confirmed leadership, at the commit index") {
  Network net = cluster(3);
  net.elect(1);
  REQUIRE(net.node(1)->propose("x").is_ok());
  net.stabilize();
  REQUIRE(net.node(1)->read_index("r1").is_ok());
  REQUIRE(net.node(1)->read_index("r2").is_ok());  // shares the next round
  net.stabilize();
  auto& reads = net.node(1).app.read_states;
  REQUIRE(reads.size() == 2);
  CHECK(reads[0] == ReadState{2, "r1"});
  CHECK(reads[1] == ReadState{2, "r2"});
}

TEST_CASE("read index: without a quorum the read waits; it is dropped if leadership is lost") {
  Network net = cluster(3);
  net.elect(1);
  net.isolate(2);
  net.isolate(3);
  REQUIRE(net.node(1)->read_index("r").is_ok());
  for (int i = 0; i < 5; ++i) {
    net.tick(1, 1);
    net.stabilize();
  }
  CHECK(net.node(1).app.read_states.empty());
  REQUIRE(net.node(1)->step(msg(MessageType::append, 2, 1, 5)).is_ok());  // a newer leader shows up
  net.heal();
  net.stabilize();
  CHECK(net.node(1).app.read_states.empty());
}

TEST_CASE("read index: a new leader answers only after committing an entry of its term") {
  Network net = cluster(3);
  net.elect(1);
  REQUIRE(net.node(1)->propose("x").is_ok());
  net.stabilize();
  // 2 becomes leader; hold back all acknowledgements so its no-op does not commit yet.
  net.node(2)->campaign();
  auto hold_acks = [](const Message& m) { return m.type != MessageType::append_resp; };
  for (int i = 0; i < 10; ++i) {
    for (NodeId id : net.ids()) net.process_ready(id);
    net.deliver(hold_acks);
  }
  REQUIRE(net.node(2)->role() == Role::leader);
  REQUIRE(net.node(2)->read_index("r").is_ok());
  for (int i = 0; i < 10; ++i) {
    for (NodeId id : net.ids()) net.process_ready(id);
    net.deliver(hold_acks);
  }
  CHECK(net.node(2).app.read_states.empty());
  net.tick(2, 1);  // the heartbeat answers unpause the probes whose acknowledgements were lost
  net.stabilize();
  REQUIRE(net.node(2).app.read_states.size() == 1);
  CHECK(net.node(2).app.read_states[0].index == 3);  // its no-op's index
}

TEST_CASE("read index: a single voter answers at once; a follower refuses; the queue is bounded") {
  Config c = paper_config();
  c.pending_reads_max = 2;
  Network one(c);
  one.add(1, voters({1}));
  one.elect(1);
  REQUIRE(one.node(1)->read_index("solo").is_ok());
  one.stabilize();
  CHECK(one.node(1).app.read_states.size() == 1);

  Network net = cluster(3, c);
  net.elect(1);
  CHECK(net.node(2)->read_index("x").code() == cl::util::Code::not_leader);
  net.isolate(2);
  net.isolate(3);
  CHECK(net.node(1)->read_index("a").is_ok());
  CHECK(net.node(1)->read_index("b").is_ok());
  CHECK(net.node(1)->read_index("c").code() == cl::util::Code::resource_exhausted);
}

TEST_CASE("raw node: a restart re-delivers committed entries not yet applied, and only those") {
  Network net = cluster(3);
  net.elect(1);
  for (int i = 0; i < 3; ++i) REQUIRE(net.node(1)->propose("v" + std::to_string(i)).is_ok());
  net.stabilize();
  TestNode& n = net.node(2);
  REQUIRE(n.app.applied == 4);
  n.app.applied = 2;  // as if the application crashed having persisted only up to index 2
  n.app.data.resize(1);
  net.crash(2);
  net.restart(2);
  net.stabilize();
  CHECK(n.app.data == std::vector<std::string>{"v0", "v1", "v2"});
  CHECK(n.app.applied == 4);
}

TEST_CASE("raw node: proposals beyond max_uncommitted_bytes are refused until entries apply") {
  Config c = paper_config();
  c.max_uncommitted_bytes = 100;
  Network net = cluster(3, c);
  net.elect(1);
  net.isolate(2);
  net.isolate(3);
  REQUIRE(net.node(1)->propose(std::string(60, 'a')).is_ok());
  auto r = net.node(1)->propose(std::string(60, 'b'));
  CHECK(r.code() == cl::util::Code::resource_exhausted);
  net.heal();
  net.tick(1, 1);
  net.stabilize();
  CHECK(net.node(1)->propose(std::string(60, 'b')).is_ok());
}

TEST_CASE(
    "raw node: stepping while a Ready is being persisted, even a conflicting append, stays consistent") {
  Network net(paper_config());
  auto& n = add_with_log(net, 1, voters({1, 2, 3}), {ent(1, 1)}, 1);
  Message a = msg(MessageType::append, 2, 1, 2);
  a.log_index = 1;
  a.log_term = 1;
  a.entries = {ent(2, 2, "a"), ent(2, 3, "b")};
  a.commit = 2;
  REQUIRE(n->step(a).is_ok());
  REQUIRE(n->has_ready());
  Ready rd = n->ready();
  REQUIRE(rd.entries.size() == 2);
  // Meanwhile a leader of term 3 replaces index 3 (index 2 is committed and stays).
  Message b = msg(MessageType::append, 3, 1, 3);
  b.log_index = 2;
  b.log_term = 2;
  b.entries = {ent(3, 3, "c")};
  REQUIRE(n->step(b).is_ok());
  // Finish handling the first Ready: persist what it carried, apply, then advance.
  REQUIRE(n.storage->append(rd.entries).is_ok());
  n.storage->set_hard_state(*rd.hard_state);
  REQUIRE(rd.committed_entries.size() == 2);
  n.app.applied = 2;
  n->advance();
  REQUIRE(n->has_ready());
  Ready rd2 = n->ready();
  REQUIRE(rd2.entries.size() == 1);  // only the replaced entry: index 2 is not written again
  CHECK(rd2.entries[0] == Entry{3, 3, EntryType::normal, "c"});
  REQUIRE(n.storage->append(rd2.entries).is_ok());
  n->advance();
  CHECK(n.storage->all_entries().back() == Entry{3, 3, EntryType::normal, "c"});
  CHECK_FALSE(n->has_ready());
}

TEST_CASE("raw node: messages leave only through a Ready, after the entries they depend on") {
  Network net = cluster(3);
  net.elect(1);
  REQUIRE(net.node(1)->propose("x").is_ok());
  Ready rd = net.node(1)->ready();
  CHECK(rd.must_sync());
  REQUIRE(rd.entries.size() == 1);
  bool has_append = false;
  for (const auto& m : rd.messages) has_append = has_append || m.type == MessageType::append;
  CHECK(has_append);
  net.node(1)->advance();
}

TEST_CASE("raw node: create refuses an inconsistent storage, step refuses misaddressed messages") {
  MemoryStorage s;
  s.set_hard_state(HardState{1, 0, 5});  // commit beyond an empty log
  Config c = paper_config();
  c.id = 1;
  c.storage = &s;
  auto r = RawNode::create(c);
  CHECK(r.code() == cl::util::Code::corrupt);
  CHECK(r.status().message().find("commit index 5") != std::string::npos);

  Network net = cluster(3);
  CHECK(net.node(1)->step(msg(MessageType::append, 2, 3, 1)).code() == cl::util::Code::invalid_argument);
  CHECK(net.node(1)->step(msg(MessageType::append, 0, 1, 1)).code() == cl::util::Code::invalid_argument);
}

TEST_CASE("raw node: status reports peers' progress and recent contact in ticks") {
  Network net = cluster(3);
  net.elect(1);
  net.isolate(3);
  for (int i = 0; i < 4; ++i) {
    net.tick_all(1);
    net.stabilize();
  }
  auto st = net.node(1)->status();
  REQUIRE(st.peers.size() == 3);
  CHECK(st.peers[1].id == 2);
  CHECK(st.peers[1].ticks_since_contact == 0);
  CHECK(st.peers[2].ticks_since_contact >= 4);
  CHECK(st.peers[1].match == st.last_index);
  CHECK(net.node(2)->status().ticks_since_leader_contact == 0);
}
