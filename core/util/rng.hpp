#pragma once
// Rng: a small, fast, seeded generator (xoshiro256**, seeded through splitmix64). The same seed
// gives the same sequence on every machine and build, which is what makes a failing simulator seed
// replayable. Not for secrets: keys and cluster secrets come from OpenSSL's RAND_bytes.
#include <cstdint>
#include <limits>

namespace cl::util {

class Rng {
 public:
  using result_type = std::uint64_t;  // UniformRandomBitGenerator, for std::shuffle and friends

  explicit Rng(std::uint64_t seed) { reseed(seed); }
  void reseed(std::uint64_t seed);

  std::uint64_t next();
  std::uint64_t operator()() { return next(); }
  static constexpr std::uint64_t min() { return 0; }
  static constexpr std::uint64_t max() { return std::numeric_limits<std::uint64_t>::max(); }

  // Uniform in [0, n); n must be > 0. Unbiased.
  std::uint64_t below(std::uint64_t n);
  // Uniform in [lo, hi]; lo <= hi.
  std::int64_t between(std::int64_t lo, std::int64_t hi);
  // True with probability num/den.
  bool chance(std::uint64_t num, std::uint64_t den) { return below(den) < num; }
  // A new generator whose sequence is independent of, and determined by, this one's.
  Rng fork() { return Rng(next()); }

 private:
  std::uint64_t s_[4] = {};
};

}  // namespace cl::util
