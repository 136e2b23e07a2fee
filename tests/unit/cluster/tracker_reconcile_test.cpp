// The reconcile: IPFS's pins (recursive and direct) against the pinset. Lost pins are found and
// repaired, direct pins are not mistaken for lost ones, the node's own pins are left alone, pins
// moved elsewhere are unpinned, and changes made while it runs are not undone.
#include "tracker_fixture.hpp"

using namespace cl;
using namespace cl::cluster;
using namespace cl::cluster::test;

namespace {

// Pins `p` on the fixture's IPFS behind the tracker's back.
void pin_directly(Fixture& f, const cid::Cid& c, ipfs::PinType type) {
  f.ipfs.provide(c);
  ipfs::PinAddOptions o;
  o.type = type;
  REQUIRE(f.ipfs.pin_add(c, o).is_ok());
}

void put_in_pinset(Fixture& f, const pin::Pin& p) {
  std::lock_guard lock(f.pinset_mu);
  f.pinset[p.cid] = p;
}

}  // namespace

TEST_CASE("a pin IPFS lost is found unexpectedly_unpinned by the reconcile, then repaired") {
  Fixture f;
  f.start();
  auto p = Fixture::here(1);
  f.ipfs.provide(p.cid);
  f.commit(p);
  REQUIRE(f.wait_status(p, TrackerStatus::pinned));
  REQUIRE(f.wait_idle());

  REQUIRE(f.ipfs.pin_rm(p.cid).is_ok());  // an operator's pin/rm
  f.tracker->stop();                      // no worker: the status found stays visible
  REQUIRE(f.tracker->reconcile().is_ok());
  auto s = f.tracker->stats();
  CHECK(s.last_reconcile_missing == 1);
  CHECK(s.last_reconcile_allocated == 1);
  CHECK(f.status(p) == TrackerStatus::unexpectedly_unpinned);
  CHECK(f.tracker->queue_length() == 1);
  CHECK(s.normal_queued == 1);  // repairs go to the normal queue
  std::vector<PinInfo> problems;
  f.tracker->for_each_problem([&](const PinInfo& i) { problems.push_back(i); });
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].status == TrackerStatus::unexpectedly_unpinned);

  REQUIRE(f.tracker->start().is_ok());
  REQUIRE(f.wait_status(p, TrackerStatus::pinned));
  CHECK(f.ipfs.is_pinned(p.cid));
  REQUIRE(f.tracker->reconcile().is_ok());
  CHECK(f.tracker->stats().last_reconcile_missing == 0);
  CHECK(f.tracker->pinned_count() == 1);
}

TEST_CASE("direct pins are matched against IPFS's direct pins, never reported lost") {
  Fixture f;
  f.start();
  auto d = Fixture::here(2, pin::Mode::direct);
  f.ipfs.provide(d.cid);
  f.commit(d);
  REQUIRE(f.wait_status(d, TrackerStatus::pinned));
  REQUIRE(f.wait_idle());
  REQUIRE(f.ipfs.pins()[d.cid] == ipfs::PinType::direct);
  for (int round = 0; round < 3; ++round) {
    REQUIRE(f.tracker->reconcile().is_ok());
    CHECK(f.tracker->stats().last_reconcile_missing == 0);
    CHECK(f.status(d) == TrackerStatus::pinned);
  }
  CHECK(f.ipfs.calls(Op::pin_add) == 1);  // never re-pinned
  CHECK(f.tracker->stats().entries == 0);
}

TEST_CASE("a recursive IPFS pin satisfies a direct pin; a direct one does not satisfy a recursive pin") {
  Fixture f;
  f.start();
  auto d = Fixture::here(3, pin::Mode::direct);
  auto r = Fixture::here(4, pin::Mode::recursive);
  pin_directly(f, d.cid, ipfs::PinType::recursive);
  pin_directly(f, r.cid, ipfs::PinType::direct);
  put_in_pinset(f, d);
  put_in_pinset(f, r);
  REQUIRE(f.tracker->reconcile().is_ok());
  CHECK(f.tracker->stats().last_reconcile_missing == 1);
  REQUIRE(f.wait_idle());
  CHECK(f.status(d) == TrackerStatus::pinned);
  CHECK(f.status(r) == TrackerStatus::pinned);
  auto pins = f.ipfs.pins();
  CHECK(pins[d.cid] == ipfs::PinType::recursive);
  CHECK(pins[r.cid] == ipfs::PinType::recursive);  // upgraded by the repair
}

