// The tracker's life cycle and its desired-state input: start/stop, track/untrack/replace_all,
// recover, and the bookkeeping of entries. Queues and workers: tracker_queue.cpp. Reconcile:
// tracker_reconcile.cpp. Status queries: tracker_status.cpp.
#include "cluster/tracker.hpp"

#include <algorithm>

namespace cl::cluster {

using detail::Entry;
using detail::Op;

Tracker::Tracker(ipfs::Connector& ipfs, util::Clock& clock, TrackerOptions options, std::string self_peer_id)
    : ipfs_(ipfs),
      clock_(clock),
      options_(std::move(options)),
      self_(std::move(self_peer_id)),
      rng_(options_.seed) {}

Tracker::~Tracker() {
  stop();
}

void Tracker::set_pinset(PinsetSource source) {
  std::lock_guard lock(mu_);
  pinset_ = std::move(source);
}

util::Status Tracker::start() {
  CL_TRY_STATUS(options_.validate());
  std::lock_guard lock(mu_);
  if (running_) return util::failed_precondition("the pin tracker is already running; stop it first");
  running_ = true;
  stopping_ = false;
  request_reconcile();
  if (options_.worker_threads) {
    for (int i = 0; i < options_.concurrent_pins; ++i) workers_.emplace_back([this] { worker_loop(); });
  }
  if (options_.scheduler_thread) scheduler_ = std::thread([this] { scheduler_loop(); });
  return util::Status::ok();
}

void Tracker::stop() {
  std::vector<std::thread> workers;
  std::thread scheduler;
  {
    std::lock_guard lock(mu_);
    if (!running_) return;
    stopping_ = true;
    for (auto& [cid, e] : entries_) {
      if (e.in_flight && e.cancel != nullptr) e.cancel->cancel();
    }
    workers.swap(workers_);
    scheduler = std::move(scheduler_);
  }
  work_cv_.notify_all();
  sched_cv_.notify_all();
  if (scheduler.joinable()) scheduler.join();
  for (auto& w : workers) w.join();
  std::lock_guard lock(mu_);
  running_ = false;
  stopping_ = false;
}

bool Tracker::allocated_here(const pin::Pin& pin) const {
  return pin.everywhere() ||
         std::find(pin.allocations.begin(), pin.allocations.end(), self_) != pin.allocations.end();
}

void Tracker::track(const pin::Pin& pin) {
  track_change(pin, false, nullptr);
}

void Tracker::track(const pin::Pin& pin, const pin::Pin* before) {
  track_change(pin, true, before);
}

void Tracker::untrack(const cid::Cid& cid) {
  untrack_change(cid, nullptr);
}

void Tracker::untrack(const cid::Cid& cid, const pin::Pin& before) {
  untrack_change(cid, &before);
}

void Tracker::track_change(const pin::Pin& pin, bool before_known, const pin::Pin* before) {
  std::lock_guard lock(mu_);
  touch(pin.cid);
  bool here = allocated_here(pin);
  Op op = here ? Op::pin : Op::unpin;
  if (auto it = entries_.find(pin.cid); it != entries_.end()) {
    Entry& e = it->second;
    // Already wanted (even if failing: a change of name or metadata is not a recover).
    if (e.op == op && (op == Op::unpin || e.mode == pin.mode)) return;
    want(pin.cid, e, op, pin.mode, false);
    return;
  }
  bool was_here = before_known && before != nullptr && allocated_here(*before);
  if (before_known) {
    if (here && was_here && before->mode == pin.mode) return;  // steady: already pinned
    if (!here && !was_here) return;                            // remote before and after
  }
  // Counted in pinned_count when known to be steady here before (unknown: not counted).
  add_entry(pin.cid, op, pin.mode, here ? TrackerStatus::pin_queued : TrackerStatus::unpin_queued, false,
            was_here);
}

void Tracker::untrack_change(const cid::Cid& cid, const pin::Pin* before) {
  std::lock_guard lock(mu_);
  touch(cid);
  if (auto it = entries_.find(cid); it != entries_.end()) {
    if (it->second.op != Op::unpin) want(cid, it->second, Op::unpin, pin::Mode::recursive, false);
    return;
  }
  if (before != nullptr && !allocated_here(*before)) return;  // never ours here
  add_entry(cid, Op::unpin, pin::Mode::recursive, TrackerStatus::unpin_queued, false, before != nullptr);
}

void Tracker::replace_all() {
  std::lock_guard lock(mu_);
  verified_ = false;
  request_reconcile();
}

std::size_t Tracker::recover(std::optional<cid::Cid> cid) {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  if (cid) {
    if (auto it = entries_.find(*cid); it != entries_.end() && is_error(it->second.status)) {
      requeue_error(it->first, it->second);
      ++n;
    }
    if (ipfs_down_ || !verified_) request_reconcile();
    return n;
  }
  for (auto& [c, e] : entries_) {
    if (is_error(e.status)) {
      requeue_error(c, e);
      ++n;
    }
  }
  request_reconcile();
  return n;
}

std::size_t Tracker::recover(const pin::Pin& pin) {
  {
    std::lock_guard lock(mu_);
    if (entries_.count(pin.cid) == 0) {
      if (!allocated_here(pin)) return 0;
      touch(pin.cid);
      // Its derived status said pinned (or will once verified): it is counted.
      return add_entry(pin.cid, Op::pin, pin.mode, TrackerStatus::pin_queued, false, true) != nullptr ? 1 : 0;
    }
  }
  return recover(std::optional<cid::Cid>(pin.cid));
}

void Tracker::sync_now() {
  std::lock_guard lock(mu_);
  request_reconcile();
}

void Tracker::tick() {
  bool run;
  {
    std::lock_guard lock(mu_);
    util::Nanos now = clock_.monotonic();
    // Entries that only say pinned (kept while unverified) go at the next reconcile: not work.
    std::size_t busy = entries_.size() - status_counts_[static_cast<std::size_t>(TrackerStatus::pinned)];
    if (reconcile_when_room_ && busy <= options_.entries_max / 2) {
      reconcile_when_room_ = false;
      request_reconcile();
    }
    if ((backlog_ || now >= next_due_) && queues_have_room()) refill(now);
    run = pinset_ && !reconciling_ && (reconcile_requested_ || now >= next_reconcile_at_);
  }
  if (run) (void)reconcile();  // the outcome is in stats()
}

void Tracker::scheduler_loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    sched_cv_.wait_for(lock, options_.tick_interval,
                       [&] { return stopping_ || (reconcile_requested_ && !reconciling_); });
    if (stopping_) break;
    lock.unlock();
    tick();
    lock.lock();
  }
}

