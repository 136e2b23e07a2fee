// The reconcile: list IPFS's pins (recursive and direct, streamed) into two sorted fingerprint
// sets, walk the pinset once, and queue what differs; then sweep the entries the walk did not
// meet (CIDs that left the pinset).
//
// Decisions per pin of the pinset (CIDs changed while the reconcile runs are left to
// track/untrack: their fingerprints are in touched_):
//   allocated here, present   -> steady: its entry (if any, not running) is dropped
//   allocated here, missing   -> queued for pin/add: unexpectedly_unpinned when the tracker had
//                                verified the pinset before (IPFS lost it), pin_queued otherwise
//   not allocated here, present -> unpin_queued (the cluster moved it elsewhere)
//   not allocated here, absent  -> steady remote: a pin entry turns into an unpin (it may be
//                                  running), an unpin entry with nothing left to do is dropped
// "present" for a recursive pin: IPFS pins it recursively; for a direct pin: directly or
// recursively. IPFS pins of CIDs that are not in the pinset are never looked at.
#include <algorithm>

#include "cluster/tracker.hpp"

namespace cl::cluster {

using detail::Entry;
using detail::Op;

namespace detail {

namespace {

std::uint64_t mix64(std::uint64_t x) {  // splitmix64's finalizer
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

}  // namespace

std::uint64_t fingerprint(const cid::Cid& cid, std::uint64_t seed) {
  std::uint64_t h = 0xcbf29ce484222325ull ^ mix64(seed);  // FNV-1a over the CIDv1 bytes
  auto feed = [&h](std::uint8_t b) {
    h ^= b;
    h *= 0x100000001b3ull;
  };
  if (!cid.is_defined()) return mix64(h);
  if (cid.version() == 0) {
    feed(0x01);  // CIDv1 = <version 1><codec dag-pb 0x70><multihash>; a CIDv0 is the bare multihash
    feed(0x70);
  }
  for (char c : cid.bytes()) feed(static_cast<std::uint8_t>(c));
  return mix64(h);
}

void FingerprintSet::seal() {
  std::sort(v_.begin(), v_.end());
  v_.erase(std::unique(v_.begin(), v_.end()), v_.end());
  v_.shrink_to_fit();
}

bool FingerprintSet::contains(std::uint64_t fp) const {
  return std::binary_search(v_.begin(), v_.end(), fp);
}

}  // namespace detail

struct Tracker::ReconcileRun {
  PinsetSource source;
  std::uint64_t seed = 0;
  std::uint32_t epoch = 0;
  util::Nanos started{0};
  std::int64_t started_wall_ms = 0;
  std::int64_t delta_at_start = 0;
  detail::FingerprintSet recursive, direct;
  std::size_t peak_bytes = 0;
  bool complete = true;  // every pin that needed an entry got one
  std::size_t allocated = 0, confirmed = 0, missing = 0, unpins = 0, skipped = 0;
};

util::Status Tracker::reconcile() {
  ReconcileRun run;
  {
    std::lock_guard lock(mu_);
    if (!pinset_) return util::failed_precondition("reconcile: no pinset source; call set_pinset first");
    if (reconciling_) return util::failed_precondition("reconcile: another reconcile is running");
    reconciling_ = true;
    reconcile_requested_ = false;
    overflow_ = false;
    run.source = pinset_;
    run.seed = rng_.next();
    run.epoch = ++epoch_;
    run.started = clock_.monotonic();
    run.started_wall_ms = clock_.wall().count();
    run.delta_at_start = pinned_delta_;
    touch_seed_ = run.seed;
    touched_.clear();
    touched_overflow_ = false;
    next_reconcile_at_ = run.started + options_.state_sync_interval;
  }
  util::Status st = reconcile_run(run);
  std::lock_guard lock(mu_);
  reconciling_ = false;
  touched_ = {};  // frees its buckets
  ++stats_.reconciles;
  stats_.last_reconcile_duration = std::chrono::duration_cast<util::Millis>(clock_.monotonic() - run.started);
  stats_.last_reconcile_peak_bytes = run.peak_bytes;
  if (!st.is_ok()) {
    ++stats_.reconcile_failures;
    stats_.last_reconcile_error = st.message();
    ++reconcile_failures_in_row_;
    // Try again sooner than state_sync_interval: IPFS may be back in a moment.
    next_reconcile_at_ = std::min(next_reconcile_at_, run.started + backoff(reconcile_failures_in_row_));
    return st;
  }
  reconcile_failures_in_row_ = 0;
  stats_.last_reconcile_error.clear();
  return st;
}

util::Status Tracker::list_ipfs(ReconcileRun& run) {
  for (ipfs::PinType type : {ipfs::PinType::recursive, ipfs::PinType::direct}) {
    util::Status st = ipfs_.pin_ls(type, [&](const ipfs::PinInfo& p) -> util::Status {
      if (stopping_) return {util::Code::cancelled, "the tracker is stopping"};
      if (run.recursive.size() + run.direct.size() >= options_.reconcile_ipfs_pins_max) {
        return util::resource_exhausted("ipfs holds more than " +
                                        std::to_string(options_.reconcile_ipfs_pins_max) +
                                        " pins (reconcile_ipfs_pins_max): raise it");
      }
      (p.type == ipfs::PinType::direct ? run.direct : run.recursive)
          .add(detail::fingerprint(p.cid, run.seed));
      return util::Status::ok();
    });
    if (!st.is_ok()) return st;
  }
  run.peak_bytes = run.recursive.bytes() + run.direct.bytes();
  run.recursive.seal();
  run.direct.seal();
  return util::Status::ok();
}

util::Status Tracker::reconcile_run(ReconcileRun& run) {
  util::Status listed = list_ipfs(run);
  {
    std::lock_guard lock(mu_);
    note_ipfs(listed, true);
    if (!listed.is_ok()) return listed.with_context("reconcile: listing the pins of ipfs");
  }
  util::Status read = run.source([&](const pin::Pin& pin) {
    if (stopping_) return;
    std::lock_guard lock(mu_);
    visit_one(pin, run);
  });
  if (!read.is_ok()) return read.with_context("reconcile: reading the pinset");
  if (stopping_) return {util::Code::cancelled, "reconcile: the tracker is stopping"};

  std::lock_guard lock(mu_);
  sweep(run);
  verified_ = run.complete && !overflow_ && !touched_overflow_ && !ipfs_down_;
  if (verified_) {
    verified_at_ms_ = run.started_wall_ms;
  } else {
    reconcile_when_room_ = true;  // catch up on what could not be recorded
  }
  confirmed_ = run.confirmed;
  delta_at_listing_ = run.delta_at_start;
  stats_.last_reconcile_ipfs_pins = run.recursive.size() + run.direct.size();
  stats_.last_reconcile_allocated = run.allocated;
  stats_.last_reconcile_missing = run.missing;
  stats_.last_reconcile_unpins = run.unpins;
  stats_.last_reconcile_skipped = run.skipped;
  return util::Status::ok();
}

void Tracker::visit_one(const pin::Pin& pin, ReconcileRun& run) {
  auto it = entries_.find(pin.cid);
  Entry* e = it == entries_.end() ? nullptr : &it->second;
  if (e != nullptr) e->seen_epoch = run.epoch;
  const std::uint64_t fp = detail::fingerprint(pin.cid, run.seed);
  const bool recursive = run.recursive.contains(fp);
  const bool direct = run.direct.contains(fp);
  const bool here = allocated_here(pin);
  const bool present_here = here && (recursive || (pin.mode == pin::Mode::direct && direct));
  if (here) ++run.allocated;
  if (present_here) ++run.confirmed;
  if (touched_overflow_ || touched_.count(fp) != 0) {
    ++run.skipped;
    return;
  }
  if (e != nullptr) e->counted = present_here;  // as confirmed_ counts it from now on

  if (here) {
    if (present_here) {
      if (e != nullptr && !e->in_flight) erase_entry(it);
      return;
    }
    ++run.missing;
    if (e == nullptr) {
      auto status = verified_ ? TrackerStatus::unexpectedly_unpinned : TrackerStatus::pin_queued;
      if (add_entry(pin.cid, Op::pin, pin.mode, status, true, false) == nullptr) run.complete = false;
      return;
    }
    if (e->op != Op::pin || e->mode != pin.mode) {
      want(pin.cid, *e, Op::pin, pin.mode, true);
    } else if (e->status == TrackerStatus::pinned) {
      // Pinned by us before the listing, gone now: someone unpinned it behind our back.
      e->bulk = true;
      set_status(*e, TrackerStatus::unexpectedly_unpinned);
      enqueue(pin.cid, *e);
    }
    return;  // otherwise queued, running, or failing with its own retries
  }

  if (e == nullptr) {
    if (recursive || direct) {
      ++run.unpins;
      if (add_entry(pin.cid, Op::unpin, pin::Mode::recursive, TrackerStatus::unpin_queued, true, false) ==
          nullptr)
        run.complete = false;
    }
    return;
  }
  if (e->op == Op::pin) {
    ++run.unpins;
    want(pin.cid, *e, Op::unpin, pin::Mode::recursive, true);
  } else if (!recursive && !direct && !e->in_flight && !e->queued) {
    erase_entry(it);  // nothing left to unpin
  }
}

void Tracker::sweep(ReconcileRun& run) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    auto cur = it++;
    Entry& e = cur->second;
    if (e.in_flight) continue;
    if (e.status == TrackerStatus::pinned) {
      erase_entry(cur);  // confirmed by the listing, or pinned while this reconcile ran
      continue;
    }
    if (e.seen_epoch == run.epoch) continue;
    const std::uint64_t fp = detail::fingerprint(cur->first, run.seed);
    if (touched_overflow_ || touched_.count(fp) != 0) continue;
    e.counted = false;  // not in the pinset: not in confirmed_
    // Not in the pinset: it left while the tracker was not told (replace_all).
    if (e.op == Op::pin) {
      ++run.unpins;
      want(cur->first, e, Op::unpin, pin::Mode::recursive, true);
    } else if (!e.queued && !run.recursive.contains(fp) && !run.direct.contains(fp)) {
      erase_entry(cur);
    }
  }
}

}  // namespace cl::cluster
