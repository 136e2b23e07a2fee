#include <catch2/catch.hpp>

#include "cluster/allocation_counts.hpp"

using namespace cl;

namespace {

pin::Pin pin_on(int n, std::vector<std::string> allocations, int rmin = 1) {
  pin::Pin p;
  p.cid = cid::Cid::v1(cid::Codec::raw, cid::Multihash::sha2_256("counts-" + std::to_string(n)));
  p.rmin = rmin;
  p.rmax = rmin == -1 ? -1 : 3;
  p.allocations = std::move(allocations);
  return p;
}

}  // namespace

TEST_CASE("allocation counts follow pin changes once the pass is done") {
  cluster::AllocationCounts c;
  c.restart();
  c.count("k1", pin_on(1, {"a", "b"}));
  c.count("k2", pin_on(2, {"b"}));
  c.count("k3", pin_on(3, {}, -1));  // everywhere
  c.finish();
  REQUIRE(c.ready());
  CHECK(c.allocated("a") == 2);
  CHECK(c.allocated("b") == 3);
  CHECK(c.allocated("c") == 1);  // only the pin on every peer

  c.change("k1", pin_on(1, {"a", "b"}), pin_on(1, {"b", "c"}));  // moved from a to c
  c.change("k2", pin_on(2, {"b"}), std::nullopt);                // removed
  c.change("k4", std::nullopt, pin_on(4, {"a"}));                // added
  CHECK(c.allocated("a") == 2);
  CHECK(c.allocated("b") == 2);
  CHECK(c.allocated("c") == 2);
  c.change("k3", pin_on(3, {}, -1), std::nullopt);
  CHECK(c.allocated("c") == 1);
  CHECK(c.allocated("nobody") == 0);
}

TEST_CASE("during the pass only changes to pins it already read apply") {
  cluster::AllocationCounts c;
  c.restart();
  c.change("k1", std::nullopt, pin_on(1, {"a"}));  // before the pass started: it will read k1
  c.count("k1", pin_on(1, {"a"}));
  c.change("k1", pin_on(1, {"a"}), pin_on(1, {"b"}));  // read already: applies
  c.change("k5", std::nullopt, pin_on(5, {"a"}));      // not reached: the pass will read it
  c.advance_to("k3");                                  // a row that did not decode
  c.change("k2", std::nullopt, pin_on(2, {"a"}));      // before k3: applies
  c.count("k5", pin_on(5, {"a"}));
  c.finish();
  CHECK(c.allocated("a") == 2);
  CHECK(c.allocated("b") == 1);
  c.restart();
  CHECK_FALSE(c.ready());
  CHECK(c.allocated("a") == 0);
}
