#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <vector>

#include "util/rng.hpp"

using cl::util::Rng;

TEST_CASE("the same seed gives the same sequence") {
  Rng a(42), b(42), c(43);
  std::vector<std::uint64_t> va, vb, vc;
  for (int i = 0; i < 100; ++i) {
    va.push_back(a.next());
    vb.push_back(b.next());
    vc.push_back(c.next());
  }
  CHECK(va == vb);
  CHECK(va != vc);
}

TEST_CASE("the sequence is fixed across builds (replayable seeds)") {
  // If this changes, every recorded simulator seed stops replaying: do not change the generator.
  Rng r(1);
  const std::uint64_t first = r.next();
  Rng again(1);
  CHECK(again.next() == first);
  // xoshiro256** seeded by splitmix64(1): a value computed once and pinned here.
  CHECK(Rng(0).next() == 0x99ec5f36cb75f2b4ULL);
}

TEST_CASE("below stays in range and covers it") {
  Rng r(7);
  std::array<int, 6> counts{};
  for (int i = 0; i < 60'000; ++i) {
    auto v = r.below(6);
    REQUIRE(v < 6);
    counts[v]++;
  }
  for (int c : counts) CHECK((c > 9'000 && c < 11'000));
  for (int i = 0; i < 1000; ++i) {
    auto v = r.between(-3, 3);
    REQUIRE((v >= -3 && v <= 3));
  }
  CHECK(r.between(5, 5) == 5);
}

TEST_CASE("fork gives an independent, deterministic stream") {
  Rng a(9), b(9);
  Rng fa = a.fork(), fb = b.fork();
  CHECK(fa.next() == fb.next());
  CHECK(a.next() == b.next());
}
