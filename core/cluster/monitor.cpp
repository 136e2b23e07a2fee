#include "cluster/monitor.hpp"

#include <algorithm>

#include "cluster/allocator.hpp"
#include "util/assert.hpp"

namespace cl::cluster {

namespace {

std::string seconds_text(util::Millis d) {
  return std::to_string(d.count() / 1000) + "s";
}

}  // namespace

const char* alert_kind_name(AlertKind kind) {
  switch (kind) {
    case AlertKind::down:
      return "down";
    case AlertKind::metrics_expired:
      return "metrics_expired";
    case AlertKind::over_quota:
      return "over_quota";
    case AlertKind::low_space:
      return "low_space";
  }
  CL_UNREACHABLE("bad AlertKind");
}

bool report_is_down(const PeerReport& report) {
  if (report.self) return false;
  return report.contact_lost || !report.metrics || report.metrics_expired;
}

void Monitor::observe(util::Nanos now, std::int64_t wall_ms, const PeerReports& reports) {
  now_ = now;
  reports_ = reports;
  std::map<std::pair<std::string, AlertKind>, std::string> raised;  // alerts true now: message
  for (const auto& [id, r] : reports_) {
    if (report_is_down(r)) {
      auto [it, fresh] = down_since_.emplace(id, now);
      const auto down = std::chrono::duration_cast<util::Millis>(now - it->second);
      std::string fate = repin_delay_.count() == 0 ? "repinning is off (repin_delay 0)"
                         : is_dead(id)             ? "its pins below rmin were moved"
                                       : "its pins move after repin_delay " + seconds_text(repin_delay_);
      if (r.contact_lost) {
        raised[{id, AlertKind::down}] = "no contact for " + seconds_text(down) + "; " + fate;
      } else {
        raised[{id, AlertKind::metrics_expired}] =
            std::string(r.metrics ? "metrics expired" : "no metrics received") + " " + seconds_text(down) +
            " ago; treated as down; " + fate;
      }
    } else {
      down_since_.erase(id);
    }
    if (!r.metrics || r.metrics_expired) continue;
    const PeerMetrics& m = *r.metrics;
    const std::uint64_t numpin = r.allocated.value_or(m.numpin);
    if (r.quotas.max_pins > 0 && numpin >= r.quotas.max_pins) {
      raised[{id, AlertKind::over_quota}] = std::string(r.allocated ? "allocated pins " : "numpin ") +
                                            std::to_string(numpin) + " reached max_pins " +
                                            std::to_string(r.quotas.max_pins) + ": no new allocations";
    }
    if (m.freespace_bytes && *m.freespace_bytes <= r.quotas.storage_reserve_bytes) {
      raised[{id, AlertKind::low_space}] = "freespace " + std::to_string(*m.freespace_bytes) +
                                           " bytes at or below storage_reserve " +
                                           std::to_string(r.quotas.storage_reserve_bytes) +
                                           ": no new allocations; free space on its IPFS repo";
    }
  }
  for (auto it = down_since_.begin(); it != down_since_.end();) {
    it = reports_.contains(it->first) ? std::next(it) : down_since_.erase(it);
  }
  std::map<std::pair<std::string, AlertKind>, Alert> next;
  for (auto& [key, message] : raised) {
    auto old = alerts_.find(key);
    Alert a{key.first, key.second, old != alerts_.end() ? old->second.since_ms : wall_ms, std::move(message)};
    next.emplace(key, std::move(a));
  }
  alerts_ = std::move(next);
}

void Monitor::reset() {
  now_ = util::Nanos{0};
  reports_.clear();
  down_since_.clear();
  alerts_.clear();
}

bool Monitor::is_dead(const std::string& peer_id) const {
  if (repin_delay_.count() == 0) return false;
  auto it = down_since_.find(peer_id);
  return it != down_since_.end() && now_ - it->second >= repin_delay_;
}

std::optional<util::Millis> Monitor::down_for(const std::string& peer_id) const {
  auto it = down_since_.find(peer_id);
  if (it == down_since_.end()) return std::nullopt;
  return std::chrono::duration_cast<util::Millis>(now_ - it->second);
}

PeerTable Monitor::table() const {
  PeerTable table;
  for (const auto& [id, r] : reports_) {
    PeerState ps;
    ps.quotas = r.quotas;
    if (!report_is_down(r)) {
      ps.metrics = r.metrics ? *r.metrics : PeerMetrics{};
    } else if (is_dead(id)) {
      ps.is_down = true;
    } else {
      ps.in_grace = true;
      ps.metrics = r.metrics ? *r.metrics : PeerMetrics{};
    }
    if (ps.metrics && r.allocated) ps.metrics->numpin = *r.allocated;
    table.emplace(id, std::move(ps));
  }
  return table;
}

std::set<std::string> Monitor::dead() const {
  std::set<std::string> out;
  for (const auto& [id, since] : down_since_) {
    if (is_dead(id)) out.insert(id);
  }
  return out;
}

std::vector<Alert> Monitor::alerts() const {
  std::vector<Alert> out;
  out.reserve(alerts_.size());
  for (const auto& [key, a] : alerts_) out.push_back(a);
  return out;
}

void Monitor::record_repin(const std::string& peer_id, std::size_t moved, std::int64_t at_ms) {
  repins_.push_back({peer_id, moved, at_ms});
  while (repins_.size() > kRepinRecordsMax) repins_.pop_front();
  while (!repins_.empty() && repins_.front().at_ms < at_ms - kRepinRecordsKeptMs) repins_.pop_front();
}

std::vector<RepinRecord> Monitor::repins(std::int64_t now_wall_ms) const {
  std::vector<RepinRecord> out;
  for (const auto& r : repins_) {
    if (r.at_ms >= now_wall_ms - kRepinRecordsKeptMs) out.push_back(r);
  }
  return out;
}

}  // namespace cl::cluster
