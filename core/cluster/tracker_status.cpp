// The tracker's status queries: a CID's status (its entry's, or derived from the pin), the list of
// problems for `cl-status --filter error`, and the pinqueue / numpin counters.
#include <algorithm>

#include "cluster/tracker.hpp"

namespace cl::cluster {

using detail::Entry;

namespace {

// for_each_problem copies this many entries per lock, so a long walk never blocks the workers
// for long and never copies the whole table.
constexpr std::size_t kProblemBatch = 256;

}  // namespace

PinInfo Tracker::info_of(const cid::Cid& cid, const Entry& e) const {
  PinInfo out;
  out.cid = cid;
  out.peer = self_;
  out.status = e.status;
  out.timestamp = std::chrono::milliseconds(e.timestamp_ms);
  out.error = e.error;
  out.attempt_count = e.attempts;
  return out;
}

PinInfo Tracker::status(const pin::Pin& pin) const {
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(pin.cid); it != entries_.end()) {
    // A pinned entry (kept while unverified) says no more than a steady pin: IPFS down wins.
    if (!(it->second.status == TrackerStatus::pinned && ipfs_down_)) return info_of(it->first, it->second);
  }
  PinInfo out;
  out.cid = pin.cid;
  out.peer = self_;
  if (!allocated_here(pin)) {
    out.status = TrackerStatus::remote;
    out.timestamp = std::chrono::milliseconds(pin.timestamp_ms);
  } else if (ipfs_down_) {
    out.status = TrackerStatus::pin_error;
    out.timestamp = std::chrono::milliseconds(ipfs_down_since_ms_);
    out.error = "ipfs unreachable: " + ipfs_error_;
  } else if (!verified_) {
    out.status = TrackerStatus::pin_queued;  // not yet seen in IPFS by a reconcile
    out.timestamp = std::chrono::milliseconds(pin.timestamp_ms);
  } else {
    out.status = TrackerStatus::pinned;
    out.timestamp = std::chrono::milliseconds(std::max(pin.timestamp_ms, verified_at_ms_));
  }
  return out;
}

PinInfo Tracker::status(const cid::Cid& cid) const {
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(cid); it != entries_.end()) return info_of(it->first, it->second);
  PinInfo out;
  out.cid = cid;
  out.peer = self_;
  out.status = TrackerStatus::unpinned;
  out.timestamp = clock_.wall();
  return out;
}

void Tracker::for_each_problem(const std::function<void(const PinInfo&)>& fn) const {
  std::vector<PinInfo> batch;
  batch.reserve(kProblemBatch);
  std::optional<cid::Cid> after;  // the last entry looked at
  bool done = false;
  while (!done) {
    batch.clear();
    {
      std::lock_guard lock(mu_);
      auto it = after ? entries_.upper_bound(*after) : entries_.begin();
      std::size_t looked = 0;
      for (; it != entries_.end() && looked < kProblemBatch; ++it, ++looked) {
        if (it->second.status != TrackerStatus::pinned) batch.push_back(info_of(it->first, it->second));
      }
      done = it == entries_.end();
      if (looked > 0) after = std::prev(it)->first;
    }
    for (const auto& info : batch) fn(info);
  }
}

std::size_t Tracker::queue_length() const {
  std::lock_guard lock(mu_);
  auto n = [&](TrackerStatus s) { return status_counts_[static_cast<std::size_t>(s)]; };
  return n(TrackerStatus::pin_queued) + n(TrackerStatus::pinning) + n(TrackerStatus::unpin_queued) +
         n(TrackerStatus::unpinning) + n(TrackerStatus::unexpectedly_unpinned);
}

std::size_t Tracker::pinned_count() const {
  std::lock_guard lock(mu_);
  std::int64_t n = static_cast<std::int64_t>(confirmed_) + (pinned_delta_ - delta_at_listing_);
  return n < 0 ? 0 : static_cast<std::size_t>(n);
}

TrackerStats Tracker::stats() const {
  std::lock_guard lock(mu_);
  TrackerStats s = stats_;
  s.entries = entries_.size();
  s.by_status = status_counts_;
  s.priority_queued = priority_.size();
  s.normal_queued = normal_.size();
  s.in_flight = in_flight_;
  s.verified = verified_;
  s.ipfs_reachable = !ipfs_down_;
  s.ipfs_error = ipfs_error_;
  return s;
}

}  // namespace cl::cluster