TEST_CASE("a CIDv0 in the pinset matches the CIDv1 that IPFS lists") {
  Fixture f;
  f.start();
  auto v0 = *cid::Cid::v0(cid::Multihash::sha2_256("a dag-pb block"));
  pin::Pin p = Fixture::here(0);
  p.cid = v0;
  pin_directly(f, v0.to_v1(), ipfs::PinType::recursive);  // js-ipfs lists pins as CIDv1 (zdj7...)
  put_in_pinset(f, p);
  REQUIRE(f.tracker->reconcile().is_ok());
  CHECK(f.tracker->stats().last_reconcile_missing == 0);
  CHECK(f.status(p) == TrackerStatus::pinned);
  CHECK(f.ipfs.calls(Op::pin_add) == 1);  // ours, above
}

TEST_CASE("IPFS pins of CIDs outside the pinset are left alone") {
  Fixture f;
  f.start();
  auto own = cid_of(5);
  pin_directly(f, own, ipfs::PinType::recursive);
  pin_directly(f, cid_of(6), ipfs::PinType::direct);
  REQUIRE(f.tracker->reconcile().is_ok());
  REQUIRE(f.wait_idle());
  CHECK(f.ipfs.pins().size() == 2);
  CHECK(f.ipfs.calls(Op::pin_rm) == 0);
  CHECK(f.tracker->stats().last_reconcile_ipfs_pins == 2);
}

TEST_CASE("a pin of the pinset allocated elsewhere but pinned here is unpinned by the reconcile") {
  Fixture f;
  f.start();
  auto moved = Fixture::elsewhere(7);
  pin_directly(f, moved.cid, ipfs::PinType::recursive);  // e.g. moved while the daemon was down
  put_in_pinset(f, moved);
  REQUIRE(f.tracker->reconcile().is_ok());
  CHECK(f.tracker->stats().last_reconcile_unpins == 1);
  REQUIRE(f.wait_idle());
  CHECK_FALSE(f.ipfs.is_pinned(moved.cid));
  CHECK(f.status(moved) == TrackerStatus::remote);
}

TEST_CASE("before the first reconcile nothing is claimed pinned; missing pins are then pin_queued") {
  Fixture f;
  auto present = Fixture::here(8);
  auto missing = Fixture::here(9);
  pin_directly(f, present.cid, ipfs::PinType::recursive);
  f.ipfs.provide(missing.cid);
  f.ipfs.hold(missing.cid);
  put_in_pinset(f, present);
  put_in_pinset(f, missing);

  f.tracker = std::make_unique<Tracker>(f.ipfs, f.clock, test_options(), kSelf);
  f.tracker->set_pinset([&f](const PinVisitor& visit) {
    for (const auto& [c, p] : f.pinset) visit(p);
    return util::Status::ok();
  });
  REQUIRE(f.tracker->start().is_ok());
  CHECK(f.status(present) == TrackerStatus::pin_queued);
  CHECK(f.status(missing) == TrackerStatus::pin_queued);
  CHECK_FALSE(f.tracker->stats().verified);

  REQUIRE(f.tracker->reconcile().is_ok());
  CHECK(f.tracker->stats().verified);
  CHECK(f.status(present) == TrackerStatus::pinned);
  REQUIRE(f.wait_status(missing, TrackerStatus::pinning));  // never confirmed: not "unexpectedly"
  f.ipfs.release(missing.cid);
  REQUIRE(f.wait_status(missing, TrackerStatus::pinned));
}

TEST_CASE("replace_all: work on CIDs that left the pinset turns into unpins") {
  Fixture f;
  f.start();
  auto failing = Fixture::here(10);  // nobody provides it: pin_error, retried later
  f.commit(failing);
  REQUIRE(f.wait_idle());
  REQUIRE(f.status(failing) == TrackerStatus::pin_error);
  auto kept = Fixture::here(11);
  pin_directly(f, kept.cid, ipfs::PinType::recursive);
  {
    std::lock_guard lock(f.pinset_mu);
    f.pinset.clear();
    f.pinset[kept.cid] = kept;
  }
  f.tracker->replace_all();
  CHECK(f.status(kept) == TrackerStatus::pin_queued);  // unverified until the reconcile
  f.tracker->tick();                                   // runs the reconcile replace_all asked for
  REQUIRE(f.wait_idle());
  CHECK(f.tracker->status(failing.cid).status == TrackerStatus::unpinned);
  CHECK(f.status(kept) == TrackerStatus::pinned);
  CHECK(f.tracker->stats().entries == 0);
}

