#pragma once
// What the allocator knows about each peer: its latest metrics (as informers report them, in IPFS
// Cluster's names), its quotas and whether it is down. Plain values: the caller (the leader's
// monitor) decides expiry and liveness before building a PeerTable, so that allocation stays a pure
// function of its inputs.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace cl::cluster {

// One peer's metrics, all still valid (not expired) when the table is built.
struct PeerMetrics {
  // Free space of the peer's IPFS repo (StorageMax - RepoSize); nullopt when the peer does not
  // report it. Without it the peer is only eligible while no space check is needed (see
  // allocator.hpp) and ranks after every peer that reports it.
  std::optional<std::uint64_t> freespace_bytes;
  std::uint64_t numpin = 0;    // pins allocated to the peer (counting this one if it holds it)
  std::uint64_t pinqueue = 0;  // length of its pin tracker's queue
  // Informer tags, e.g. {"group": "eu-1", "region": "eu"}; used by `tag:<name>` in allocate_by.
  std::map<std::string, std::string> tags;
  friend bool operator==(const PeerMetrics&, const PeerMetrics&) = default;
};

// Limits a peer sets on what it accepts. Zero means no limit.
struct PeerQuotas {
  std::uint64_t max_pins = 0;               // allocate nothing more once numpin reaches it
  std::uint64_t storage_reserve_bytes = 0;  // free space the peer keeps for itself
  friend bool operator==(const PeerQuotas&, const PeerQuotas&) = default;
};

struct PeerState {
  bool is_down = false;  // the caller's judgement: contact lost or ping metric expired
  // Down for less than repin_delay (or repinning is off): the peer keeps the allocations it holds
  // (they count as live, see is_live) but receives no new one. Set with is_down == false and the
  // peer's last known metrics (a PeerMetrics{} when none were ever received).
  bool in_grace = false;
  std::optional<PeerMetrics> metrics;  // nullopt: no valid metrics; the peer is treated as down
  PeerQuotas quotas;
  friend bool operator==(const PeerState&, const PeerState&) = default;
};

// Every cluster peer, keyed by peer ID ("12D3KooW..."). A peer ID not in the table is not a
// cluster peer (e.g. removed): it is never allocated and never counts as live.
using PeerTable = std::map<std::string, PeerState>;

// True when the peer can hold pins now: in the table, not down, with valid metrics. Quotas do not
// matter here (a full peer still holds what it has). A peer in_grace is live.
bool is_live(const PeerTable& peers, const std::string& peer_id);

}  // namespace cl::cluster
