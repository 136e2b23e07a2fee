// The tracker's two work queues and its workers: which queue an operation goes to, what happens
// when a queue is full, the IPFS call, and what its outcome does to the entry (retries with
// backoff and jitter, attempts_max, re-dispatch after a change of mind).
//
// Queue bound: each deque holds at most queue_max CIDs. An operation whose queue is full keeps
// its entry (pin_queued, unpin_queued, unexpectedly_unpinned, or an error due for retry) with
// queued == false; refill() moves such entries into the queues when there is room (on every
// tick, and at once when a worker finds both queues empty). So a full queue delays work but
// never loses it. Entries themselves are bounded by entries_max (tracker.cpp, add_entry).
#include <algorithm>

#include "cluster/tracker.hpp"

namespace cl::cluster {

using detail::Entry;
using detail::Op;

namespace {

// IPFS refuses to pin directly what it pins recursively; the recursive pin holds the block, so
// the direct pin is satisfied. js-ipfs (400) and Kubo both say "already pinned recursively".
bool already_pinned_recursively(const util::Status& st) {
  return st.message().find("already pinned recursively") != std::string::npos;
}

}  // namespace

bool Tracker::queues_have_room() const {
  return priority_.size() < options_.queue_max || normal_.size() < options_.queue_max;
}

void Tracker::enqueue(const cid::Cid& cid, Entry& e) {
  CL_ASSERT(!e.queued && !e.in_flight, "enqueue of a queued or running operation");
  bool priority = !e.bulk && e.attempts < options_.priority_attempts_max;
  auto& q = priority ? priority_ : normal_;
  if (q.size() >= options_.queue_max) {
    backlog_ = true;  // refill() queues it when there is room
    return;
  }
  q.push_back(cid);
  e.queued = true;
  work_cv_.notify_one();
}

void Tracker::refill(util::Nanos now) {
  backlog_ = false;
  next_due_ = detail::kNever;
  for (auto& [cid, e] : entries_) {
    if (e.queued || e.in_flight || e.status == TrackerStatus::pinned || e.retry_at == detail::kNever)
      continue;
    if (e.retry_at > now) {
      next_due_ = std::min(next_due_, e.retry_at);
      continue;
    }
    if (!queues_have_room()) {
      backlog_ = true;  // look again when a worker has made room
      return;
    }
    if (is_error(e.status) && e.status != TrackerStatus::unexpectedly_unpinned) {
      // A retry: leaves pin_error for the queue.
      set_status(e, e.op == Op::pin ? TrackerStatus::pin_queued : TrackerStatus::unpin_queued);
    }
    enqueue(cid, e);  // sets backlog_ again if its own queue is full
  }
}

util::Nanos Tracker::backoff(int attempts) {
  std::int64_t ms = options_.retry_backoff_min.count();
  const std::int64_t max_ms = options_.retry_backoff_max.count();
  for (int i = 1; i < attempts && ms < max_ms; ++i) ms *= 2;
  ms = std::min(ms, max_ms);
  // Uniform in [ms/2, ms]: retries of pins that failed together spread out.
  std::int64_t jittered =
      ms / 2 + static_cast<std::int64_t>(rng_.below(static_cast<std::uint64_t>(ms - ms / 2) + 1));
  return std::chrono::milliseconds(jittered);
}

bool Tracker::take(Job& job, ipfs::CancelFlag& cancel) {
  while (!priority_.empty() || !normal_.empty()) {
    auto& q = !priority_.empty() ? priority_ : normal_;
    job.cid = std::move(q.front());
    q.pop_front();
    if (priority_.empty() && normal_.empty() && backlog_) refill(clock_.monotonic());
    auto it = entries_.find(job.cid);
    if (it == entries_.end() || !it->second.queued) continue;  // stale: erased or re-queued since
    Entry& e = it->second;
    e.queued = false;
    e.in_flight = true;
    ++in_flight_;
    ++e.attempts;
    set_status(e, e.op == Op::pin ? TrackerStatus::pinning : TrackerStatus::unpinning);
    job.op = e.op;
    job.mode = e.mode;
    job.generation = e.generation;
    e.cancel = &cancel;  // stop() and want() cancel through it while mu_ is held
    return true;
  }
  return false;
}

void Tracker::worker_loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [&] { return stopping_ || !priority_.empty() || !normal_.empty(); });
    if (stopping_) return;
    Job job;
    ipfs::CancelFlag cancel;
    if (!take(job, cancel)) continue;
    lock.unlock();
    util::Status st = run_op(job.cid, job.op, job.mode, cancel);
    lock.lock();
    finish(job.cid, job.generation, job.op, st);
  }
}

