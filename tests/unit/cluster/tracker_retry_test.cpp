// Failures: retried with exponential backoff and jitter on the tracker's clock, counted in
// attempt_count, given up after attempts_max until recover; stalls end in pin_error.
#include "tracker_fixture.hpp"

using namespace cl;
using namespace cl::cluster;
using namespace cl::cluster::test;

namespace {

util::Status daemon_failed() {
  return util::internal_error("ipfs pin/add at memory: daemon answered HTTP 500 'out of disk'");
}

}  // namespace

TEST_CASE("a failed pin is retried with backoff and its attempts are counted") {
  Fixture f;
  f.start();
  auto p = Fixture::here(1);
  f.ipfs.provide(p.cid);
  f.ipfs.fail_next(Op::pin_add, daemon_failed(), 2);
  f.commit(p);
  REQUIRE(f.wait_idle());
  auto info = f.tracker->status(p);
  CHECK(info.status == TrackerStatus::pin_error);
  CHECK(info.attempt_count == 1);
  CHECK_THAT(info.error, Catch::Contains("out of disk"));
  CHECK(f.tracker->stats().failures == 1);

  // First retry after 1 s, jittered into [0.5 s, 1 s]: not before 0.5 s.
  f.clock.advance(499ms);
  f.tracker->tick();
  REQUIRE(f.wait_idle());
  CHECK(f.ipfs.calls(Op::pin_add) == 1);
  CHECK(f.status(p) == TrackerStatus::pin_error);

  f.clock.advance(501ms);  // 1 s: due
  f.tracker->tick();
  REQUIRE(f.wait_until_attempts(p, 2));
  REQUIRE(f.wait_idle());
  info = f.tracker->status(p);
  CHECK(info.status == TrackerStatus::pin_error);
  CHECK(info.attempt_count == 2);
  CHECK(f.ipfs.calls(Op::pin_add) == 2);

  f.clock.advance(2s);  // second retry: at most 2 s
  f.tracker->tick();
  REQUIRE(f.wait_status(p, TrackerStatus::pinned));
  CHECK(f.ipfs.calls(Op::pin_add) == 3);
  CHECK(f.tracker->status(p).attempt_count == 0);
  CHECK(f.tracker->stats().entries == 0);
}

TEST_CASE("retry delays double up to retry_backoff_max, each jittered into [d/2, d]") {
  Fixture f;
  auto options = test_options();
  options.attempts_max = 8;
  f.start(options);
  auto p = Fixture::here(2);
  f.ipfs.provide(p.cid);
  f.ipfs.fail_next(Op::pin_add, daemon_failed(), 100);
  f.commit(p);
  REQUIRE(f.wait_idle());
  // Delay after attempt n: min(1 s * 2^(n-1), 8 s).
  const std::chrono::milliseconds expected[] = {1s, 2s, 4s, 8s, 8s, 8s, 8s};
  for (int n = 1; n < options.attempts_max; ++n) {
    INFO("after attempt " << n);
    auto d = expected[n - 1];
    f.clock.advance(d / 2 - 1ms);
    f.tracker->tick();
    REQUIRE(f.wait_idle());
    CHECK(f.ipfs.calls(Op::pin_add) == n);
    f.clock.advance(d / 2 + 1ms);
    f.tracker->tick();
    REQUIRE(f.wait_until_attempts(p, n + 1));
    REQUIRE(f.wait_idle());
    CHECK(f.ipfs.calls(Op::pin_add) == n + 1);
  }
  // attempts_max reached: no more retries, however long we wait.
  CHECK(f.tracker->status(p).attempt_count == options.attempts_max);
  f.clock.advance(std::chrono::hours(24));
  f.tracker->tick();
  REQUIRE(f.wait_idle());
  CHECK(f.ipfs.calls(Op::pin_add) == options.attempts_max);
  CHECK(f.status(p) == TrackerStatus::pin_error);
}

TEST_CASE("after attempts_max a pin stays in pin_error until recover") {
  Fixture f;
  auto options = test_options();
  options.attempts_max = 2;
  f.start(options);
  auto p = Fixture::here(3);
  f.ipfs.provide(p.cid);
  f.ipfs.fail_next(Op::pin_add, daemon_failed(), 2);
  f.commit(p);
  REQUIRE(f.wait_idle());
  f.clock.advance(1s);
  f.tracker->tick();
  REQUIRE(f.wait_until_attempts(p, 2));
  REQUIRE(f.wait_idle());
  f.clock.advance(std::chrono::hours(1));
  f.tracker->tick();
  REQUIRE(f.wait_idle());
  CHECK(f.status(p) == TrackerStatus::pin_error);

  std::vector<PinInfo> problems;
  f.tracker->for_each_problem([&](const PinInfo& i) { problems.push_back(i); });
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].cid == p.cid);
  CHECK(problems[0].attempt_count == 2);

  CHECK(f.tracker->recover(p.cid) == 1);
  REQUIRE(f.wait_status(p, TrackerStatus::pinned));
  CHECK(f.ipfs.calls(Op::pin_add) == 3);
}

