#pragma once
// Tracker: makes this peer's IPFS node pin what the pinset allocates here, unpin what it no
// longer does, and reports a status per CID (DESIGN.md "Following one pin", step 6).
//
// Input: the daemon tells the tracker about every committed change (track, untrack, replace_all)
// and gives it a way to read the whole pinset (set_pinset) for the periodic reconcile. Output:
// pin/add and pin/rm calls on the Connector, made by `concurrent_pins` worker threads, and the
// status API below. Nothing is persisted: after a restart the first reconcile finds out again.
//
// Statuses (tracker_types.hpp). A pin is "allocated here" when it is everywhere() (rmin == -1) or
// lists this peer in its allocations. Its status is the one of its entry if it has one (queued,
// in progress, failed, found missing); otherwise it is derived:
//   - not allocated here: remote;
//   - allocated here: pinned, except pin_error while IPFS is unreachable (the last call was
//     refused) and pin_queued while the tracker has not verified the pinset against IPFS (before
//     the first reconcile after start, replace_all, IPFS coming back, or work dropped at
//     entries_max) — the tracker never says pinned about a pin it has not seen pinned.
// A CID not in the pinset: its entry's status if any (unpinning...), else unpinned.
//
// Memory: steady pins (pinned, remote, unpinned) cost nothing — no entry, no fingerprint. Only
// pins with work or trouble have an entry (~250-350 bytes, at most entries_max). A reconcile holds 8
// bytes per IPFS pin while it runs (up to 16 while its vectors grow). The work queues hold at most queue_max
// CIDs each.
//
// Ownership rule: a CID in the pinset belongs to the cluster on this node. When it leaves this
// peer's allocations or the pinset, the tracker unpins it from IPFS, whoever pinned it first
// (as IPFS Cluster does). IPFS pins of CIDs that are not in the pinset are never touched by a
// reconcile: the node may hold pins of its own. Consequence: a CID that left the pinset while
// the tracker was not told (daemon down, replace_all without untrack calls) stays pinned in IPFS.
//
// Pin modes: a recursive pin is satisfied only by a recursive IPFS pin; a direct pin by a direct
// or a recursive one (the recursive pin holds its block, and IPFS refuses to turn a recursive pin
// into a direct one: "already pinned recursively" is taken as success). The reconcile lists both
// types, so a direct pin is never reported lost because it is missing from the recursive list
// (IPFS Cluster's dropped-direct-pins bug). CIDs are compared as CIDv1 bytes, so the CIDv0 the user
// pinned matches the CIDv1 (base58btc) that js-ipfs lists.
//
// Threads: every public method is thread-safe. track/untrack/replace_all/status only take a
// mutex (no IPFS call, no I/O). The reconcile runs on the scheduler thread (or on the caller of
// reconcile()/tick()) and calls the pinset source there.
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "cluster/tracker_entry.hpp"
#include "cluster/tracker_types.hpp"
#include "ipfs/connector.hpp"
#include "pin/pin.hpp"
#include "util/clock.hpp"
#include "util/rng.hpp"

namespace cl::cluster {

// Visits every pin of the pinset, each once, in any order, and returns ok or why it could not.
// The state read must be at least as new as every track/untrack call made before the source was
// called (a store::ReadView opened when it is called is). It may run on any thread.
using PinVisitor = std::function<void(const pin::Pin&)>;
using PinsetSource = std::function<util::Status(const PinVisitor&)>;

struct TrackerStats {
  std::size_t entries = 0;
  std::array<std::size_t, kTrackerStatusCount> by_status{};  // entries per status
  std::size_t priority_queued = 0;                           // CIDs in the priority queue
  std::size_t normal_queued = 0;                             // CIDs in the normal queue
  std::size_t in_flight = 0;                                 // IPFS calls running
  bool verified = false;                                     // see "Statuses" above
  bool ipfs_reachable = true;
  std::string ipfs_error;  // the last refusal, while unreachable
  std::uint64_t pins_done = 0, unpins_done = 0, failures = 0;
  std::uint64_t reconciles = 0, reconcile_failures = 0;
  std::string last_reconcile_error;  // "" when the last one succeeded
  util::Millis last_reconcile_duration{0};
  std::size_t last_reconcile_ipfs_pins = 0;   // recursive + direct
  std::size_t last_reconcile_allocated = 0;   // pins of the pinset allocated here
  std::size_t last_reconcile_missing = 0;     // allocated here, not in IPFS: queued
  std::size_t last_reconcile_unpins = 0;      // not allocated here, in IPFS: unpin queued
  std::size_t last_reconcile_skipped = 0;     // changed while it ran: left to track/untrack
  std::size_t last_reconcile_peak_bytes = 0;  // fingerprints held
};

class Tracker {
 public:
  // ipfs and clock must outlive the tracker. self_peer_id is this peer's ID as allocations name
  // it. Options are checked by start().
  Tracker(ipfs::Connector& ipfs, util::Clock& clock, TrackerOptions options, std::string self_peer_id);
  ~Tracker();  // stop()
  Tracker(const Tracker&) = delete;
  Tracker& operator=(const Tracker&) = delete;

