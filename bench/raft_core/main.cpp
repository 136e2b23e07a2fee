// bench/raft_core: committed entries per second of a 3-node Raft cluster in memory (no disk, no
// network): the cost of the core itself plus MemoryStorage. A number to watch, not a test.
//
//   raft_core [--entries N] [--bytes B] [--batch K]
//
// "one entry per proposal": propose one entry, run the cluster until the leader applied it, repeat
// (every entry pays full round trips). "batched": keep K proposals in flight; every round the
// leader proposes what was applied since, so appends carry many entries and acknowledgements
// cover many.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "raft/conf_change.hpp"
#include "raft/memory_storage.hpp"
#include "raft/raw_node.hpp"

namespace {

using namespace cl::raft;

struct Node {
  std::unique_ptr<MemoryStorage> storage = std::make_unique<MemoryStorage>();
  std::unique_ptr<RawNode> raw;
  Index applied = 0;
};

class Cluster {
 public:
  explicit Cluster(std::size_t n) : nodes_(n) {
    ConfState conf;
    for (NodeId i = 1; i <= n; ++i) conf.voters.push_back(i);
    for (NodeId i = 1; i <= n; ++i) {
      Node& node = nodes_[i - 1];
      node.storage->set_conf_state(conf);
      Config c;
      c.id = i;
      c.storage = node.storage.get();
      c.seed = i;
      c.max_uncommitted_bytes = 0;
      auto raw = RawNode::create(c);
      if (!raw.is_ok()) {
        std::fprintf(stderr, "raft_core: %s\n", raw.status().to_string().c_str());
        std::exit(1);
      }
      node.raw = std::move(raw).value();
    }
    nodes_[0].raw->campaign();
    while (round()) {
    }
  }

  RawNode& leader() { return *nodes_[0].raw; }
  Index leader_applied() const { return nodes_[0].applied; }

  // Handles every Ready, then delivers every message. False when nothing happened.
  bool round() {
    bool any = false;
    for (auto& n : nodes_) {
      if (!n.raw->has_ready()) continue;
      any = true;
      Ready rd = n.raw->ready();
      if (!rd.entries.empty()) (void)n.storage->append(std::move(rd.entries));
      if (rd.hard_state) n.storage->set_hard_state(*rd.hard_state);
      for (auto& m : rd.messages) queue_.push_back(std::move(m));
      if (!rd.committed_entries.empty()) n.applied = rd.committed_entries.back().index;
      n.raw->advance();
    }
    std::vector<Message> batch;
    batch.swap(queue_);
    for (auto& m : batch) (void)nodes_[m.to - 1].raw->step(std::move(m));
    return any || !batch.empty();
  }

 private:
  std::vector<Node> nodes_;
  std::vector<Message> queue_;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t entries = 200000, bytes = 128, batch = 256;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--entries"))
      entries = std::strtoull(argv[i + 1], nullptr, 10);
    else if (!std::strcmp(argv[i], "--bytes"))
      bytes = std::strtoull(argv[i + 1], nullptr, 10);
    else if (!std::strcmp(argv[i], "--batch"))
      batch = std::strtoull(argv[i + 1], nullptr, 10);
    else {
      std::fprintf(stderr, "usage: raft_core [--entries N] [--bytes B] [--batch K]\n");
      return 2;
    }
  }
  const std::string payload(bytes, 'x');
  std::printf("raft_core: 3 voters in memory, %llu-byte entries\n", static_cast<unsigned long long>(bytes));

  {
    Cluster c(3);
    const std::uint64_t n = entries / 10;
    const Index start = c.leader_applied();
    auto t0 = std::chrono::steady_clock::now();
    for (std::uint64_t i = 0; i < n; ++i) {
      auto id = c.leader().propose(payload);
      if (!id.is_ok()) return 1;
      while (c.leader_applied() < id->index) c.round();
    }
    const double s = seconds_since(t0);
    std::printf("  one entry per proposal: %10.0f entries/s (%llu entries, %.2f s)\n",
                (c.leader_applied() - start) / s, static_cast<unsigned long long>(n), s);
  }
  {
    Cluster c(3);
    const Index start = c.leader_applied();
    Index proposed = c.leader().last_index();
    auto t0 = std::chrono::steady_clock::now();
    while (c.leader_applied() < start + entries) {
      while (proposed - c.leader_applied() < batch && proposed < start + entries) {
        auto id = c.leader().propose(payload);
        if (!id.is_ok()) return 1;
        proposed = id->index;
      }
      c.round();
    }
    const double s = seconds_since(t0);
    std::printf("  batched (%llu in flight):  %10.0f entries/s (%llu entries, %.2f s)\n",
                static_cast<unsigned long long>(batch), (c.leader_applied() - start) / s,
                static_cast<unsigned long long>(entries), s);
  }
  return 0;
}
