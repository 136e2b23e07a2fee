#pragma once
// Small builders shared by the raft unit tests.
#include <catch2/catch.hpp>

#include <initializer_list>
#include <string>
#include <vector>

#include "../../raft/testkit.hpp"

namespace cl::raft::test {

// Plain Raft (figure 2): no pre-vote, no check-quorum; those have their own tests.
inline Config paper_config() {
  Config c;
  c.election_ticks = 10;
  c.heartbeat_ticks = 1;
  c.pre_vote = false;
  c.check_quorum = false;
  return c;
}

inline ConfState voters(std::initializer_list<NodeId> ids) {
  return ConfState{std::vector<NodeId>(ids), {}};
}

inline Entry ent(Term term, Index index, std::string data = "") {
  return Entry{term, index, EntryType::normal, std::move(data)};
}

inline Message msg(MessageType type, NodeId from, NodeId to, Term term) {
  Message m;
  m.type = type;
  m.from = from;
  m.to = to;
  m.term = term;
  return m;
}

// Processes the node's Ready (if any) and returns the messages it sent, removing them from the
// network's queue.
inline std::vector<Message> take_msgs(Network& net, NodeId id) {
  while (net.process_ready(id)) {
  }
  std::vector<Message> out, kept;
  for (auto& m : net.queue()) (m.from == id ? out : kept).push_back(std::move(m));
  net.queue().assign(kept.begin(), kept.end());
  return out;
}

inline std::vector<Message> of_type(const std::vector<Message>& ms, MessageType t) {
  std::vector<Message> out;
  for (const auto& m : ms)
    if (m.type == t) out.push_back(m);
  return out;
}

// Adds node `id` with membership `conf` whose storage already holds `log` (indexes from 1) and
// hard state `term` (no vote, commit 0).
inline TestNode& add_with_log(Network& net, NodeId id, const ConfState& conf, const std::vector<Entry>& log,
                              Term term) {
  TestNode& n = net.add(id, conf);
  if (!log.empty() || term != 0) {
    REQUIRE(n.storage->append(log).is_ok());
    n.storage->set_hard_state(HardState{term, kNoNode, 0});
    net.crash(id);
    net.restart(id);
  }
  return net.node(id);
}

// The terms of the node's persisted log, index first_index() onwards.
inline std::vector<Term> log_terms(const TestNode& n) {
  std::vector<Term> out;
  for (const auto& e : n.storage->all_entries()) out.push_back(e.term);
  return out;
}

}  // namespace cl::raft::test
