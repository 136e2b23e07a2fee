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
#include <span>
#include <vector>

#include "cid/cid.hpp"
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

}  // namespace cl::cluster