std::size_t Tracker::run_queued(std::size_t ops_max) {
  std::unique_lock lock(mu_);
  std::size_t n = 0;
  while (n < ops_max && !stopping_) {
    Job job;
    ipfs::CancelFlag cancel;
    if (!take(job, cancel)) break;
    lock.unlock();
    util::Status st = run_op(job.cid, job.op, job.mode, cancel);
    lock.lock();
    finish(job.cid, job.generation, job.op, st);
    ++n;
  }
  return n;
}

util::Status Tracker::run_op(const cid::Cid& cid, Op op, pin::Mode mode, ipfs::CancelFlag& cancel) {
  if (op == Op::unpin) return ipfs_.pin_rm(cid, &cancel);
  ipfs::PinAddOptions o;
  o.type = mode == pin::Mode::direct ? ipfs::PinType::direct : ipfs::PinType::recursive;
  o.stall_timeout = options_.pin_timeout;
  o.cancel = &cancel;
  util::Status st = ipfs_.pin_add(cid, o);
  if (!st.is_ok() && mode == pin::Mode::direct && already_pinned_recursively(st)) return util::Status::ok();
  return st;
}

void Tracker::finish(const cid::Cid& cid, std::uint32_t generation, Op op, const util::Status& st) {
  auto it = entries_.find(cid);
  CL_ASSERT(it != entries_.end(), "the entry of a running operation disappeared");
  Entry& e = it->second;
  e.in_flight = false;
  e.cancel = nullptr;
  --in_flight_;
  touch(cid);
  note_ipfs(st, false);

  if (e.generation != generation) {
    // Wanted something else meanwhile (want() set its status): run that now.
    enqueue(cid, e);
    return;
  }
  if (st.is_ok()) {
    if (op == Op::pin) {
      ++stats_.pins_done;
      if (!e.counted) ++pinned_delta_;
      e.counted = true;
    } else {
      ++stats_.unpins_done;
      if (e.counted) --pinned_delta_;
      e.counted = false;
    }
    if (op == Op::pin && !verified_) {
      // Derived statuses say pin_queued until the next reconcile: keep saying pinned for this one.
      e.attempts = 0;
      e.error.clear();
      set_status(e, TrackerStatus::pinned);
      return;
    }
    erase_entry(it);  // steady: pinned (allocated here), remote or unpinned, derived from now on
    return;
  }
  if (stopping_ && st.code() == util::Code::cancelled) {
    // Cut short by stop(): not an attempt. Back in its queue for the next start().
    --e.attempts;
    set_status(e, op == Op::pin ? TrackerStatus::pin_queued : TrackerStatus::unpin_queued);
    enqueue(cid, e);
    return;
  }
  ++stats_.failures;
  e.error = st.message();
  set_status(e, op == Op::pin ? TrackerStatus::pin_error : TrackerStatus::unpin_error);
  // invalid_argument: the daemon rejected the request itself; the same request fails again.
  bool retryable = st.code() != util::Code::invalid_argument;
  if (retryable && e.attempts < options_.attempts_max) {
    e.retry_at = clock_.monotonic() + backoff(e.attempts);
    next_due_ = std::min(next_due_, e.retry_at);
  } else {
    e.retry_at = detail::kNever;
  }
}

}  // namespace cl::cluster
