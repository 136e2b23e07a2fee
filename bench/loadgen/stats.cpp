#include "stats.hpp"

#include <algorithm>
#include <cstdio>

namespace cl::bench {

namespace {

double percentile_ms(std::vector<std::uint32_t>& v, double q) {
  if (v.empty()) return 0;
  auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k] / 1000.0;
}

}  // namespace

Summary summarize(std::vector<std::uint32_t>& latencies_us, std::uint64_t errors, double seconds) {
  Summary s;
  s.ops = latencies_us.size();
  s.errors = errors;
  s.seconds = seconds;
  s.ops_per_s = seconds > 0 ? static_cast<double>(s.ops) / seconds : 0;
  s.p50_ms = percentile_ms(latencies_us, 0.50);
  s.p99_ms = percentile_ms(latencies_us, 0.99);
  s.max_ms = latencies_us.empty() ? 0 : *std::max_element(latencies_us.begin(), latencies_us.end()) / 1000.0;
  return s;
}

std::string result_line(const Summary& s) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "RESULT ops=%llu errors=%llu secs=%.2f ops_s=%.0f p50_ms=%.3f p99_ms=%.3f max_ms=%.1f",
                static_cast<unsigned long long>(s.ops), static_cast<unsigned long long>(s.errors), s.seconds,
                s.ops_per_s, s.p50_ms, s.p99_ms, s.max_ms);
  return buf;
}

}  // namespace cl::bench
