// Node: keeping the allocation counts current as entries are applied (see node_alloc.cpp for the
// counting pass). Called from after_commit with what the apply changed, before and after.
#include "node/effects.hpp"
#include "node/node.hpp"

namespace cl::node {

void Node::count_changes(const Effects& fx) {
  if (fx.replaced || fx.snapshot_installed) {
    alloc_counts_.restart();
    counts_after_.clear();
    return;
  }
  for (std::size_t i = 0; i < fx.pins_set.size(); ++i) {
    alloc_counts_.change(fx.pins_set[i].cid.bytes(), fx.pins_set_before[i], fx.pins_set[i]);
  }
  for (std::size_t i = 0; i < fx.pins_removed.size(); ++i) {
    alloc_counts_.change(fx.pins_removed[i].bytes(), fx.pins_removed_before[i], std::nullopt);
  }
}

}  // namespace cl::node
