#pragma once
// Small helpers for the local socket handlers.
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/call.hpp"
#include "util/result.hpp"

namespace cl::node {

// Stream a (small) list of items as one listing.
void stream_items(const std::shared_ptr<api::Call>& call, std::vector<nlohmann::json> items);
// Reply with the result or fail with the error.
void answer(const std::shared_ptr<api::Call>& call, util::Result<nlohmann::json> r);

}  // namespace cl::node
