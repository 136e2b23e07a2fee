#pragma once
// Timestamps as people and IPFS Cluster's JSON write them: RFC 3339 in UTC.
#include <chrono>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace cl::util {

// "2026-11-26T22:51:41Z", or with milliseconds when not whole seconds ("...41.250Z").
std::string format_rfc3339(std::chrono::milliseconds since_epoch);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" (also a lowercase 't'/'z' or a space
// for 'T'). Fractions beyond milliseconds are truncated. Errors name the text.
Result<std::chrono::milliseconds> parse_rfc3339(std::string_view text);

}  // namespace cl::util
