#include "cluster/repin.hpp"

#include <set>

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

}  // namespace cl::cluster
