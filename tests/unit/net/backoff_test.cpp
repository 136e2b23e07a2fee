#include "net/backoff.hpp"

#include <catch2/catch.hpp>

using namespace cl::net;
using cl::util::Millis;

TEST_CASE("backoff doubles from min to max with jitter in the upper half") {
  Backoff b(Millis(50), Millis(5000), cl::util::Rng(1));
  std::int64_t ceiling = 50;
  for (int i = 0; i < 20; ++i) {
    const Millis d = b.next();
    CHECK(d.count() >= (ceiling + 1) / 2);
    CHECK(d.count() <= ceiling);
    ceiling = std::min<std::int64_t>(ceiling * 2, 5000);
  }
  CHECK(b.ceiling() == Millis(5000));
  b.reset();
  const Millis d = b.next();
  CHECK(d >= Millis(25));
  CHECK(d <= Millis(50));
}

TEST_CASE("backoff is deterministic for a seed and varies across seeds") {
  auto run = [](std::uint64_t seed) {
    Backoff b(Millis(50), Millis(5000), cl::util::Rng(seed));
    std::vector<std::int64_t> out;
    for (int i = 0; i < 10; ++i) out.push_back(b.next().count());
    return out;
  };
  CHECK(run(7) == run(7));
  CHECK(run(7) != run(8));
}
