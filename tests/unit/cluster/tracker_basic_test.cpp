// The tracker follows the pinset: pins allocated here are pinned on IPFS (in their mode), pins
// allocated elsewhere are remote, de-allocated and removed pins are unpinned.
#include "tracker_fixture.hpp"

using namespace cl;
using namespace cl::cluster;
using namespace cl::cluster::test;

TEST_CASE("a pin allocated here is pinned on IPFS and then costs no entry") {
  Fixture f;
  f.start();
  auto p = Fixture::here(1);
  f.ipfs.provide(p.cid);
  f.commit(p);
  REQUIRE(f.wait_status(p, TrackerStatus::pinned));
  REQUIRE(f.wait_idle());
  auto pins = f.ipfs.pins();
  REQUIRE(pins.count(p.cid) == 1);
  CHECK(pins[p.cid] == ipfs::PinType::recursive);
  CHECK(f.tracker->stats().entries == 0);
  CHECK(f.tracker->stats().pins_done == 1);
  CHECK(f.tracker->pinned_count() == 1);
  auto info = f.tracker->status(p);
  CHECK(info.peer == kSelf);
  CHECK(info.error.empty());
  CHECK(info.attempt_count == 0);
  CHECK(info.timestamp.count() >= p.timestamp_ms);
}

TEST_CASE("a pin with rmin -1 is pinned on every peer") {
  Fixture f;
  f.start();
  pin::Pin p = Fixture::pin_on(2, {});
  p.rmin = p.rmax = -1;
  REQUIRE(p.everywhere());
  f.ipfs.provide(p.cid);
  f.commit(p);
  REQUIRE(f.wait_status(p, TrackerStatus::pinned));
  CHECK(f.ipfs.is_pinned(p.cid));
}

TEST_CASE("a pin allocated elsewhere is remote and not pinned here") {
  Fixture f;
  f.start();
  auto p = Fixture::elsewhere(3);
  f.ipfs.provide(p.cid);

  SECTION("previous version unknown: one pin/rm makes sure it is not ours") {
    f.commit(p, false);
    REQUIRE(f.wait_idle());
    CHECK(f.status(p) == TrackerStatus::remote);
    CHECK(f.ipfs.calls(Op::pin_rm) == 1);
  }
  SECTION("new, then remote before and after: no IPFS call at all") {
    f.commit(p);
    auto renamed = p;
    renamed.name = "renamed";
    f.commit(renamed);
    REQUIRE(f.wait_idle());
    CHECK(f.status(renamed) == TrackerStatus::remote);
    CHECK(f.ipfs.calls(Op::pin_rm) == 0);
  }
  CHECK(f.ipfs.calls(Op::pin_add) == 0);
  CHECK_FALSE(f.ipfs.is_pinned(p.cid));
  CHECK(f.tracker->status(p).timestamp.count() == p.timestamp_ms);
}

TEST_CASE("a pin moved to another peer is unpinned here and becomes remote") {
  Fixture f;
  f.start();
  auto p = Fixture::here(4);
  f.ipfs.provide(p.cid);
  f.commit(p);
  REQUIRE(f.wait_status(p, TrackerStatus::pinned));
  REQUIRE(f.ipfs.is_pinned(p.cid));

  auto moved = Fixture::elsewhere(4);
  f.commit(moved);
  REQUIRE(f.wait_idle());
  CHECK_FALSE(f.ipfs.is_pinned(p.cid));
  CHECK(f.status(moved) == TrackerStatus::remote);
  CHECK(f.tracker->stats().unpins_done == 1);
  CHECK(f.tracker->pinned_count() == 0);
}

TEST_CASE("a removed pin is unpinned; its CID is then unpinned") {
  Fixture f;
  f.start();
  auto p = Fixture::here(5);
  f.ipfs.provide(p.cid);
  f.commit(p);
  REQUIRE(f.wait_status(p, TrackerStatus::pinned));

  f.remove(p.cid);
  REQUIRE(f.wait_idle());
  CHECK_FALSE(f.ipfs.is_pinned(p.cid));
  CHECK(f.tracker->status(p.cid).status == TrackerStatus::unpinned);
  CHECK(f.tracker->stats().entries == 0);

  SECTION("removing a pin that was remote here calls nothing") {
    auto r = Fixture::elsewhere(6);
    f.commit(r);
    int rm_before = f.ipfs.calls(Op::pin_rm);
    f.remove(r.cid);
    REQUIRE(f.wait_idle());
    CHECK(f.ipfs.calls(Op::pin_rm) == rm_before);
  }
}

