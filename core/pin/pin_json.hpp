#pragma once
// Pins as JSON, with IPFS Cluster's field names (snake_case):
//   {"cid":"Qm...","name":"backup-1","mode":"recursive","replication_factor_min":2,
//    "replication_factor_max":3,"allocations":["12D3KooW..."],"user_allocations":[],
//    "metadata":{"k":"v"},"expire_at":"2026-12-01T00:00:00Z","timestamp":"2026-11-26T22:51:41Z",
//    "pin_update":"Qm...","size":1234}
// user_allocations, metadata, expire_at, pin_update and size are omitted when empty/unset.
// This is the line format of cl-pin ls, cl-sync export and cl-sync import.
#include <nlohmann/json.hpp>

#include "pin/pin.hpp"

namespace cl::pin {

nlohmann::json to_json(const Pin& pin);

// Reads a pin written by to_json (unknown fields are ignored, so newer exports still import).
// "cid" is required; the other fields default as in a request (replication factors 0: the
// cluster default). Each error names the field and the bad value. Does not call validate().
util::Result<Pin> pin_from_json(const nlohmann::json& j);

}  // namespace cl::pin
