#include "cluster/tracker_types.hpp"

#include <array>

namespace cl::cluster {

namespace {

constexpr std::array<std::string_view, kTrackerStatusCount> kNames = {
    "pin_queued",    "pinning",  "pinned",      "pin_error", "unpin_queued",
    "unpinning",     "unpinned", "unpin_error", "remote",    "unexpectedly_unpinned",
    "cluster_error",
};

util::Status out_of_range(std::string_view field, const std::string& value, std::string_view range) {
  return util::invalid_argument("invalid tracker option " + std::string(field) + " " + util::quote(value) +
                                ": must be " + std::string(range));
}

std::string millis(util::Millis d) {
  return util::format_duration(d);
}

}  // namespace

std::string_view tracker_status_name(TrackerStatus status) {
  auto i = static_cast<std::size_t>(status);
  if (i >= kNames.size()) return "unknown";
  return kNames[i];
}

util::Result<TrackerStatus> parse_tracker_status(std::string_view text) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == text) return static_cast<TrackerStatus>(i);
  }
  std::string valid;
  for (auto name : kNames) {
    if (!valid.empty()) valid += ", ";
    valid += name;
  }
  return util::invalid_argument("invalid status " + util::quote(text) + ": use one of " + valid);
}

bool is_error(TrackerStatus status) {
  return status == TrackerStatus::pin_error || status == TrackerStatus::unpin_error ||
         status == TrackerStatus::unexpectedly_unpinned || status == TrackerStatus::cluster_error;
}

util::Status TrackerOptions::validate() const {
  using std::chrono::milliseconds;
  if (concurrent_pins < 1 || concurrent_pins > 1024)
    return out_of_range("concurrent_pins", std::to_string(concurrent_pins), "in [1, 1024]");
  if (pin_timeout.count() <= 0) return out_of_range("pin_timeout", millis(pin_timeout), "positive");
  if (state_sync_interval < std::chrono::seconds(1))
    return out_of_range("state_sync_interval", millis(state_sync_interval), "at least 1s");
  if (retry_backoff_min.count() <= 0)
    return out_of_range("retry_backoff_min", millis(retry_backoff_min), "positive");
  if (retry_backoff_max < retry_backoff_min)
    return out_of_range("retry_backoff_max", millis(retry_backoff_max), "at least retry_backoff_min");
  if (attempts_max < 1 || attempts_max > 1000)
    return out_of_range("attempts_max", std::to_string(attempts_max), "in [1, 1000]");
  if (priority_attempts_max < 1 || priority_attempts_max > 1000)
    return out_of_range("priority_attempts_max", std::to_string(priority_attempts_max), "in [1, 1000]");
  if (queue_max < 1 || queue_max > 10'000'000)
    return out_of_range("queue_max", std::to_string(queue_max), "in [1, 10000000]");
  if (entries_max < queue_max || entries_max > 100'000'000)
    return out_of_range("entries_max", std::to_string(entries_max), "in [queue_max, 100000000]");
  if (reconcile_ipfs_pins_max < 1 || reconcile_ipfs_pins_max > 1'000'000'000)
    return out_of_range("reconcile_ipfs_pins_max", std::to_string(reconcile_ipfs_pins_max),
                        "in [1, 1000000000]");
  if (reconcile_touched_max < 1 || reconcile_touched_max > 100'000'000)
    return out_of_range("reconcile_touched_max", std::to_string(reconcile_touched_max), "in [1, 100000000]");
  if (tick_interval < milliseconds(1) || tick_interval > std::chrono::minutes(1))
    return out_of_range("tick_interval", millis(tick_interval), "in [1ms, 1m]");
  return util::Status::ok();
}

}  // namespace cl::cluster
