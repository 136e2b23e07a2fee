#include "util/duration.hpp"

#include <array>
#include <cstdint>
#include <limits>

namespace cl::util {

namespace {

__extension__ using i128 = __int128;

struct Unit {
  std::string_view name;
  std::int64_t ms;
};
// Longest names first so that "ms" is not read as "m" followed by "s".
constexpr std::array<Unit, 5> kUnits = {
    {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}}};

Status bad(std::string_view text, const std::string& why) {
  return invalid_argument("invalid duration " + quote(text) + ": " + why);
}

}  // namespace

Result<Millis> parse_duration(std::string_view text) {
  if (text.empty()) return bad(text, "empty (use e.g. 500ms, 90s, 15m, 24h, 7d)");
  if (text == "0") return Millis(0);
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max() / 1000;
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    // number: digits, optional fraction
    std::int64_t whole = 0;
    std::int64_t frac = 0, frac_div = 1;
    std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (whole > kMax / 10) return bad(text, "too large");
      whole = whole * 10 + (text[i] - '0');
      ++i;
    }
    bool has_whole = i > start;
    bool has_frac = false;
    if (i < text.size() && text[i] == '.') {
      ++i;
      std::size_t fstart = i;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        if (frac_div >= 1'000'000'000) return bad(text, "too many decimal places");
        frac = frac * 10 + (text[i] - '0');
        frac_div *= 10;
        ++i;
      }
      has_frac = i > fstart;
      if (!has_frac) return bad(text, "a '.' must be followed by digits");
    }
    if (!has_whole && !has_frac) {
      return bad(text,
                 "expected a number at " + quote(text.substr(i)) + " (use e.g. 500ms, 90s, 15m, 24h, 7d)");
    }
    std::size_t ustart = i;
    while (i < text.size() && ((text[i] >= 'a' && text[i] <= 'z') || (text[i] >= 'A' && text[i] <= 'Z'))) ++i;
    std::string_view unit_name = text.substr(ustart, i - ustart);
    if (unit_name.empty()) return bad(text, "missing unit after the number (use ms, s, m, h, d)");
    const Unit* unit = nullptr;
    for (const auto& u : kUnits) {
      if (u.name == unit_name) unit = &u;
    }
    if (unit == nullptr) {
      return bad(text, "unknown unit " + quote(unit_name) + " (use ms, s, m, h, d)");
    }
    if (whole > kMax / unit->ms) return bad(text, "too large");
    std::int64_t part = whole * unit->ms;
    if (has_frac) {
      // frac/frac_div * unit.ms must be whole milliseconds
      i128 num = static_cast<i128>(frac) * unit->ms;
      if (num % frac_div != 0) return bad(text, "not a whole number of milliseconds");
      part += static_cast<std::int64_t>(num / frac_div);
    }
    if (total > kMax - part) return bad(text, "too large");
    total += part;
  }
  return Millis(total);
}

std::string format_duration(Millis d) {
  std::int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  for (auto it = kUnits.rbegin(); it != kUnits.rend(); ++it) {
    if (ms >= it->ms) {
      out += std::to_string(ms / it->ms);
      out += it->name;
      ms %= it->ms;
    }
  }
  return out;
}

}  // namespace cl::util
