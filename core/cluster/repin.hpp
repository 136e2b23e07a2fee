#pragma once
// Which pins need re-allocation after peers went down or left: the decision half of the leader's
// repin loop, pure and cheap, meant to be run over the pinset in batches. The loop then calls
// allocate(request_for(pin), ...) for each pin selected here and proposes the changed ones.
//
// A pin needs re-allocation when it is not "everywhere" and fewer of its allocations are live
// (is_live: in the PeerTable, not down, with valid metrics) than its rmin. Pins with at least rmin
// live allocations are left alone even below rmax, as IPFS Cluster does: moving data is what the
// user notices, and a peer that comes back still holds its copies. Peers removed from the cluster
// are absent from the table, so they count as not live without the caller listing them.
#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "cid/cid.hpp"
#include "cluster/allocator.hpp"
#include "cluster/metrics.hpp"
#include "pin/pin.hpp"

namespace cl::cluster {

// Allocations of `pin` that are live; each peer counted once.
std::size_t live_allocation_count(const pin::Pin& pin, const PeerTable& peers);

// True when the pin must be re-allocated (see above).
bool under_rmin(const pin::Pin& pin, const PeerTable& peers);

struct RepinNeed {
  std::size_t index = 0;  // position in the batch
  cid::Cid cid;
  int rmin = 0;
  std::size_t live = 0;  // live allocations now, < rmin
  friend bool operator==(const RepinNeed&, const RepinNeed&) = default;
};

// The pins of `batch` under rmin, in batch order, at most `needs_max` of them (when the limit is
// hit, the caller resumes after the last index returned).
std::vector<RepinNeed> select_under_rmin(std::span<const pin::Pin> batch, const PeerTable& peers,
                                         std::size_t needs_max);

// What one batch of the repin loop changes.
struct RepinPlan {
  std::vector<pin::Pin> changed;                  // re-allocated pins, in batch order, to propose
  std::map<std::string, std::size_t> moved_from;  // peer taken off pins (dead or removed) -> pins
  std::size_t failed = 0;                         // pins under rmin that could not be re-allocated
  std::string first_error;                        // the first such allocation error, for the log
  std::size_t next_index = 0;                     // where the next call should resume in the batch
};

// Re-allocates (allocate(request_for(pin), peers, allocate_by)) each pin of `batch` under rmin, up
// to `changed_max` changed pins (>= 1); the caller proposes plan.changed (timestamps untouched) and
// resumes at plan.next_index (== batch.size() when the batch is done). A pin that cannot be
// re-allocated (not enough peers) stays as it is and is counted in `failed`: a later pass retries.
// Each pin placed counts in its new peers' numpin for the rest of the batch (max_pins and numpin
// ranking hold within a batch). Deterministic: the same inputs give the same plan.
RepinPlan plan_repins(std::span<const pin::Pin> batch, const PeerTable& peers,
                      const std::vector<SortKey>& allocate_by, std::size_t changed_max);

}  // namespace cl::cluster
