// The work queues and workers: at most concurrent_pins IPFS calls at once, bounded queues that
// delay but never lose work, unpin of a pin in flight, a bounded stop() with hung calls.
#include "tracker_fixture.hpp"

using namespace cl;
using namespace cl::cluster;
using namespace cl::cluster::test;

TEST_CASE("never more than concurrent_pins pin/add calls at once") {
  Fixture f;
  auto options = test_options();
  options.concurrent_pins = 3;
  f.start(options);
  std::vector<pin::Pin> pins;
  for (int i = 0; i < 20; ++i) {
    pins.push_back(Fixture::here(100 + i));
    f.ipfs.provide(pins.back().cid);
    f.ipfs.hold(pins.back().cid);
    f.commit(pins.back());
  }
  REQUIRE(wait_until([&] { return f.ipfs.pin_adds_in_flight() == 3; }));
  CHECK(f.tracker->stats().in_flight == 3);
  CHECK(f.tracker->queue_length() == 20);
  int pinning = 0;
  for (const auto& p : pins) pinning += f.status(p) == TrackerStatus::pinning ? 1 : 0;
  CHECK(pinning == 3);
  for (const auto& p : pins) f.ipfs.release(p.cid);
  REQUIRE(f.wait_idle());
  for (const auto& p : pins) CHECK(f.status(p) == TrackerStatus::pinned);
  CHECK(f.ipfs.pin_adds_in_flight_max() == 3);
  CHECK(f.ipfs.pins().size() == 20);
}

TEST_CASE("a full queue delays pins in pin_queued; none is lost") {
  Fixture f;
  auto options = test_options();
  options.concurrent_pins = 1;
  options.queue_max = 2;
  f.start(options);
  auto first = Fixture::here(200);
  f.ipfs.provide(first.cid);
  f.ipfs.hold(first.cid);
  f.commit(first);
  REQUIRE(wait_until([&] { return f.ipfs.pin_adds_in_flight() == 1; }));
  std::vector<pin::Pin> pins;
  for (int i = 1; i <= 10; ++i) {
    pins.push_back(Fixture::here(200 + i));
    f.ipfs.provide(pins.back().cid);
    f.commit(pins.back());
  }
  auto s = f.tracker->stats();
  CHECK(s.priority_queued == 2);  // the bound
  CHECK(s.entries == 11);
  CHECK(f.tracker->queue_length() == 11);
  for (const auto& p : pins) CHECK(f.status(p) == TrackerStatus::pin_queued);

  f.ipfs.release(first.cid);  // the worker drains the queue and refills it from the entries
  REQUIRE(f.wait_idle());
  CHECK(f.status(first) == TrackerStatus::pinned);
  for (const auto& p : pins) CHECK(f.status(p) == TrackerStatus::pinned);
  CHECK(f.ipfs.pins().size() == 11);
}

TEST_CASE("unpin of a CID whose pin is in flight cancels the pin, then unpins") {
  Fixture f;
  f.start();
  auto p = Fixture::here(300);
  f.ipfs.provide(p.cid);
  f.ipfs.hold(p.cid);  // pin/add blocks until cancelled
  f.commit(p);
  REQUIRE(f.wait_status(p, TrackerStatus::pinning));
  f.remove(p.cid);
  auto now = f.tracker->status(p.cid).status;  // the worker may already be on it
  CHECK((now == TrackerStatus::unpin_queued || now == TrackerStatus::unpinning ||
         now == TrackerStatus::unpinned));
  REQUIRE(f.wait_idle());
  CHECK(f.tracker->status(p.cid).status == TrackerStatus::unpinned);
  CHECK(f.ipfs.calls(Op::pin_rm) == 1);
  CHECK_FALSE(f.ipfs.is_pinned(p.cid));
  CHECK(f.ipfs.pin_adds_in_flight() == 0);  // the held pin/add ended: cancelled
  CHECK(f.tracker->stats().failures == 0);  // a cancel for a change of mind is no failure

  SECTION("and a pin while unpinning cancels the unpin, then pins") {
    f.ipfs.release(p.cid);
    f.ipfs.set_delay(Op::pin_rm, 10s);  // pin/rm hangs (a cancel flag cuts it short)
    auto q = Fixture::here(301);
    f.ipfs.provide(q.cid);
    f.commit(q);
    REQUIRE(f.wait_status(q, TrackerStatus::pinned));
    f.remove(q.cid);
    REQUIRE(wait_until([&] { return f.tracker->status(q.cid).status == TrackerStatus::unpinning; }));
    f.commit(q);
    REQUIRE(f.wait_status(q, TrackerStatus::pinned));
    CHECK(f.ipfs.is_pinned(q.cid));
  }
}

