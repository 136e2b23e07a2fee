#pragma once
// The allocator: which peers must pin a CID. Run once per pin by the leader, whose choice goes into
// the log entry, so applying the entry is deterministic everywhere. A pure function of its
// arguments: no clock, no randomness, ordered containers, ties broken by peer ID.
//
// Rules (IPFS Cluster's, with its complaints addressed):
//   - rmin == -1: "everywhere", the empty allocation list (every peer pins it). Never an error.
//   - A peer is a candidate unless it is unknown, down, in grace (down for less than repin_delay: it
//     keeps the allocations it holds but gets no new one), without valid metrics, at its max_pins
//     (numpin >= max_pins, not counting this pin on a peer that already holds it), at or below its
//     storage_reserve (freespace <= storage_reserve), or without room for a known size
//     (freespace - storage_reserve < size_bytes). A peer already holding the pin skips the size
//     check (its copy is already counted in its freespace). Unknown freespace fails the space checks
//     only when they are needed (size_bytes > 0 or storage_reserve > 0) for a new peer.
//   - Selection order: valid user_allocations (in the given order), then valid current
//     allocations (ranked), up to rmax. If these reach rmin, stop there: nothing is moved (no
//     churn); invalid current allocations are simply dropped. Otherwise add candidates ranked by
//     allocate_by until rmax (every candidate when rmax == -1).
//   - Fewer than rmin candidates: Code::failed_precondition (the cluster is not in a state that
//     allows the pin; retrying once peers are back can succeed), message:
//       not enough peers to allocate <cid>: need 3, found 2 (12D3KooW..abcdef: down;
//       12D3KooW..ghijkl: max_pins 100 reached); bring peers back, free space or lower rmin
//     listing every excluded peer (up to kReasonsListedMax, then "and N more") by shortened ID.
//
// Ranking (allocate_by, default ["tag:group", "freespace", "numpin"]): each step picks the best remaining
// candidate by these keys in order, earlier keys first, then peer ID:
//   tag:<name>  fewer already-chosen peers with the same value of that tag first (spreads the pin
//               over groups; a peer without the tag belongs to the group of the empty value)
//   freespace   more available space (freespace - storage_reserve) first; unknown last
//   numpin      fewer pins first
//   pinqueue    shorter pin queue first
// Cost: O(n log n + k * n) for n peers and k peers added by ranking (every candidate at once when
// rmax allows them all), so large rmax on large clusters is the expensive case.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cid/cid.hpp"
#include "cluster/metrics.hpp"
#include "pin/pin.hpp"
#include "util/result.hpp"

namespace cl::cluster {

// One entry of allocate_by.
struct SortKey {
  enum class Kind : std::uint8_t { tag, freespace, numpin, pinqueue };
  Kind kind = Kind::freespace;
  std::string tag;  // the tag name for Kind::tag; empty otherwise
  friend bool operator==(const SortKey&, const SortKey&) = default;
};

inline constexpr std::size_t kAllocateByMax = 16;     // entries in allocate_by
inline constexpr std::size_t kReasonsListedMax = 16;  // excluded peers named in an error message

// Parses allocate_by names ("tag:group", "freespace", "numpin", "pinqueue"). invalid_argument for an
// unknown name, an empty tag name, a repeated entry or more than kAllocateByMax entries.
util::Result<std::vector<SortKey>> parse_allocate_by(const std::vector<std::string>& names);
std::vector<SortKey> default_allocate_by();  // ["tag:group", "freespace", "numpin"]
std::string sort_key_name(const SortKey& key);

// What to allocate. rmin/rmax are resolved (no 0 = "cluster default"): rmin is -1 (everywhere) or
// 1..kReplicationMax; rmax is -1 (as many as possible) or rmin..kReplicationMax.
struct AllocationRequest {
  cid::Cid cid;  // only named in messages
  int rmin = -1;
  int rmax = -1;
  std::vector<std::string> user_allocations;     // tried first, in this order
  std::vector<std::string> current_allocations;  // where the pin is allocated now; empty if new
  std::uint64_t size_bytes = 0;                  // 0: unknown
  bool explain = false;                          // fill Allocation::trail (costly in bulk repins)
};

// The request for re-allocating `pin` where it stands: its factors, user allocations, size, and
// its allocations as the current ones.
AllocationRequest request_for(const pin::Pin& pin);

// Why a peer ends up where it does, for logs.
struct Decision {
  enum class Choice : std::uint8_t {
    user,      // allocated: a user allocation
    kept,      // allocated: a current allocation kept
    ranked,    // allocated: chosen by allocate_by (reason names its rank and metrics)
    dropped,   // a current allocation not kept (reason says why)
    excluded,  // not a candidate (reason says why)
  };
  std::string peer_id;
  Choice choice = Choice::excluded;
  std::string reason;
  friend bool operator==(const Decision&, const Decision&) = default;
};

struct Allocation {
  bool everywhere = false;         // rmin == -1: every peer pins it; `peers` is empty
  std::vector<std::string> peers;  // sorted, unique
  bool changed = false;            // peers differ from the request's current allocations
  // Only with request.explain: allocated peers in the order chosen, then dropped current
  // allocations, then excluded peers (by ID).
  std::vector<Decision> trail;
};

// Decides the allocations. invalid_argument for factors outside the ranges above;
// failed_precondition when fewer than rmin peers are candidates.
util::Result<Allocation> allocate(const AllocationRequest& request, const PeerTable& peers,
                                  const std::vector<SortKey>& allocate_by);

// Why `peer_id` cannot take a new or kept allocation of a pin of `size_bytes`, or nullopt when it
// can. `holds_pin`: it is a current allocation (not counted against its own max_pins or size).
// The second form judges a peer already looked up in the table.
std::optional<std::string> exclusion_reason(const PeerTable& peers, const std::string& peer_id,
                                            bool holds_pin, std::uint64_t size_bytes);
std::optional<std::string> exclusion_reason(const PeerState& peer, bool holds_pin, std::uint64_t size_bytes);

// A peer ID as messages and logs print it: IDs up to 16 characters unchanged, longer ones as their
// first 8 and last 6 characters joined by "..". The same ID always prints the same.
std::string short_peer_id(std::string_view peer_id);

}  // namespace cl::cluster
