#pragma once
// A tracker status (PinInfo) as JSON, with IPFS Cluster's field names — one line of cl-status:
//   {"cid":"Qm...","peer":"12D3KooW...","status":"pinned","timestamp":"2026-11-26T22:51:41Z",
//    "error":"","attempt_count":0}
// Every field is always present. The CID is printed as the user gave it (CIDv0 "Qm...", CIDv1 in
// base32).
#include <nlohmann/json.hpp>

#include "cluster/tracker_types.hpp"

namespace cl::cluster {

nlohmann::json to_json(const PinInfo& info);

// Reads what to_json writes; each error names the field and the bad value.
util::Result<PinInfo> pin_info_from_json(const nlohmann::json& j);

}  // namespace cl::cluster
