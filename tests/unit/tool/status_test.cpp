#include <catch2/catch.hpp>

#include "tool/status.hpp"

using namespace cl::tool;
using nlohmann::json;

namespace {
json item(std::initializer_list<std::pair<const char*, const char*>> peers) {
  json pm = json::object();
  for (auto [peer, status] : peers) pm[peer] = json{{"status", status}, {"error", ""}};
  return json{{"cid", "bafy"}, {"name", "n"}, {"peer_map", pm}};
}
}  // namespace

TEST_CASE("a pin is pinned when every shown peer is pinned (remote peers do not count)") {
  CHECK(item_pinned(item({{"12D3KooWaaaaaa1", "pinned"}, {"12D3KooWaaaaaa2", "pinned"}})));
  CHECK(item_pinned(item({{"12D3KooWaaaaaa1", "pinned"}, {"12D3KooWaaaaaa2", "remote"}})));
  CHECK_FALSE(item_pinned(item({{"12D3KooWaaaaaa1", "pinned"}, {"12D3KooWaaaaaa2", "pinning"}})));
  CHECK_FALSE(item_pinned(item({{"12D3KooWaaaaaa1", "remote"}})));
  CHECK_FALSE(item_pinned(item({})));
  CHECK_FALSE(item_pinned(json{{"cid", "bafy"}, {"error", "not pinned in the cluster"}}));
}

TEST_CASE("a pin is in error when any shown peer is in an error state, or it is not pinned") {
  for (const char* s : {"pin_error", "unpin_error", "cluster_error", "unexpectedly_unpinned"}) {
    CHECK(item_in_error(item({{"12D3KooWaaaaaa1", "pinned"}, {"12D3KooWaaaaaa2", s}})));
  }
  for (const char* s : {"pinned", "pinning", "pin_queued", "unpinned", "remote"}) {
    CHECK_FALSE(item_in_error(item({{"12D3KooWaaaaaa1", s}})));
  }
  CHECK(item_in_error(json{{"cid", "bafy"}, {"error", "not pinned in the cluster"}}));
}

TEST_CASE("the summary is one status when peers agree, else the counts; problems name the peers") {
  CHECK(status_summary(item({{"12D3KooWaaaaaa1", "pinned"}, {"12D3KooWaaaaaa2", "pinned"}})) == "pinned");
  CHECK(status_summary(item({{"12D3KooWaaaaaa1", "pinned"}, {"12D3KooWaaaaaa2", "pinning"}})) ==
        "pinned:1,pinning:1");
  auto bad = item({{"12D3KooWaaaaaa1", "pinned"}, {"12D3KooWaaaaaa2", "pin_error"}});
  bad["peer_map"]["12D3KooWaaaaaa2"]["error"] = "context deadline exceeded";
  CHECK(status_problems(bad) == "12D3KooWaaaaaa2: pin_error: context deadline exceeded");
  CHECK(status_summary(json{{"cid", "x"}, {"error", "not pinned in the cluster"}}) ==
        "error: not pinned in the cluster");
}