  // The pinset, for reconciles. Call before start(); without it no reconcile runs.
  void set_pinset(PinsetSource source);

  // Starts the workers and (scheduler_thread) the scheduler, and asks for a reconcile.
  // invalid_argument for bad options; failed_precondition when already running.
  util::Status start();
  // Stops: no new IPFS call starts, running ones are cancelled through their CancelFlag, threads
  // are joined. Takes as long as the connector needs to notice a cancel (HttpConnector: about a
  // second) or a running pin/ls to end (it has no cancel flag; the tracker stops reading it).
  // Operations cut short return to *_queued; start() again resumes them. Idempotent.
  void stop();

  // --- desired state: call after each committed change, in commit order ---
  // `pin` was added or changed. With `before`, the caller says what it was: its previous
  // version, or nullptr when the CID was not in the pinset. That only lets the tracker skip work
  // that cannot be needed: a pin allocated here before and after in the same mode is already
  // handled, and one not allocated here before (or new) and not now has nothing to unpin.
  // Without it (track(pin)), a pin not allocated here costs one pin/rm, in case it was ours.
  void track(const pin::Pin& pin);
  void track(const pin::Pin& pin, const pin::Pin* before);
  // `cid` left the pinset: it is unpinned, unless `before` (the removed version) shows it was not
  // allocated here.
  void untrack(const cid::Cid& cid);
  void untrack(const cid::Cid& cid, const pin::Pin& before);
  // The whole pinset was replaced: everything is checked by a reconcile, started now.
  void replace_all();

  // --- status ---
  PinInfo status(const pin::Pin& pin) const;  // a pin of the pinset
  PinInfo status(const cid::Cid& cid) const;  // a CID not in the pinset (unpinned unless busy)
  // Every entry that is not a steady pin (queued, in progress, errors), in CID byte order, one
  // copy at a time: fn runs without the tracker's lock and may call it. While IPFS is
  // unreachable the derived pin_error of steady pins is not listed (see stats().ipfs_reachable).
  void for_each_problem(const std::function<void(const PinInfo&)>& fn) const;
  // Operations queued or running (pinqueue metric).
  std::size_t queue_length() const;
  // Pins allocated here known to be pinned (numpin metric): counted by each reconcile, then moved
  // by the pins and unpins completed since. An estimate between reconciles: a CID tracked
  // without `before` that was already pinned counts twice until the next one.
  std::size_t pinned_count() const;
  TrackerStats stats() const;
  const std::string& peer_id() const { return self_; }
  bool allocated_here(const pin::Pin& pin) const;

  // --- repair ---
  // Queues again the operations in an error status (pin_error, unpin_error, unexpectedly_unpinned)
  // with their attempt count reset: the one of `cid`, or all of them; all also asks for a reconcile.
  // Returns how many were queued.
  std::size_t recover(std::optional<cid::Cid> cid = std::nullopt);
  // As recover(cid), and also queues a pin/add for a pin allocated here that has no entry (the
  // caller suspects it is not pinned).
  std::size_t recover(const pin::Pin& pin);
  // Asks for a reconcile as soon as possible (the scheduler thread runs it).
  void sync_now();

  // --- driving (the scheduler thread calls these; tests call them directly) ---
  // Compares IPFS's pins (recursive and direct, streamed) with the pinset and queues what
  // differs. Runs on the calling thread; failed_precondition if another one is running or no
  // pinset was given.
  util::Status reconcile();
  // One scheduler round: queues the retries that are due and what waits for room, and runs a
  // reconcile when one is due or asked for.
  void tick();
  // Runs up to ops_max queued operations on the calling thread, one after the other (priority
  // queue first), and returns how many ran. With worker_threads off, this is how operations run:
  // the whole tracker is then deterministic for a given seed and clock (tests, the simulator).
  std::size_t run_queued(std::size_t ops_max);