TEST_CASE("a change made while a reconcile runs is not undone by it") {
  Fixture f;
  f.start();
  auto p = Fixture::here(12);  // allocated here in the snapshot, missing from IPFS
  f.ipfs.provide(p.cid);
  put_in_pinset(f, p);
  auto moved = Fixture::elsewhere(12);
  // The snapshot was taken; then the pin moves away and the tracker is told, mid-reconcile.
  f.during_visit = [&](const pin::Pin& visited) {
    if (visited.cid == p.cid) f.tracker->track(moved, &p);
  };
  REQUIRE(f.tracker->reconcile().is_ok());
  f.during_visit = nullptr;
  CHECK(f.tracker->stats().last_reconcile_skipped == 1);
  CHECK(f.tracker->stats().last_reconcile_missing == 0);
  REQUIRE(f.wait_idle());
  CHECK_FALSE(f.ipfs.is_pinned(p.cid));
  CHECK(f.ipfs.calls(Op::pin_add) == 0);
}

TEST_CASE("reconcile needs a pinset source and runs one at a time") {
  ipfs::MemoryConnector ipfs;
  util::FakeClock clock;
  Tracker t(ipfs, clock, test_options(), kSelf);
  auto st = t.reconcile();
  CHECK(st.code() == util::Code::failed_precondition);
  CHECK_THAT(st.message(), Catch::Contains("set_pinset"));

  util::Status inner;
  t.set_pinset([&](const PinVisitor&) {
    inner = t.reconcile();
    return util::Status::ok();
  });
  REQUIRE(t.reconcile().is_ok());
  CHECK(inner.code() == util::Code::failed_precondition);
}

TEST_CASE("a pinset source that fails fails the reconcile, with context") {
  Fixture f;
  f.start();
  f.tracker->set_pinset([](const PinVisitor&) { return util::io_error("disk I/O error reading pins"); });
  auto st = f.tracker->reconcile();
  CHECK(st.code() == util::Code::io_error);
  CHECK_THAT(st.message(), Catch::Contains("reconcile: reading the pinset"));
  CHECK(f.tracker->stats().last_reconcile_error == st.message());
  CHECK(f.tracker->stats().reconcile_failures == 1);
}

TEST_CASE("fingerprints: CIDv0 and its CIDv1 agree, seeds change them") {
  auto v0 = *cid::Cid::v0(cid::Multihash::sha2_256("x"));
  CHECK(detail::fingerprint(v0, 1) == detail::fingerprint(v0.to_v1(), 1));
  CHECK(detail::fingerprint(v0, 1) != detail::fingerprint(v0, 2));
  auto raw = cid::Cid::v1(cid::Codec::raw, cid::Multihash::sha2_256("x"));
  CHECK(detail::fingerprint(raw, 1) != detail::fingerprint(v0, 1));
  detail::FingerprintSet set;
  for (int i = 0; i < 1000; ++i) set.add(detail::fingerprint(cid_of(i), 7));
  set.seal();
  CHECK(set.size() == 1000);
  for (int i = 0; i < 1000; ++i) CHECK(set.contains(detail::fingerprint(cid_of(i), 7)));
  CHECK_FALSE(set.contains(detail::fingerprint(cid_of(1000), 7)));
}

TEST_CASE("the scheduler thread runs a reconcile on sync_now and the retries that are due") {
  Fixture f;
  auto options = test_options();
  options.scheduler_thread = true;
  options.tick_interval = 5ms;
  f.start(options);
  auto before = f.tracker->stats().reconciles;
  f.tracker->sync_now();
  REQUIRE(wait_until([&] { return f.tracker->stats().reconciles > before; }));

  auto p = Fixture::here(13);
  f.ipfs.provide(p.cid);
  f.ipfs.fail_next(Op::pin_add, util::internal_error("ipfs pin/add at memory: HTTP 500 'busy'"));
  f.commit(p);
  REQUIRE(f.wait_status(p, TrackerStatus::pin_error));
  f.clock.advance(1s);  // the retry is due; the scheduler notices within a tick
  REQUIRE(f.wait_status(p, TrackerStatus::pinned));
  CHECK(f.ipfs.calls(Op::pin_add) == 2);
}
