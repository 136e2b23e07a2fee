#pragma once
// A Tracker over a MemoryConnector and a FakeClock, with a pinset the test edits, for the
// tracker_*_test.cpp files. The scheduler thread is off: tests call tick() and reconcile()
// themselves; the workers are real threads, so tests wait for them with bounded waits.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cluster/tracker.hpp"
#include "ipfs/memory_connector.hpp"
#include "util/clock.hpp"

namespace cl::cluster::test {

inline constexpr const char* kSelf = "12D3KooWSelfPeer";
inline constexpr const char* kOther = "12D3KooWOtherPeer";

using Op = ipfs::MemoryConnector::Op;
using namespace std::chrono_literals;

inline cid::Cid cid_of(int n) {
  return cid::Cid::v1(cid::Codec::raw, cid::Multihash::sha2_256("tracker-test-" + std::to_string(n)));
}

// Waits (real time, polling) until pred() holds; false after `limit`. Workers are threads: this is
// how tests wait for them, never with a fixed sleep.
inline bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds limit = 10s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

// util::FakeClock, but safe to advance while the tracker's threads read it (the scheduler thread
// reads the clock on every tick).
class SharedFakeClock final : public util::Clock {
 public:
  util::Nanos monotonic() const override { return util::Nanos(now_.load()); }
  std::chrono::milliseconds wall() const override {
    return std::chrono::milliseconds(1'700'000'000'000) +
           std::chrono::duration_cast<std::chrono::milliseconds>(monotonic());
  }
  void advance(util::Nanos d) { now_ += d.count(); }

 private:
  std::atomic<std::int64_t> now_{0};
};

inline TrackerOptions test_options() {
  TrackerOptions o;
  o.scheduler_thread = false;
  o.concurrent_pins = 4;
  o.retry_backoff_min = 1s;
  o.retry_backoff_max = 8s;
  o.attempts_max = 5;
  o.seed = 42;
  return o;
}

struct Fixture {
  ipfs::MemoryConnector ipfs{"12D3KooWIpfsOfSelf"};
  SharedFakeClock clock;
  std::mutex pinset_mu;
  std::map<cid::Cid, pin::Pin> pinset;
  // Called by the pinset source before each pin is visited (to change things mid-reconcile).
  std::function<void(const pin::Pin&)> during_visit;
  std::unique_ptr<Tracker> tracker;

  // Starts a tracker and runs its first reconcile (so that statuses are verified).
  void start(TrackerOptions options = test_options()) {
    tracker = std::make_unique<Tracker>(ipfs, clock, options, kSelf);
    tracker->set_pinset([this](const PinVisitor& visit) {
      std::map<cid::Cid, pin::Pin> copy;
      {
        std::lock_guard lock(pinset_mu);
        copy = pinset;  // a consistent snapshot, as a ReadView gives
      }
      for (const auto& [c, p] : copy) {
        if (during_visit) during_visit(p);
        visit(p);
      }
      return util::Status::ok();
    });
    REQUIRE(tracker->start().is_ok());
    REQUIRE(tracker->reconcile().is_ok());
  }

  static pin::Pin pin_on(int n, std::vector<std::string> allocations, pin::Mode mode = pin::Mode::recursive) {
    pin::Pin p;
    p.cid = cid_of(n);
    p.mode = mode;
    p.rmin = static_cast<int>(allocations.size());
    p.rmax = p.rmin;
    p.allocations = std::move(allocations);
    p.timestamp_ms = 1'700'000'000'000;
    return p;
  }
  static pin::Pin here(int n, pin::Mode mode = pin::Mode::recursive) { return pin_on(n, {kSelf}, mode); }
  static pin::Pin elsewhere(int n) { return pin_on(n, {kOther}); }

  // The daemon's part: the change is committed to the pinset, then the tracker is told.
  void commit(const pin::Pin& p, bool give_before = true) {
    std::optional<pin::Pin> before;
    {
      std::lock_guard lock(pinset_mu);
      if (auto it = pinset.find(p.cid); it != pinset.end()) before = it->second;
      pinset[p.cid] = p;
    }
    if (give_before) {
      tracker->track(p, before ? &*before : nullptr);
    } else {
      tracker->track(p);
    }
  }
  void remove(const cid::Cid& c) {
    std::optional<pin::Pin> before;
    {
      std::lock_guard lock(pinset_mu);
      if (auto it = pinset.find(c); it != pinset.end()) before = it->second;
      pinset.erase(c);
    }
    if (before) {
      tracker->untrack(c, *before);
    } else {
      tracker->untrack(c);
    }
  }

  TrackerStatus status(const pin::Pin& p) const { return tracker->status(p).status; }
  bool wait_status(const pin::Pin& p, TrackerStatus s, std::chrono::milliseconds limit = 10s) {
    return test::wait_until([&] { return status(p) == s; }, limit);
  }
  bool wait_until(const std::function<bool()>& pred) { return test::wait_until(pred); }
  // The pin's current operation has made at least n attempts.
  bool wait_until_attempts(const pin::Pin& p, int n) {
    return test::wait_until([&] { return tracker->status(p).attempt_count >= n; });
  }
  // No operation queued or running.
  bool wait_idle(std::chrono::milliseconds limit = 10s) {
    return test::wait_until(
        [&] {
          auto s = tracker->stats();
          return tracker->queue_length() == 0 && s.in_flight == 0 && s.priority_queued == 0 &&
                 s.normal_queued == 0;
        },
        limit);
  }
};

}  // namespace cl::cluster::test