 private:
  struct ReconcileRun;
  struct Job {  // one operation taken from a queue
    cid::Cid cid;
    detail::Op op = detail::Op::pin;
    pin::Mode mode = pin::Mode::recursive;
    std::uint32_t generation = 0;
  };
  using EntryMap = std::map<cid::Cid, detail::Entry>;

  // All below: mu_ held unless said otherwise.
  detail::Entry* add_entry(const cid::Cid& cid, detail::Op op, pin::Mode mode, TrackerStatus status,
                           bool bulk, bool counted);
  void erase_entry(EntryMap::iterator it);
  void set_status(detail::Entry& e, TrackerStatus status);
  void want(const cid::Cid& cid, detail::Entry& e, detail::Op op, pin::Mode mode, bool bulk);
  void enqueue(const cid::Cid& cid, detail::Entry& e);
  void refill(util::Nanos now);
  void requeue_error(const cid::Cid& cid, detail::Entry& e);
  void touch(const cid::Cid& cid);
  void note_ipfs(const util::Status& st, bool from_reconcile);
  void request_reconcile();
  util::Nanos backoff(int attempts);
  PinInfo info_of(const cid::Cid& cid, const detail::Entry& e) const;
  bool queues_have_room() const;

  // Threads (take mu_ themselves).
  void worker_loop();
  bool take(Job& job, ipfs::CancelFlag& cancel);  // mu_ held: the next valid queued operation
  void scheduler_loop();
  util::Status run_op(const cid::Cid& cid, detail::Op op, pin::Mode mode, ipfs::CancelFlag& cancel);
  void finish(const cid::Cid& cid, std::uint32_t generation, detail::Op op, const util::Status& st);

  // Reconcile (tracker_reconcile.cpp).
  util::Status reconcile_run(ReconcileRun& run);  // no lock held
  util::Status list_ipfs(ReconcileRun& run);      // no lock held
  void track_change(const pin::Pin& pin, bool before_known, const pin::Pin* before);
  void untrack_change(const cid::Cid& cid, const pin::Pin* before);
  void visit_one(const pin::Pin& pin, ReconcileRun& run);
  void sweep(ReconcileRun& run);

  ipfs::Connector& ipfs_;
  util::Clock& clock_;
  const TrackerOptions options_;
  const std::string self_;
  PinsetSource pinset_;

  mutable std::mutex mu_;             // guards everything below
  std::condition_variable work_cv_;   // workers: work queued, or stopping
  std::condition_variable sched_cv_;  // scheduler: reconcile asked, or stopping
  EntryMap entries_;
  std::deque<cid::Cid> priority_, normal_;  // may hold stale CIDs (entry gone or not queued): skipped
  std::array<std::size_t, kTrackerStatusCount> status_counts_{};
  util::Rng rng_;
  std::vector<std::thread> workers_;
  std::thread scheduler_;
  bool running_ = false;
  std::atomic<bool> stopping_{false};  // also read without mu_ by a running reconcile
  std::size_t in_flight_ = 0;

  bool backlog_ = false;                   // some due entry waits for room in its queue
  util::Nanos next_due_ = detail::kNever;  // earliest retry_at among waiting entries
  bool verified_ = false;                  // see "Statuses"
  bool overflow_ = false;                  // work dropped at entries_max since the last reconcile began
  std::int64_t verified_at_ms_ = 0;        // wall time of the last complete reconcile
  bool ipfs_down_ = false;
  std::int64_t ipfs_down_since_ms_ = 0;
  std::string ipfs_error_;

  bool reconcile_requested_ = false;
  bool reconcile_when_room_ = false;  // reconcile again once entries fall to entries_max / 2
  bool reconciling_ = false;
  util::Nanos next_reconcile_at_{0};
  int reconcile_failures_in_row_ = 0;
  std::uint32_t epoch_ = 0;                    // of the running (or last) reconcile
  std::uint64_t touch_seed_ = 0;               // its fingerprint seed
  std::unordered_set<std::uint64_t> touched_;  // CIDs changed while it runs (fingerprints)
  bool touched_overflow_ = false;

  std::size_t confirmed_ = 0;          // allocated here and present, at the last reconcile
  std::int64_t pinned_delta_ = 0;      // pins done - unpins done, ever
  std::int64_t delta_at_listing_ = 0;  // pinned_delta_ when the last reconcile listed IPFS
  TrackerStats stats_;                 // counters and the last reconcile's numbers
};

}  // namespace cl::cluster
