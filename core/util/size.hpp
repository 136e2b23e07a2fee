#pragma once
// Sizes in bytes as people write them: "0", "512" (bytes), "10GB", "512MiB", "1.5GB", "4 KiB".
// Decimal units are powers of 1000 (kB, MB, GB, TB, PB, EB), binary units powers of 1024
// (KiB, MiB, GiB, TiB, PiB, EiB); "B" is bytes. Units are case-insensitive ("10gb" = "10GB",
// "kb" = "kB"); one space may separate the number from the unit. A decimal part is allowed as
// long as the result is a whole number of bytes. Negative sizes and sizes above 2^64-1 are not.
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace cl::util {

// An error names the text: "invalid size '10XB': unknown unit 'XB' (use B, kB, MB, GB, TB, KiB, ...)".
Result<std::uint64_t> parse_size(std::string_view text);

// The shortest exact form in the largest unit that divides the size: 10'000'000'000 -> "10GB",
// 536'870'912 -> "512MiB", 1234 -> "1234B", 0 -> "0B". parse_size(format_size(n)) == n.
std::string format_size(std::uint64_t bytes);

}  // namespace cl::util
