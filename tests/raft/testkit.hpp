#pragma once
// Test kit: an in-memory cluster of RawNodes over MemoryStorage, with a trivial application (the
// list of applied payloads), an explicit message queue and fault filters. Used by the unit tests,
// the script tests and the benchmark. Everything a Ready carries is handled in the documented
// order; persistence is immediate (the simulator, tests/sim, models crashes with pending writes).
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "raft/memory_storage.hpp"
#include "raft/raw_node.hpp"

namespace cl::raft::test {

// Records log lines (for script traces); optionally prints them.
class CaptureLogger final : public Logger {
 public:
  explicit CaptureLogger(LogLevel min = LogLevel::info) : min_(min) {}
  bool enabled(LogLevel level) const override { return capturing_ && level >= min_; }
  void log(LogLevel level, std::string_view line) override;
  std::vector<std::string> take();
  void set_capturing(bool on) { capturing_ = on; }
  void set_level(LogLevel min) { min_ = min; }

 private:
  LogLevel min_;
  bool capturing_ = true;
  std::vector<std::string> lines_;
};

// The application of one node: applied payloads, its membership, a staging area for snapshots.
struct App {
  Index applied = 0;
  std::vector<std::string> data;  // payloads of applied non-empty normal entries, in order
  ConfState conf;
  std::string staging;
  std::optional<SnapshotMeta> staging_meta;
  std::vector<ReadState> read_states;

  std::string encode() const;             // the snapshot bytes of this state
  void decode(const std::string& bytes);  // replaces data
};

struct TestNode {
  NodeId id = kNoNode;
  Config cfg;
  std::unique_ptr<MemoryStorage> storage;
  std::unique_ptr<RawNode> raw;
  App app;
  bool down = false;

  RawNode& operator*() { return *raw; }
  RawNode* operator->() { return raw.get(); }
};

class Network {
 public:
  // `base` supplies the limits; id, storage, logger and applied are filled in per node.
  explicit Network(const Config& base = {}, Logger* logger = nullptr);

  // Adds a node whose storage starts with membership `conf` and an empty log (as in a test that
  // builds a cluster from scratch). Returns it.
  TestNode& add(NodeId id, const ConfState& conf);
  // Adds a node bootstrapped the way a real cluster starts: bootstrap_entries(conf) in its log,
  // committed, not yet applied.
  TestNode& add_bootstrapped(NodeId id, const ConfState& conf);
  // Adds a node with an empty storage and no membership (a joiner, to be added by a conf change).
  TestNode& add_empty(NodeId id);
  TestNode& node(NodeId id);
  bool has(NodeId id) const { return nodes_.count(id) != 0; }
  std::vector<NodeId> ids() const;

  // Handles the node's Ready if it has one (persist, apply, queue messages). The Ready is passed
  // to `observer` before it is handled. Returns false when there was none.
  bool process_ready(NodeId id, const std::function<void(NodeId, const Ready&)>& observer = {});
  // Delivers queued messages (to down nodes or across cuts: dropped). Filter returns false to drop.
  // Returns the number delivered.
  std::size_t deliver(const std::function<bool(const Message&)>& filter = {});
  // Steps one message into its node; false when dropped (node down or unknown, link cut).
  bool deliver_one(Message&& m);
  // Processes Readys and delivers until nothing changes (at most max_rounds rounds).
  void stabilize(std::size_t max_rounds = 1000);
  void tick(NodeId id, int n = 1);
  void tick_all(int n = 1);

  // Faults.
  void cut(NodeId a, NodeId b);  // both directions
  void cut_one_way(NodeId from, NodeId to);
  void isolate(NodeId id);
  void heal();
  void crash(NodeId id);    // down: drops its queued messages; persisted state stays
  void restart(NodeId id);  // up again, from its storage
  // Snapshot the node's state at its applied index and compact its log up to it.
  util::Status compact(NodeId id);

  std::deque<Message>& queue() { return queue_; }
  // Campaign, then stabilize.
  void elect(NodeId id);
  // The node that considers itself leader with the highest term, or kNoNode.
  NodeId leader() const;

 private:
  void start(TestNode& n);
  bool blocked(NodeId from, NodeId to) const;

  Config base_;
  Logger* logger_;
  std::map<NodeId, TestNode> nodes_;
  std::deque<Message> queue_;
  std::set<std::pair<NodeId, NodeId>> cuts_;
};

}  // namespace cl::raft::test