// --- entries ---

Entry* Tracker::add_entry(const cid::Cid& cid, Op op, pin::Mode mode, TrackerStatus status, bool bulk,
                          bool counted) {
  if (entries_.size() >= options_.entries_max) {
    // Not recorded: statuses say pin_queued for unconfirmed pins until a reconcile catches up.
    overflow_ = true;
    verified_ = false;
    reconcile_when_room_ = true;
    return nullptr;
  }
  auto [it, inserted] = entries_.try_emplace(cid);
  CL_ASSERT(inserted, "add_entry for a CID that has an entry");
  Entry& e = it->second;
  e.op = op;
  e.mode = mode;
  e.bulk = bulk;
  e.counted = counted;
  e.seen_epoch = epoch_;
  e.status = status;
  e.timestamp_ms = clock_.wall().count();
  ++status_counts_[static_cast<std::size_t>(status)];
  enqueue(cid, e);
  return &e;
}

void Tracker::erase_entry(EntryMap::iterator it) {
  CL_ASSERT(!it->second.in_flight, "erasing the entry of a running operation");
  --status_counts_[static_cast<std::size_t>(it->second.status)];
  entries_.erase(it);
}

void Tracker::set_status(Entry& e, TrackerStatus status) {
  --status_counts_[static_cast<std::size_t>(e.status)];
  ++status_counts_[static_cast<std::size_t>(status)];
  e.status = status;
  e.timestamp_ms = clock_.wall().count();
}

void Tracker::want(const cid::Cid& cid, Entry& e, Op op, pin::Mode mode, bool bulk) {
  e.op = op;
  e.mode = mode;
  e.bulk = bulk;
  ++e.generation;
  e.attempts = 0;
  e.error.clear();
  e.retry_at = util::Nanos{0};
  set_status(e, op == Op::pin ? TrackerStatus::pin_queued : TrackerStatus::unpin_queued);
  if (e.in_flight) {
    // The worker queues it again when its call returns (finish sees the new generation).
    if (e.cancel != nullptr) e.cancel->cancel();
    return;
  }
  if (!e.queued) enqueue(cid, e);
}

void Tracker::requeue_error(const cid::Cid& cid, Entry& e) {
  if (e.in_flight) return;
  e.attempts = 0;
  e.error.clear();
  e.retry_at = util::Nanos{0};
  e.bulk = false;
  set_status(e, e.op == Op::pin ? TrackerStatus::pin_queued : TrackerStatus::unpin_queued);
  if (!e.queued) enqueue(cid, e);
}

void Tracker::touch(const cid::Cid& cid) {
  if (!reconciling_) return;
  if (touched_.size() >= options_.reconcile_touched_max) {
    touched_overflow_ = true;
    return;
  }
  touched_.insert(detail::fingerprint(cid, touch_seed_));
}

void Tracker::note_ipfs(const util::Status& st, bool from_reconcile) {
  if (st.is_ok()) {
    if (!ipfs_down_) return;
    ipfs_down_ = false;
    ipfs_error_.clear();
    // It may have come back with fewer pins (a new repo): check before saying pinned again.
    if (!from_reconcile) request_reconcile();
    return;
  }
  if (st.code() != util::Code::unavailable) return;
  if (!ipfs_down_) {
    ipfs_down_ = true;
    ipfs_down_since_ms_ = clock_.wall().count();
    verified_ = false;
  }
  ipfs_error_ = st.message();
}

void Tracker::request_reconcile() {
  if (!pinset_) return;
  reconcile_requested_ = true;
  sched_cv_.notify_one();
}

}  // namespace cl::cluster
