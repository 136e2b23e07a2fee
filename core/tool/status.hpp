#pragma once
// Reading the items of status.ls and recover (api.GlobalPinInfo's shape):
//   {"cid","name","allocations":[...],"peer_map":{"<peer id>":{"status","timestamp","error",
//    "attempt_count"}}} or {"cid","error"} for a CID that is not pinned in the cluster.
// Used by cl-status, cl-sync recover and cl-pin add --wait.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tool/output.hpp"

namespace cl::tool {

// The statuses that mean a pin is in trouble: pin_error, unpin_error, cluster_error,
// unexpectedly_unpinned. A top-level "error" (not pinned in the cluster) counts too.
bool status_is_error(const std::string& status);
bool item_in_error(const nlohmann::json& item);
// Every shown peer reports pinned (peers reporting remote are not allocated and do not count);
// false for an empty peer_map.
bool item_pinned(const nlohmann::json& item);

// "pinned" when every peer agrees, else the counts: "pinning:1,pinned:2"; the item's error for a
// CID not pinned in the cluster.
std::string status_summary(const nlohmann::json& item);
// What is wrong with an item, for a message: "12D3KooW...: pin_error: <error>; ...", at most a few
// peers, or its top-level error.
std::string status_problems(const nlohmann::json& item);

// Table columns: CID, NAME, STATUS (the summary), PEERS (short peer id=status, ...).
std::vector<Column> status_columns();

}  // namespace cl::tool
