#pragma once
// The leader's monitor: from what the leader knows of each peer (Raft contact, the metrics each peer
// pushes with a TTL), it judges liveness, remembers since when a peer is down, builds the
// PeerTable the allocator and the repin planner use, and lists alerts. Pure and deterministic:
// time comes in as arguments, containers are ordered.
//
// Liveness: a peer is down when the leader lost contact with it or its metrics expired (or never
// came). This peer (the leader itself) is never down. A down peer is, in the PeerTable:
//   - in_grace while it has been down for less than repin_delay, or always when repinning is off
//     (repin_delay 0): it keeps its allocations, gets no new ones;
//   - is_down ("dead") once it has been down for repin_delay: its allocations stop counting and the
//     repin loop moves pins that fall below rmin.
// The down time counts from the first observation that found the peer down, at this leader: a new
// leader waits a full repin_delay again (it cannot know for how long the peer was gone).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cluster/metrics.hpp"
#include "util/clock.hpp"
#include "util/duration.hpp"

namespace cl::cluster {

// What the leader knows of one peer at one moment.
struct PeerReport {
  bool self = false;                   // the leader itself: never down
  bool contact_lost = false;           // no Raft contact within the contact timeout
  std::optional<PeerMetrics> metrics;  // the last metrics received; nullopt: none ever
  PeerQuotas quotas;                   // from the same push as metrics
  bool metrics_expired = false;        // their TTL passed (a peer without metrics counts as expired)
  // Pins the pinset allocates to the peer (AllocationCounts), when known: then the table's
  // numpin, and what over_quota compares with max_pins, instead of the peer's reported numpin
  // (which counts what its IPFS pinned and is a metrics_interval old).
  std::optional<std::uint64_t> allocated;
  friend bool operator==(const PeerReport&, const PeerReport&) = default;
};
using PeerReports = std::map<std::string, PeerReport>;  // by peer ID

enum class AlertKind : std::uint8_t { down, metrics_expired, over_quota, low_space };
const char* alert_kind_name(AlertKind kind);  // "down", "metrics_expired", "over_quota", "low_space"

struct Alert {
  std::string peer_id;
  AlertKind kind = AlertKind::down;
  std::int64_t since_ms = 0;  // wall time of the first observation that raised it
  std::string message;
  friend bool operator==(const Alert&, const Alert&) = default;
};

// One repin pass's result for one dead peer: how many pins were taken off it.
struct RepinRecord {
  std::string peer_id;
  std::size_t moved = 0;
  std::int64_t at_ms = 0;  // wall time
  friend bool operator==(const RepinRecord&, const RepinRecord&) = default;
};

inline constexpr std::size_t kRepinRecordsMax = 256;            // kept, newest last
inline constexpr std::int64_t kRepinRecordsKeptMs = 3'600'000;  // records older than an hour are dropped

class Monitor {
 public:
  // repin_delay: how long a peer stays in grace; 0: forever (repinning off).
  explicit Monitor(util::Millis repin_delay) : repin_delay_(repin_delay) {}

  // Records the leader's view at monotonic `now` and wall `wall_ms`. Peers missing from `reports`
  // (removed from the cluster) are forgotten with their alerts.
  void observe(util::Nanos now, std::int64_t wall_ms, const PeerReports& reports);
  // Forgets every observation and down time (this peer stopped leading). Repin records stay.
  void reset();

  // The allocator's table from the last observation (see the header comment).
  PeerTable table() const;
  // Peers down for at least repin_delay at the last observation; empty when repinning is off.
  std::set<std::string> dead() const;
  // How long `peer_id` has been down at the last observation; nullopt when it is up or unknown.
  std::optional<util::Millis> down_for(const std::string& peer_id) const;
  // Current alerts, by peer ID then kind.
  std::vector<Alert> alerts() const;

  // Remembers that a repin pass moved `moved` pins away from dead peer `peer_id` (bounded, see
  // kRepinRecordsMax / kRepinRecordsKeptMs).
  void record_repin(const std::string& peer_id, std::size_t moved, std::int64_t at_ms);
  // Records from the last hour before `now_wall_ms`, oldest first.
  std::vector<RepinRecord> repins(std::int64_t now_wall_ms) const;

  const PeerReports& reports() const { return reports_; }
  util::Millis repin_delay() const { return repin_delay_; }

 private:
  bool is_dead(const std::string& peer_id) const;

  util::Millis repin_delay_;
  util::Nanos now_{0};
  PeerReports reports_;
  std::map<std::string, util::Nanos> down_since_;  // peers down now: since when (monotonic)
  std::map<std::pair<std::string, AlertKind>, Alert> alerts_;
  std::deque<RepinRecord> repins_;
};

// Whether a peer's report is down (contact lost, metrics expired or missing; never self).
bool report_is_down(const PeerReport& report);

}  // namespace cl::cluster
