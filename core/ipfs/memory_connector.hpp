#pragma once
// MemoryConnector: an IPFS daemon in memory, for the unit tests of the modules that use a
// Connector (the pin tracker, the node wiring). Thread-safe; deterministic (no clock): nothing
// waits unless a test asks for it with hold() or set_delay().
//
// The model: a set of CIDs the "network" can provide (provide(), or add()); a pinset. pin_add of
// a provided CID pins it at once; of any other CID it fails with Code::timeout at once, as a
// real pin whose progress stalled would after its stall timeout. Knobs inject failures
// (fail_next, set_down), blocking (hold/release) and delays; counters let a test check what
// was called and how many pins ran at the same time.
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "ipfs/connector.hpp"

namespace cl::ipfs {

class MemoryConnector final : public Connector {
 public:
  enum class Op : std::uint8_t {
    id,
    version,
    pin_add,
    pin_rm,
    pin_ls,
    pin_update,
    repo_stat,
    swarm_connect,
    swarm_peers,
    add,
    block_stat
  };
  static constexpr std::size_t op_count = 11;

  explicit MemoryConnector(std::string peer_id = "12D3KooWMemoryConnector");

  // --- knobs ---
  // The network can provide cid (size_bytes counts in repo_stat once pinned).
  void provide(const Cid& cid, std::uint64_t size_bytes = 1);
  // The next `times` calls of op fail with status (not ok), before doing anything.
  void fail_next(Op op, Status status, int times = 1);
  // While down, every call fails with Code::unavailable, as if the daemon were stopped.
  void set_down(bool down);
  // pin_add of cid blocks (after the failure knobs) until release(cid), or its CancelFlag is
  // set (then Code::cancelled), or set_down(true) (then Code::unavailable).
  void hold(const Cid& cid);
  void release(const Cid& cid);
  // Every call of op first sleeps this long in real time (a cancel flag cuts it short); 0: none.
  void set_delay(Op op, util::Millis delay);
  void set_storage_max(std::uint64_t bytes);

  // --- observers ---
  std::map<Cid, PinType> pins() const;
  bool is_pinned(const Cid& cid) const;
  int calls(Op op) const;                      // calls made, failed ones included
  int pin_adds_in_flight() const;              // pin_add calls running now
  int pin_adds_in_flight_max() const;          // the most that ever ran at once
  std::vector<std::string> connected() const;  // multiaddrs given to swarm_connect, in order

  // --- Connector ---
  Result<NodeInfo> id() override;
  Result<VersionInfo> version() override;
  Status pin_add(const Cid& cid, const PinAddOptions& options) override;
  Status pin_rm(const Cid& cid, const CancelFlag* cancel = nullptr) override;
  Status pin_ls(PinType type, const PinSink& on_pin) override;
  Status pin_update(const Cid& from, const Cid& to, bool unpin, const CancelFlag* cancel = nullptr) override;
  Result<RepoStat> repo_stat() override;
  Status swarm_connect(std::string_view multiaddr) override;
  Result<std::vector<SwarmPeer>> swarm_peers() override;
  // Uploads `content`, or a regular file read whole (directories are not modelled:
  // invalid_argument). The CID is the CIDv1 raw of the bytes' sha2-256 (what Kubo gives a file
  // of one block with raw leaves); with wrap, the root is a made-up dag-pb CID of the file's.
  Result<AddedEntry> add(const AddRequest& request, const AddSink& on_entry = {}) override;
  Result<BlockStat> block_stat(const Cid& cid) override;

 private:
  // Counts the call, applies set_down, fail_next and the delay. Called without mu_ held.
  Status enter(Op op, const CancelFlag* cancel);

  std::string peer_id_;
  mutable std::mutex mu_;  // guards what follows
  std::condition_variable changed_;
  std::map<Cid, std::uint64_t> provided_;  // CID -> size in bytes
  std::map<Cid, PinType> pins_;
  std::set<Cid> held_;
  std::vector<std::string> connected_;
  std::uint64_t storage_max_bytes_ = std::uint64_t{1} << 40;
  bool down_ = false;
  struct Fault {
    Status status;
    int times = 0;
  };
  Fault faults_[op_count];
  util::Millis delays_[op_count] = {};
  int calls_[op_count] = {};
  int in_flight_ = 0;
  int in_flight_max_ = 0;
};

}  // namespace cl::ipfs
