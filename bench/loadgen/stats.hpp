#pragma once
// Latency samples of one run and their summary.
#include <cstdint>
#include <string>
#include <vector>

namespace cl::bench {

struct Summary {
  std::uint64_t ops = 0;
  std::uint64_t errors = 0;
  double seconds = 0;
  double ops_per_s = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
};

// `latencies_us` are the successful requests' latencies (reordered in place).
Summary summarize(std::vector<std::uint32_t>& latencies_us, std::uint64_t errors, double seconds);

// One line for run.sh: "RESULT ops=... errors=... secs=... ops_s=... p50_ms=... p99_ms=... max_ms=...".
std::string result_line(const Summary& s);

}  // namespace cl::bench