TEST_CASE("a pin whose progress stalls ends in pin_error, never pinning forever; recover pins it") {
  Fixture f;
  f.start();
  auto p = Fixture::here(4);
  // Nobody provides it: MemoryConnector fails as a stalled pin/add does after its stall timeout.
  f.commit(p);
  REQUIRE(f.wait_idle());
  auto info = f.tracker->status(p);
  CHECK(info.status == TrackerStatus::pin_error);
  CHECK(f.tracker->stats().failures == 1);
  CHECK_THAT(info.error, Catch::Contains("no progress"));
  CHECK_THAT(info.error, Catch::Contains(p.cid.to_string()));

  f.ipfs.provide(p.cid);  // the content appears on the network
  CHECK(f.tracker->recover(std::nullopt) == 1);
  REQUIRE(f.wait_status(p, TrackerStatus::pinned));
}

TEST_CASE("an argument the daemon rejects is not retried") {
  Fixture f;
  f.start();
  auto p = Fixture::here(5);
  f.ipfs.provide(p.cid);
  f.ipfs.fail_next(Op::pin_add, util::invalid_argument("ipfs pin/add at memory: HTTP 400 'bad cid'"));
  f.commit(p);
  REQUIRE(f.wait_idle());
  f.clock.advance(std::chrono::hours(1));
  f.tracker->tick();
  REQUIRE(f.wait_idle());
  CHECK(f.ipfs.calls(Op::pin_add) == 1);
  CHECK(f.status(p) == TrackerStatus::pin_error);
}

TEST_CASE("a failed unpin is unpin_error, retried, then unpinned") {
  Fixture f;
  f.start();
  auto p = Fixture::here(6);
  f.ipfs.provide(p.cid);
  f.commit(p);
  REQUIRE(f.wait_status(p, TrackerStatus::pinned));
  f.ipfs.fail_next(Op::pin_rm,
                   util::internal_error("ipfs pin/rm at memory: daemon answered HTTP 500 'busy'"));
  f.remove(p.cid);
  REQUIRE(f.wait_idle());
  auto info = f.tracker->status(p.cid);
  CHECK(info.status == TrackerStatus::unpin_error);
  CHECK(info.attempt_count == 1);
  CHECK(f.ipfs.is_pinned(p.cid));
  f.clock.advance(1s);
  f.tracker->tick();
  REQUIRE(f.wait_until([&] { return f.tracker->status(p.cid).status == TrackerStatus::unpinned; }));
  CHECK_FALSE(f.ipfs.is_pinned(p.cid));
}

TEST_CASE("IPFS unreachable: allocated pins report pin_error; back and recovered: pinned") {
  Fixture f;
  f.start();
  auto p = Fixture::here(7);
  f.ipfs.provide(p.cid);
  f.commit(p);
  REQUIRE(f.wait_status(p, TrackerStatus::pinned));
  REQUIRE(f.wait_idle());

  f.ipfs.set_down(true);
  auto fresh = Fixture::here(8);
  f.ipfs.provide(fresh.cid);
  f.commit(fresh);
  REQUIRE(f.wait_idle());
  CHECK(f.status(fresh) == TrackerStatus::pin_error);
  auto steady = f.tracker->status(p);  // steady, but IPFS cannot confirm it now
  CHECK(steady.status == TrackerStatus::pin_error);
  CHECK_THAT(steady.error, Catch::Contains("ipfs unreachable"));
  CHECK_FALSE(f.tracker->stats().ipfs_reachable);
  CHECK(f.tracker->reconcile().code() == util::Code::unavailable);
  CHECK(f.status(f.elsewhere(9)) == TrackerStatus::remote);

  f.ipfs.set_down(false);
  CHECK(f.tracker->recover(std::nullopt) == 1);  // `fresh`; and a reconcile is asked for
  f.tracker->tick();                             // runs it
  REQUIRE(f.wait_status(fresh, TrackerStatus::pinned));
  REQUIRE(f.wait_idle());
  CHECK(f.status(p) == TrackerStatus::pinned);
  CHECK(f.tracker->stats().ipfs_reachable);
}
