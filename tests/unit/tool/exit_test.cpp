#include <catch2/catch.hpp>

#include "tool/exit.hpp"

using namespace cl::tool;
namespace util = cl::util;

TEST_CASE("transport failures map to exit statuses 3, 4 and 2") {
  CHECK(exit_for_transport(util::unavailable("cannot reach")) == Exit::unreachable);
  CHECK(exit_for_transport(util::timeout_error("late")) == Exit::timed_out);
  CHECK(exit_for_transport(util::invalid_argument("bad socket")) == Exit::usage);
  CHECK(exit_for_transport(util::corrupt("garbage")) == Exit::failed);
}

TEST_CASE("an item's error answer is 1, or 4 for its timeout") {
  CHECK(exit_for_item(util::not_found("not pinned")) == Exit::failed);
  CHECK(exit_for_item(util::timeout_error("late")) == Exit::timed_out);
}

TEST_CASE("Outcome keeps the most severe: unreachable > timed out > failed > ok") {
  Outcome o;
  CHECK(o.exit_status() == 0);
  o.item_ok();
  CHECK(o.exit_status() == 0);
  o.item_failed();
  CHECK(o.exit_status() == 1);
  o.item(Exit::timed_out);
  CHECK(o.exit_status() == 4);
  o.item_failed();
  CHECK(o.exit_status() == 4);
  o.fatal(Exit::unreachable);
  CHECK(o.exit_status() == 3);
  CHECK(o.failed_count() == 3);
  CHECK(o.ok_count() == 1);
}
