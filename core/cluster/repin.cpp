#include "cluster/repin.hpp"

#include <algorithm>
#include <set>

#include "util/assert.hpp"

namespace cl::cluster {

std::size_t live_allocation_count(const pin::Pin& pin, const PeerTable& peers) {
  std::set<std::string_view> counted;
  for (const auto& id : pin.allocations) {
    if (is_live(peers, id)) counted.insert(id);
  }
  return counted.size();
}

bool under_rmin(const pin::Pin& pin, const PeerTable& peers) {
  if (pin.everywhere()) return false;
  return live_allocation_count(pin, peers) < static_cast<std::size_t>(pin.rmin);
}

std::vector<RepinNeed> select_under_rmin(std::span<const pin::Pin> batch, const PeerTable& peers,
                                         std::size_t needs_max) {
  std::vector<RepinNeed> needs;
  for (std::size_t i = 0; i < batch.size() && needs.size() < needs_max; ++i) {
    const pin::Pin& pin = batch[i];
    if (pin.everywhere()) continue;
    std::size_t live = live_allocation_count(pin, peers);
    if (live < static_cast<std::size_t>(pin.rmin)) needs.push_back({i, pin.cid, pin.rmin, live});
  }
  return needs;
}

RepinPlan plan_repins(std::span<const pin::Pin> batch, const PeerTable& peers,
                      const std::vector<SortKey>& allocate_by, std::size_t changed_max) {
  CL_ASSERT(changed_max >= 1, "plan_repins needs room for one changed pin");
  RepinPlan plan;
  PeerTable table = peers;  // numpin grows as pins are placed, so quotas hold within the batch
  std::size_t i = 0;
  for (; i < batch.size() && plan.changed.size() < changed_max; ++i) {
    const pin::Pin& pin = batch[i];
    if (!under_rmin(pin, table)) continue;
    auto a = allocate(request_for(pin), table, allocate_by);
    if (!a) {
      if (plan.failed++ == 0) plan.first_error = a.status().message();
      continue;
    }
    if (!a->changed) continue;
    pin::Pin next = pin;
    next.allocations = a->peers;
    for (const auto& old : pin.allocations) {
      if (!std::binary_search(next.allocations.begin(), next.allocations.end(), old)) ++plan.moved_from[old];
    }
    for (const auto& id : next.allocations) {
      auto it = table.find(id);
      const bool added =
          std::find(pin.allocations.begin(), pin.allocations.end(), id) == pin.allocations.end();
      if (added && it != table.end() && it->second.metrics) ++it->second.metrics->numpin;
    }
    plan.changed.push_back(std::move(next));
  }
  plan.next_index = i;
  return plan;
}

}  // namespace cl::cluster