TEST_CASE("a direct pin is pinned directly") {
  Fixture f;
  f.start();
  auto p = Fixture::here(7, pin::Mode::direct);
  f.ipfs.provide(p.cid);
  f.commit(p);
  REQUIRE(f.wait_status(p, TrackerStatus::pinned));
  CHECK(f.ipfs.pins()[p.cid] == ipfs::PinType::direct);

  SECTION("changed to recursive: pinned recursively") {
    auto r = Fixture::here(7, pin::Mode::recursive);
    f.commit(r);
    REQUIRE(f.wait_idle());
    CHECK(f.status(r) == TrackerStatus::pinned);
    CHECK(f.ipfs.pins()[p.cid] == ipfs::PinType::recursive);
  }
}

TEST_CASE("a direct pin of a CID IPFS already pins recursively is satisfied") {
  Fixture f;
  f.start();
  auto p = Fixture::here(8, pin::Mode::direct);
  f.ipfs.provide(p.cid);
  // What js-ipfs (HTTP 400) and Kubo answer to pin/add?recursive=false of a recursive pin.
  f.ipfs.fail_next(Op::pin_add, util::invalid_argument("ipfs pin/add 'x' at memory: daemon answered HTTP 400 "
                                                       "'bafk... already pinned recursively'"));
  f.commit(p);
  REQUIRE(f.wait_idle());
  CHECK(f.status(p) == TrackerStatus::pinned);
  CHECK(f.tracker->stats().failures == 0);
}

TEST_CASE("a change that keeps the pin here in the same mode costs no IPFS call") {
  Fixture f;
  f.start();
  auto p = Fixture::here(9);
  f.ipfs.provide(p.cid);
  f.commit(p);
  REQUIRE(f.wait_status(p, TrackerStatus::pinned));
  REQUIRE(f.wait_idle());
  auto renamed = p;
  renamed.name = "new name";
  renamed.allocations = {kOther, kSelf};
  f.commit(renamed);
  CHECK(f.ipfs.calls(Op::pin_add) == 1);
  CHECK(f.tracker->stats().entries == 0);
  CHECK(f.status(renamed) == TrackerStatus::pinned);
}

TEST_CASE("status of a CID that is not in the pinset and not busy: unpinned") {
  Fixture f;
  f.start();
  auto info = f.tracker->status(cid_of(10));
  CHECK(info.status == TrackerStatus::unpinned);
  CHECK(info.peer == kSelf);
  CHECK(info.cid == cid_of(10));
}

TEST_CASE("options out of range are refused by start, naming the field") {
  ipfs::MemoryConnector ipfs;
  util::FakeClock clock;
  auto bad = test_options();
  bad.concurrent_pins = 0;
  Tracker t1(ipfs, clock, bad, kSelf);
  auto st = t1.start();
  CHECK(st.code() == util::Code::invalid_argument);
  CHECK_THAT(st.message(), Catch::Contains("concurrent_pins") && Catch::Contains("'0'"));

  bad = test_options();
  bad.retry_backoff_max = 500ms;
  Tracker t2(ipfs, clock, bad, kSelf);
  st = t2.start();
  CHECK_THAT(st.message(), Catch::Contains("retry_backoff_max") && Catch::Contains("'500ms'"));

  Tracker t3(ipfs, clock, test_options(), kSelf);
  REQUIRE(t3.start().is_ok());
  CHECK(t3.start().code() == util::Code::failed_precondition);
  t3.stop();
  t3.stop();  // idempotent
}

TEST_CASE("pinned_count follows pins and unpins between reconciles, and each reconcile resets it") {
  Fixture f;
  f.start();
  std::vector<pin::Pin> pins;
  for (int i = 0; i < 3; ++i) {
    pins.push_back(Fixture::here(20 + i));
    f.ipfs.provide(pins.back().cid);
    f.commit(pins.back());
  }
  REQUIRE(f.wait_idle());
  CHECK(f.tracker->pinned_count() == 3);
  f.commit(Fixture::elsewhere(20));  // moved away: unpinned
  REQUIRE(f.wait_idle());
  CHECK(f.tracker->pinned_count() == 2);
  f.tracker->track(pins[1]);  // previous version unknown: pinned again, counted again
  REQUIRE(f.wait_idle());
  CHECK(f.tracker->pinned_count() == 3);
  REQUIRE(f.tracker->reconcile().is_ok());
  CHECK(f.tracker->pinned_count() == 2);  // what IPFS holds of the pins allocated here
}
