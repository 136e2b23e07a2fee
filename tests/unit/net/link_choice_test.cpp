#include "net/link_choice.hpp"

#include <catch2/catch.hpp>

using namespace cl::net;

TEST_CASE("a newer connection from the same dialer replaces the older") {
  CHECK(new_link_wins(true, true, "a", "b"));
  CHECK(new_link_wins(false, false, "a", "b"));
  CHECK(new_link_wins(true, true, "b", "a"));
  CHECK(new_link_wins(false, false, "b", "a"));
}

TEST_CASE("between dialers, the connection dialed by the lower peer id wins on both sides") {
  // On "a" (lower): keep what a dialed.
  CHECK(new_link_wins(false, true, "a", "b"));
  CHECK_FALSE(new_link_wins(true, false, "a", "b"));
  // On "b" (higher): keep what a dialed, i.e. b's inbound connection.
  CHECK(new_link_wins(true, false, "b", "a"));
  CHECK_FALSE(new_link_wins(false, true, "b", "a"));
}
