#pragma once
// The pin tracker's vocabulary (tracker.hpp): statuses with IPFS Cluster's names, the status of one
// CID on this peer (PinInfo), and the tracker's options with their valid ranges.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cid/cid.hpp"
#include "util/duration.hpp"
#include "util/result.hpp"

namespace cl::cluster {

// What the tracker says about one CID on this peer. The names (tracker_status_name) are IPFS
// Cluster's, as cl-status prints them.
enum class TrackerStatus : std::uint8_t {
  pin_queued,             // to be pinned: waiting for a worker (or not yet checked against IPFS)
  pinning,                // pin/add running
  pinned,                 // IPFS holds the pin
  pin_error,              // the last pin/add failed; retried with backoff until attempts_max
  unpin_queued,           // to be unpinned: waiting for a worker
  unpinning,              // pin/rm running
  unpinned,               // not in the pinset and not pinned by this peer
  unpin_error,            // the last pin/rm failed; retried with backoff until attempts_max
  remote,                 // in the pinset, allocated to other peers
  unexpectedly_unpinned,  // allocated here, confirmed once, then found missing from IPFS: re-pinned
  cluster_error,          // the tracker cannot tell (reserved for the daemon: peer unreachable)
};
inline constexpr std::size_t kTrackerStatusCount = 11;

std::string_view tracker_status_name(TrackerStatus status);
// Inverse of tracker_status_name; invalid_argument naming the text and listing the valid names.
util::Result<TrackerStatus> parse_tracker_status(std::string_view text);
// pin_error, unpin_error, unexpectedly_unpinned, cluster_error: what `recover` acts on and
// `cl-status --filter error` shows.
bool is_error(TrackerStatus status);

// The status of one CID on one peer, as IPFS Cluster's PinInfo (to_json in tracker_json.hpp).
struct PinInfo {
  cid::Cid cid;
  std::string peer;  // the peer ID of the tracker that reports it
  TrackerStatus status = TrackerStatus::unpinned;
  std::chrono::milliseconds timestamp{0};  // wall clock (Unix ms) when this status began or was confirmed
  std::string error;                       // why, for the error statuses; "" otherwise
  int attempt_count = 0;                   // IPFS calls made for the current operation
  friend bool operator==(const PinInfo&, const PinInfo&) = default;
};

struct TrackerOptions {
  // Workers running blocking IPFS calls (pin/add, pin/rm) at the same time. [1, 1024]
  int concurrent_pins = 10;
  // A pin/add whose progress stalls this long ends in pin_error (the connector's stall timeout).
  // > 0. A daemon that reports no progress (js-ipfs) must finish the whole pin within it.
  util::Millis pin_timeout{std::chrono::minutes(2)};
  // How often the tracker compares IPFS's pins with the pinset (also at start, on sync_now, after
  // replace_all and when IPFS comes back). >= 1 s.
  util::Millis state_sync_interval{std::chrono::minutes(10)};
  // Retry delay after the n-th failed attempt: min * 2^(n-1), at most max, then jittered to a
  // uniform value in [delay/2, delay]. 0 < min <= max.
  util::Millis retry_backoff_min{std::chrono::seconds(1)};
  util::Millis retry_backoff_max{std::chrono::minutes(5)};
  // After this many failed attempts an operation stays in pin_error/unpin_error until recover.
  // [1, 1000]
  int attempts_max = 10;
  // Operations that have failed fewer times than this go to the priority queue, others to the
  // normal one. New pins and unpins start at 0 attempts; repairs found by a reconcile always go
  // to the normal queue so that a repair storm cannot delay new pins. [1, 1000]
  int priority_attempts_max = 3;
  // Capacity of each of the two work queues (CIDs waiting for a worker). An operation that finds
  // its queue full stays recorded in its *_queued status and is queued as soon as there is room.
  // [1, 10'000'000]
  std::size_t queue_max = 10'000;
  // Pins in a non-steady state the tracker remembers (queued, in progress, errors). Beyond this,
  // new work is not recorded: the tracker reports every pin it has not confirmed as pin_queued
  // and catches up through reconciles as room frees. [queue_max, 100'000'000]
  std::size_t entries_max = 1'000'000;
  // IPFS pins one reconcile may hold (8 bytes each, for the length of the reconcile); a node with
  // more pins fails the reconcile with resource_exhausted. [1, 1'000'000'000]
  std::size_t reconcile_ipfs_pins_max = 100'000'000;
  // Pins changed (track/untrack/completed) during one reconcile it remembers to leave alone;
  // beyond this the reconcile acts on nothing more and another one follows. [1, 100'000'000]
  std::size_t reconcile_touched_max = 1'000'000;
  // Real-time period of the scheduler thread: retries that became due and refills of the queues
  // are noticed within it. [1 ms, 1 min]
  util::Millis tick_interval{std::chrono::milliseconds(200)};
  // false: start() runs no scheduler thread and the caller calls tick() (deterministic tests).
  bool scheduler_thread = true;
  // false: start() runs no workers and the caller runs queued operations with run_queued()
  // (deterministic tests, the simulator). concurrent_pins is then unused.
  bool worker_threads = true;
  // Seeds the retry jitter and the reconcile's fingerprints.
  std::uint64_t seed = 1;

  // Ok, or invalid_argument naming the field and the value that is out of range.
  util::Status validate() const;
};

}  // namespace cl::cluster
