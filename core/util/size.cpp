#include "util/size.hpp"

#include <array>
#include <cctype>
#include <limits>

namespace cl::util {

namespace {

struct Unit {
  std::string_view name;  // canonical spelling, as format_size prints it
  std::uint64_t bytes;
};
constexpr std::uint64_t kK = 1000, kKi = 1024;
// Largest first, binary before decimal of the same rank: format_size takes the first exact one.
constexpr std::array<Unit, 13> kUnits = {{
    {"EiB", kKi* kKi* kKi* kKi* kKi* kKi},
    {"EB", kK* kK* kK* kK* kK* kK},
    {"PiB", kKi* kKi* kKi* kKi* kKi},
    {"PB", kK* kK* kK* kK* kK},
    {"TiB", kKi* kKi* kKi* kKi},
    {"TB", kK* kK* kK* kK},
    {"GiB", kKi* kKi* kKi},
    {"GB", kK* kK* kK},
    {"MiB", kKi* kKi},
    {"MB", kK* kK},
    {"KiB", kKi},
    {"kB", kK},
    {"B", 1},
}};

constexpr std::string_view kUnitHelp = "(use B, kB, MB, GB, TB, PB, KiB, MiB, GiB, TiB, PiB)";

__extension__ using Uint128 = unsigned __int128;  // __extension__: no -Wpedantic noise

Status bad(std::string_view text, const std::string& why) {
  return invalid_argument("invalid size " + quote(text) + ": " + why);
}

bool same_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

}  // namespace

Result<std::uint64_t> parse_size(std::string_view text) {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  if (text.empty()) return bad(text, "empty (use e.g. 512MiB, 10GB, or a number of bytes)");
  std::size_t i = 0;
  std::uint64_t whole = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    auto digit = static_cast<std::uint64_t>(text[i] - '0');
    if (whole > (kMax - digit) / 10) return bad(text, "too large");
    whole = whole * 10 + digit;
    ++i;
  }
  bool has_whole = i > 0;
  std::uint64_t frac = 0, frac_div = 1;
  bool has_frac = false;
  if (i < text.size() && text[i] == '.') {
    ++i;
    std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (frac_div >= 1'000'000'000'000'000'000ULL) return bad(text, "too many decimal places");
      frac = frac * 10 + static_cast<std::uint64_t>(text[i] - '0');
      frac_div *= 10;
      ++i;
    }
    has_frac = i > start;
    if (!has_frac) return bad(text, "a '.' must be followed by digits");
  }
  if (!has_whole && !has_frac) return bad(text, "expected a number first (use e.g. 512MiB, 10GB, 4096)");
  if (i < text.size() && text[i] == ' ') ++i;
  std::string_view unit_name = text.substr(i);
  std::uint64_t unit = 1;
  if (!unit_name.empty()) {
    const Unit* found = nullptr;
    for (const auto& u : kUnits) {
      if (same_ignoring_case(u.name, unit_name)) found = &u;
    }
    if (found == nullptr) return bad(text, "unknown unit " + quote(unit_name) + " " + std::string(kUnitHelp));
    unit = found->bytes;
  }
  if (whole > kMax / unit) return bad(text, "too large");
  std::uint64_t total = whole * unit;
  if (has_frac) {
    Uint128 num = static_cast<Uint128>(frac) * unit;
    if (num % frac_div != 0) return bad(text, "not a whole number of bytes");
    auto part = static_cast<std::uint64_t>(num / frac_div);
    if (total > kMax - part) return bad(text, "too large");
    total += part;
  }
  return total;
}

std::string format_size(std::uint64_t bytes) {
  if (bytes == 0) return "0B";
  for (const auto& u : kUnits) {
    if (bytes % u.bytes == 0) return std::to_string(bytes / u.bytes) + std::string(u.name);
  }
  CL_UNREACHABLE("every size is a whole number of bytes");
}

}  // namespace cl::util
