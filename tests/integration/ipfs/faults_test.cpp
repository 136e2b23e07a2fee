// HttpConnector when things go wrong with a real js-ipfs daemon: content nobody has (the stall
// timeout), cancellation, and a daemon killed with SIGKILL (unavailable, the backoff, recovery).
// Runs after connector_test.cpp's cases; kills and restarts node 2 of the fixture.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <thread>

#include "helpers.hpp"
#include "nodes.hpp"

using namespace cl::ipfs;
using namespace cl::ipfs::test;
using cl::util::Code;
using Clock = std::chrono::steady_clock;

TEST_CASE("pin/add of a CID nobody has ends in a timeout after the stall timeout") {
  const Nodes& nodes = Nodes::get();
  auto a = nodes.connect(0);
  Cid nobody = random_cid(20);
  PinAddOptions options;
  options.stall_timeout = std::chrono::seconds(3);
  auto t0 = Clock::now();
  Status st = a->pin_add(nobody, options);
  double secs = seconds_since(t0);
  REQUIRE(st.code() == Code::timeout);
  CHECK_THAT(st.message(), Catch::Contains(nobody.to_string()));
  CHECK_THAT(st.message(), Catch::Contains(nodes.api_url(0)));
  std::printf("measured: pin/add of a CID nobody has, stall timeout 3s: ended after %.2f s\n", secs);
  CHECK_FALSE(has_pin(*a, PinType::recursive, nobody));
  // The connector is still usable: the abandoned call did not poison a pooled handle.
  CHECK(a->version().is_ok());
}

TEST_CASE("a pin/add waiting for blocks is cancelled by its flag") {
  const Nodes& nodes = Nodes::get();
  auto a = nodes.connect(0);
  CancelFlag cancel;
  PinAddOptions options;
  options.cancel = &cancel;
  options.stall_timeout = std::chrono::seconds(60);
  std::thread canceller([&cancel] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    cancel.cancel();
  });
  auto t0 = Clock::now();
  Status st = a->pin_add(random_cid(21), options);
  double secs = seconds_since(t0);
  canceller.join();
  CHECK(st.code() == Code::cancelled);
  std::printf("measured: cancel of a waiting pin/add took effect after %.2f s (flag set at 0.5 s)\n", secs);
}

TEST_CASE("a killed daemon: unavailable, then fail fast during the backoff, then back after a restart") {
  const Nodes& nodes = Nodes::get();
  HttpConfig config;
  config.backoff_min = std::chrono::seconds(5);
  config.backoff_max = std::chrono::seconds(5);
  auto c = nodes.connect(2, config);
  REQUIRE(c->id().is_ok());

  // A pin waiting on node 2 when it dies ends at once, not after its stall timeout: the
  // connection closes before any answer (or libcurl resends the request on a fresh connection,
  // which is refused). Either way: unavailable.
  Status waiting;
  PinAddOptions options;
  options.stall_timeout = std::chrono::seconds(120);
  std::thread pinner([&] { waiting = c->pin_add(random_cid(22), options); });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto killed_at = Clock::now();
  REQUIRE(nodes.script("kill 2"));
  pinner.join();
  std::printf("measured: a waiting pin/add ended %.2f s after SIGKILL of its daemon: %s\n",
              seconds_since(killed_at), waiting.to_string().c_str());
  CHECK(waiting.code() == Code::unavailable);
  CHECK_THAT(waiting.message(), Catch::Contains("ipfs pin/add"));
  CHECK_THAT(waiting.message(), Catch::Contains(nodes.api_url(2)));
  CHECK(c->id().code() == Code::unavailable);  // refused (or already in backoff): backoff runs now

  // A connector that never reached the node: connection refused, naming the URL.
  auto fresh = nodes.connect(2);
  auto refused = fresh->id();
  REQUIRE(refused.code() == Code::unavailable);
  CHECK_THAT(refused.status().message(), Catch::Contains("ipfs id at " + nodes.api_url(2)));
  CHECK_THAT(refused.status().message(), Catch::Contains("is the IPFS daemon running?"));

  // The first connector is in its 5 s backoff: it fails at once without trying.
  auto fast = c->pin_ls(PinType::recursive, [](const PinInfo&) { return Status::ok(); });
  CHECK(fast.code() == Code::unavailable);
  CHECK_THAT(fast.message(), Catch::Contains("not retrying for another"));
  CHECK_THAT(fast.message(), Catch::Contains("pin/ls"));

  REQUIRE(nodes.script("restart 2"));
  // Within 5 s of the refusal the connector does not try; after it, the node answers. Bounded.
  auto deadline = Clock::now() + std::chrono::seconds(30);
  cl::util::Result<NodeInfo> back = c->id();
  while (!back.is_ok() && Clock::now() < deadline) {
    REQUIRE(back.code() == Code::unavailable);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    back = c->id();
  }
  REQUIRE(back.is_ok());
  CHECK(c->version().is_ok());
}