TEST_CASE("stop() returns with hung IPFS calls, and start() resumes their pins") {
  Fixture f;
  auto options = test_options();
  options.concurrent_pins = 5;
  f.start(options);
  std::vector<pin::Pin> pins;
  for (int i = 0; i < 8; ++i) {
    pins.push_back(Fixture::here(400 + i));
    f.ipfs.provide(pins.back().cid);
    f.ipfs.hold(pins.back().cid);  // would block forever without a cancel
    f.commit(pins.back());
  }
  REQUIRE(wait_until([&] { return f.ipfs.pin_adds_in_flight() == 5; }));
  auto t0 = std::chrono::steady_clock::now();
  f.tracker->stop();
  auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("measured: tracker stop() with 5 hung pin/add calls took %.3f s\n", took);
  CHECK(f.ipfs.pin_adds_in_flight() == 0);
  for (const auto& p : pins) {
    auto info = f.tracker->status(p);
    CHECK(info.status == TrackerStatus::pin_queued);
    CHECK(info.attempt_count == 0);  // a cancel by stop() is not an attempt
  }
  for (const auto& p : pins) f.ipfs.release(p.cid);
  REQUIRE(f.tracker->start().is_ok());
  REQUIRE(f.wait_idle());
  for (const auto& p : pins) CHECK(f.status(p) == TrackerStatus::pinned);
}

TEST_CASE("past entries_max the tracker stops claiming pinned and catches up through reconciles") {
  Fixture f;
  auto options = test_options();
  options.concurrent_pins = 1;
  options.queue_max = 1;
  options.entries_max = 2;
  f.start(options);
  auto first = Fixture::here(500);
  f.ipfs.provide(first.cid);
  f.ipfs.hold(first.cid);
  f.commit(first);
  std::vector<pin::Pin> pins{first};
  for (int i = 1; i < 6; ++i) {
    pins.push_back(Fixture::here(500 + i));
    f.ipfs.provide(pins.back().cid);
    f.commit(pins.back());
  }
  CHECK(f.tracker->stats().entries == 2);
  CHECK_FALSE(f.tracker->stats().verified);
  // Not recorded, not pinned: pin_queued, not pinned.
  for (const auto& p : pins) CHECK(f.status(p) != TrackerStatus::pinned);

  f.ipfs.release(first.cid);
  // Each tick: when entries have room again, a reconcile finds what is missing.
  REQUIRE(wait_until([&] {
    f.tracker->tick();
    return f.ipfs.pins().size() == pins.size() && f.tracker->stats().verified;
  }));
  REQUIRE(f.wait_idle());
  for (const auto& p : pins) CHECK(f.status(p) == TrackerStatus::pinned);
  CHECK(f.tracker->stats().entries == 0);
}

TEST_CASE("without worker threads, run_queued runs operations in priority order on the caller") {
  Fixture f;
  auto options = test_options();
  options.worker_threads = false;
  options.priority_attempts_max = 2;
  f.start(options);
  // A repair found by a reconcile waits in the normal queue...
  auto lost = Fixture::here(600);
  {
    std::lock_guard lock(f.pinset_mu);
    f.pinset[lost.cid] = lost;
  }
  f.ipfs.provide(lost.cid);
  REQUIRE(f.tracker->reconcile().is_ok());
  CHECK(f.tracker->stats().normal_queued == 1);
  // ...behind a new pin, in the priority queue.
  auto fresh = Fixture::here(601);
  f.ipfs.provide(fresh.cid);
  f.commit(fresh);
  CHECK(f.tracker->stats().priority_queued == 1);
  CHECK(f.ipfs.calls(Op::pin_add) == 0);  // nothing runs by itself

  REQUIRE(f.tracker->run_queued(1) == 1);
  CHECK(f.status(fresh) == TrackerStatus::pinned);
  CHECK(f.status(lost) == TrackerStatus::unexpectedly_unpinned);
  REQUIRE(f.tracker->run_queued(10) == 1);
  CHECK(f.status(lost) == TrackerStatus::pinned);

  // A retry with fewer than priority_attempts_max failures stays in the priority queue; then normal.
  auto flaky = Fixture::here(602);
  f.ipfs.provide(flaky.cid);
  f.ipfs.fail_next(Op::pin_add, util::internal_error("ipfs pin/add at memory: HTTP 500 'busy'"), 2);
  f.commit(flaky);
  REQUIRE(f.tracker->run_queued(1) == 1);
  f.clock.advance(1s);
  f.tracker->tick();
  CHECK(f.tracker->stats().priority_queued == 1);
  REQUIRE(f.tracker->run_queued(1) == 1);
  f.clock.advance(2s);
  f.tracker->tick();
  CHECK(f.tracker->stats().normal_queued == 1);
  REQUIRE(f.tracker->run_queued(1) == 1);
  CHECK(f.status(flaky) == TrackerStatus::pinned);
  CHECK(f.tracker->run_queued(1) == 0);
}
