#pragma once
// Simulation: the state of one simulated run (see sim.hpp). Split by concern: simulation.cpp
// (the loop, workload, faults, liveness), node.cpp (a node's lifecycle and Ready handling),
// network.cpp (the message queue).
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <vector>

#include "checker.hpp"
#include "raft/memory_storage.hpp"
#include "raft/raw_node.hpp"
#include "sim.hpp"
#include "util/rng.hpp"

namespace cl::sim {

// The application's durable state: persisted atomically with its applied index.
struct AppState {
  raft::Index applied = 0;
  std::uint64_t hash = 0;  // chain over the applied entries
  raft::ConfState conf;    // membership as of `applied`
};
std::string encode_state(const AppState& s);  // also the snapshot bytes (with padding)
std::optional<AppState> decode_state(const std::string& bytes);

struct SimNode {
  raft::NodeId id = raft::kNoNode;
  bool up = false;
  bool retired = false;  // removed from the cluster and shut down for good
  std::uint64_t created_tick = 0;
  std::uint64_t unwanted_since = 0;
  std::uint64_t restart_tick = 0;
  std::uint64_t kill_round = 0;  // the leader killer strikes at this round (0: not scheduled)

  std::unique_ptr<raft::MemoryStorage> storage;  // durable: log, hard state, outgoing snapshot
  AppState app;                                  // durable
  std::string staging;                           // incoming snapshot; lost on a crash
  std::optional<raft::SnapshotMeta> staging_meta;

  std::unique_ptr<raft::RawNode> raw;
  std::optional<raft::Ready> pending;  // being persisted
  std::uint64_t pending_due = 0;       // round at which the write completes

  raft::Term leader_term_seen = 0;  // observation: last term we saw it lead
  raft::Index leader_commit_seen = 0;
  std::map<std::string, raft::Index> reads;  // ReadIndex context -> committed index when asked
};

// Knobs drawn from the seed.
struct Profile {
  int loss_pm = 0;  // per mille
  int dup_pm = 0;
  int max_delay_rounds = 0;
  int disk_max_delay_rounds = 0;
  int partition_pm = 0;  // per tick, per mille... see simulation.cpp
  int heal_pm = 0;
  int crash_pm = 0;
  int max_down_ticks = 0;
  int compact_pm = 0;
  int conf_pm = 0;
  int transfer_pm = 0;
  int read_pm = 0;
  int propose_pm = 0;
  int skew_pm = 0;
  int leader_kill_pm = 0;  // per new leader
};

class Simulation {
 public:
  explicit Simulation(const Options& options);
  Result run();

 private:
  static constexpr std::uint64_t kRoundsPerTick = 4;

  // simulation.cpp
  void tick_once(bool faults);
  void workload();
  void faults();
  void leader_killer();
  void membership();
  void retire_unwanted(bool at_once);
  void heal_everything();
  bool liveness();
  raft::NodeId leader() const;
  void trace(const std::string& line);
  std::string dump() const;  // every node's state, for failure reports

  // node.cpp
  raft::Config node_config(raft::NodeId id, raft::Index applied);
  SimNode& add_node(raft::NodeId id, bool bootstrap);
  void start(SimNode& n);
  void crash(SimNode& n);
  void retire(SimNode& n);
  void compact(SimNode& n);
  void poll_ready(SimNode& n);
  void complete_ready(SimNode& n);
  void observe(SimNode& n);
  bool holds(raft::NodeId voter, raft::Index index, raft::Term term) const;

  // network.cpp
  void send(raft::Message&& m);
  void deliver_due();
  bool blocked(raft::NodeId from, raft::NodeId to) const;

  Options opt_;
  util::Rng rng_;
  Profile prof_;
  Profile storm_;  // the profile while faults are on; prof_ switches between calm and storm
  bool stormy_ = true;
  std::uint64_t phase_end_ = 0;
  raft::Config base_;
  std::vector<raft::Entry> bootstrap_;
  Checker checker_;
  std::map<raft::NodeId, SimNode> nodes_;
  raft::NodeId next_id_ = 1;
  std::uint64_t tick_ = 0;
  std::uint64_t round_ = 0;  // tick_ * kRoundsPerTick + round within the tick
  std::uint64_t proposal_seq_ = 0;
  std::uint64_t outstanding_max_ = 16;
  std::uint64_t read_seq_ = 0;
  Stats stats_;

  struct InFlight {
    std::uint64_t due;
    std::uint64_t seq;
    raft::Message m;
    bool operator>(const InFlight& o) const { return due != o.due ? due > o.due : seq > o.seq; }
  };
  std::priority_queue<InFlight, std::vector<InFlight>, std::greater<>> flight_;
  std::uint64_t flight_seq_ = 0;
  std::set<std::pair<raft::NodeId, raft::NodeId>> blocked_;
  static constexpr std::size_t kMaxInFlight = 100000;
};

}  // namespace cl::sim
