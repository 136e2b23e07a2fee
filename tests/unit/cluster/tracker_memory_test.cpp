// Memory: steady pins cost the tracker nothing. Measured with glibc's mallinfo2() (bytes in use
// on the heap) around a tracker following 100k pins, generated on the fly so that the test itself
// holds none of them. Prints "measured:" lines with bytes per pin.
#include <malloc.h>

#include "tracker_fixture.hpp"

using namespace cl;
using namespace cl::cluster;
using namespace cl::cluster::test;

namespace {

constexpr int kPins = 100'000;

// mallinfo2() counts only the main arena: make every thread of this test binary allocate there
// (set before main(), before any thread exists), or what the workers allocate would go unseen.
const bool kOneArena = [] { return mallopt(M_ARENA_MAX, 1) == 1; }();

std::int64_t heap_in_use() {
  REQUIRE(kOneArena);
  malloc_trim(0);
  return static_cast<std::int64_t>(mallinfo2().uordblks);
}

pin::Pin generated(int i) {
  auto p = Fixture::here(1'000'000 + i);
  p.name = "pin-" + std::to_string(i);
  return p;
}

}  // namespace

TEST_CASE("100k pinned pins: no entry each, a few bytes in all; a reconcile holds 8 bytes per IPFS pin") {
  ipfs::MemoryConnector ipfs;
  util::FakeClock clock;
  for (int i = 0; i < kPins; ++i) {  // IPFS holds them already (its memory is not ours to count)
    auto p = generated(i);
    ipfs.provide(p.cid);
    ipfs::PinAddOptions o;
    REQUIRE(ipfs.pin_add(p.cid, o).is_ok());
  }
  auto options = test_options();
  options.concurrent_pins = 10;
  Tracker tracker(ipfs, clock, options, kSelf);
  tracker.set_pinset([](const PinVisitor& visit) {
    for (int i = 0; i < kPins; ++i) visit(generated(i));
    return util::Status::ok();
  });
  REQUIRE(tracker.start().is_ok());
  REQUIRE(tracker.reconcile().is_ok());  // warm-up: first-use allocations (thread stacks, tables)
  const std::int64_t base = heap_in_use();

  auto t0 = std::chrono::steady_clock::now();
  REQUIRE(tracker.reconcile().is_ok());
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto s = tracker.stats();
  CHECK(s.last_reconcile_ipfs_pins == static_cast<std::size_t>(kPins));
  CHECK(s.last_reconcile_allocated == static_cast<std::size_t>(kPins));
  CHECK(s.last_reconcile_missing == 0);
  CHECK(s.entries == 0);
  CHECK(tracker.pinned_count() == static_cast<std::size_t>(kPins));
  const std::int64_t after_reconcile = heap_in_use() - base;
  std::printf(
      "measured: reconcile of %d pins (MemoryConnector) took %.3f s, held %zu bytes of fingerprints "
      "(%.1f bytes per IPFS pin) while it ran\n",
      kPins, secs, s.last_reconcile_peak_bytes, double(s.last_reconcile_peak_bytes) / kPins);
  std::printf("measured: heap after the reconcile: %+lld bytes (%.2f bytes per pin)\n",
              static_cast<long long>(after_reconcile), double(after_reconcile) / kPins);
  CHECK(s.last_reconcile_peak_bytes <= 8u * kPins * 2);  // vector growth at most doubles
  CHECK(after_reconcile < kPins);                        // < 1 byte per pin left behind

  // Every pin goes through the tracker (previous version unknown: each gets a pin/add) and ends steady.
  t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < kPins; ++i) tracker.track(generated(i));
  REQUIRE(wait_until(
      [&] {
        auto st = tracker.stats();
        return st.pins_done == static_cast<std::uint64_t>(kPins) && st.in_flight == 0 && st.entries == 0;
      },
      120s));
  secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::int64_t after_track = heap_in_use() - base;
  std::printf("measured: %d pins tracked and pinned through 10 workers in %.3f s (%.0f pins/s)\n", kPins,
              secs, kPins / secs);
  std::printf("measured: heap after tracking %d pinned pins: %+lld bytes (%.2f bytes per pin)\n", kPins,
              static_cast<long long>(after_track), double(after_track) / kPins);
  CHECK(after_track < 8 * kPins);  // the queues' spare blocks at most; no per-pin record
  CHECK(tracker.status(generated(7)).status == TrackerStatus::pinned);
  CHECK(tracker.status(generated(7)).attempt_count == 0);
  REQUIRE(tracker.reconcile().is_ok());
  CHECK(tracker.pinned_count() == static_cast<std::size_t>(kPins));
}

TEST_CASE("an entry (a pin with work or trouble) costs a few hundred bytes") {
  constexpr int kFailing = 10'000;
  ipfs::MemoryConnector ipfs;  // provides nothing: every pin/add fails (stalled)
  util::FakeClock clock;
  Tracker tracker(ipfs, clock, test_options(), kSelf);
  REQUIRE(tracker.start().is_ok());
  const std::int64_t base = heap_in_use();
  for (int i = 0; i < kFailing; ++i) tracker.track(generated(i));
  REQUIRE(wait_until([&] {
    auto s = tracker.stats();
    return s.by_status[static_cast<std::size_t>(TrackerStatus::pin_error)] ==
           static_cast<std::size_t>(kFailing);
  }));
  const std::int64_t used = heap_in_use() - base;
  std::printf("measured: %d pins in pin_error: %lld bytes (%.0f bytes per entry, error text included)\n",
              kFailing, static_cast<long long>(used), double(used) / kFailing);
  CHECK(tracker.stats().entries == static_cast<std::size_t>(kFailing));
  CHECK(used < 600 * kFailing);
}
