#pragma once
// Durations as people write them: "500ms", "90s", "15m", "24h", "7d", and sums of these
// ("1h30m"). Units: ms, s, m, h, d. A number may have a decimal part ("1.5s") as long as the
// result is a whole number of milliseconds. "0" alone is allowed. Negative durations are not.
#include <chrono>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace cl::util {

using Millis = std::chrono::milliseconds;

// Parse; an error names the bad text: "invalid duration '15x': unknown unit 'x' (use ms, s, m, h, d)".
Result<Millis> parse_duration(std::string_view text);

// The shortest exact form, largest units first: 90000ms -> "1m30s", 500ms -> "500ms", 0 -> "0s".
std::string format_duration(Millis d);

}  // namespace cl::util
