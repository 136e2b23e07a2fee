// The key table: the one place where each configuration key is defined.
#include <algorithm>
#include <array>
#include <cctype>

#include "config/config.hpp"

namespace cl::config {

namespace {

constexpr std::int64_t kMs = 1, kSecond = 1000 * kMs, kMinute = 60 * kSecond, kHour = 60 * kMinute,
                       kDay = 24 * kHour;

using C = Config;

// Keep in documentation order: network, raft, logging, pinning, allocation, storage.
const std::array<KeySpec, 21> kKeys = {{
    {.name = "listen",
     .type = Type::string,
     .field = &C::listen,
     .default_json = R"("0.0.0.0:9096")",
     .doc = "Address (host:port) the peer transport listens on for other cl-raftd peers.",
     .format = Format::host_port},
    {.name = "advertise",
     .type = Type::string,
     .field = &C::advertise,
     .default_json = R"("")",
     .doc = "Address (host:port) other peers dial to reach this one. Empty: derived from listen at start-up "
            "(a wildcard host is replaced by this machine's address).",
     .format = Format::host_port_or_empty},
    {.name = "ipfs_api",
     .type = Type::string,
     .field = &C::ipfs_api,
     .default_json = R"("http://127.0.0.1:5001")",
     .doc = "Base URL of the local IPFS daemon's RPC API (Kubo: Addresses.API).",
     .format = Format::http_url},
    {.name = "profile",
     .type = Type::string,
     .field = &C::profile,
     .default_json = R"("lan")",
     .doc = "Network profile: lan, or wan for peers far apart (longer Raft timing defaults; keys set "
            "explicitly still win).",
     .choices = "lan|wan"},
    {.name = "election_timeout",
     .type = Type::duration,
     .field = &C::election_timeout,
     .default_json = R"("1s")",
     .doc = "Raft election timeout: a follower that hears no leader for this long (randomized up to twice "
            "as long) starts an election. At least 5 times heartbeat_interval.",
     .min = 10 * kMs,
     .max = 10 * kMinute,
     .wan_default = R"("5s")"},
    {.name = "heartbeat_interval",
     .type = Type::duration,
     .field = &C::heartbeat_interval,
     .default_json = R"("100ms")",
     .doc = "How often the Raft leader sends heartbeats.",
     .min = 1 * kMs,
     .max = 1 * kMinute,
     .wan_default = R"("500ms")"},
    {.name = "voters_max",
     .type = Type::integer,
     .field = &C::voters_max,
     .default_json = "5",
     .doc = "Most Raft voters; peers beyond this join as non-voting learners that replicate but do not vote.",
     .min = 1,
     .max = 15},
    {.name = "leave_on_shutdown",
     .type = Type::boolean,
     .field = &C::leave_on_shutdown,
     .default_json = "false",
     .doc = "On a clean shutdown, remove this peer from the cluster membership."},
    {.name = "snapshot_interval_entries",
     .type = Type::integer,
     .field = &C::snapshot_interval_entries,
     .default_json = "10000",
     .doc = "Raft log entries applied between two snapshots (after a snapshot the log is truncated).",
     .min = 1,
     .max = 1'000'000'000},
    {.name = "log_level",
     .type = Type::string,
     .field = &C::log_level,
     .default_json = R"("info")",
     .doc = "Least severe log messages written to stderr.",
     .choices = "trace|debug|info|warn|error|off"},
    {.name = "pin_timeout",
     .type = Type::duration,
     .field = &C::pin_timeout,
     .default_json = R"("2m")",
     .doc = "A pin on the local IPFS whose progress stalls this long fails (and is retried later).",
     .min = 1 * kSecond,
     .max = 7 * kDay},
    {.name = "concurrent_pins",
     .type = Type::integer,
     .field = &C::concurrent_pins,
     .default_json = "10",
     .doc = "Pins in progress at once on the local IPFS; more wait in the queue.",
     .min = 1,
     .max = 1000},
    {.name = "state_sync_interval",
     .type = Type::duration,
     .field = &C::state_sync_interval,
     .default_json = R"("10m")",
     .doc = "How often the whole pinset is compared with what the local IPFS has pinned.",
     .min = 1 * kSecond,
     .max = 7 * kDay},
    {.name = "repin_delay",
     .type = Type::duration,
     .field = &C::repin_delay,
     .default_json = R"("1m")",
     .doc = "How long a peer may be unreachable before its pins are allocated elsewhere. 0 or off: never "
            "re-allocate.",
     .min = 0,
     .max = 30 * kDay,
     .off_allowed = true},
    {.name = "metrics_interval",
     .type = Type::duration,
     .field = &C::metrics_interval,
     .default_json = R"("30s")",
     .doc = "How often this peer publishes its metrics (free space, pin queue) to the others.",
     .min = 1 * kSecond,
     .max = 1 * kDay},
    {.name = "replication_factor_min",
     .type = Type::integer,
     .field = &C::replication_factor_min,
     .default_json = "-1",
     .doc = "Default fewest peers that must pin each CID, for pins that do not set it. -1: every peer.",
     .min = -1,
     .max = 1000,
     .zero_allowed = false},
    {.name = "replication_factor_max",
     .type = Type::integer,
     .field = &C::replication_factor_max,
     .default_json = "-1",
     .doc = "Default most peers that pin each CID, for pins that do not set it. -1: every peer.",
     .min = -1,
     .max = 1000,
     .zero_allowed = false},
    {.name = "allocate_by",
     .type = Type::string_list,
     .field = &C::allocate_by,
     .default_json = R"(["tag:group", "freespace", "numpin"])",
     .doc = "How the allocator ranks peers, most important first: tag:NAME groups peers by the value of "
            "their tag NAME, freespace prefers peers with more free space, numpin peers with fewer pins "
            "(ties otherwise go by peer ID)."},
    {.name = "tags",
     .type = Type::string_map,
     .field = &C::tags,
     .default_json = "{}",
     .doc = "This peer's tags, name to value (e.g. {\"group\": \"eu\"}), used by allocate_by tag:NAME."},
    {.name = "max_pins",
     .type = Type::integer,
     .field = &C::max_pins,
     .default_json = "0",
     .doc = "Most pins allocated to this peer. 0: unlimited.",
     .min = 0,
     .max = 1'000'000'000'000},
    {.name = "storage_reserve",
     .type = Type::size,
     .field = &C::storage_reserve_bytes,
     .default_json = R"("0B")",
     .doc = "Free space on the IPFS repository that pins may not use; the allocator sees this much less "
            "free space. Bytes, or a size such as 10GB or 512MiB."},
}};

}  // namespace

std::span<const KeySpec> key_specs() {
  return kKeys;
}

const KeySpec* find_key(std::string_view name) {
  for (const auto& k : kKeys) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::string env_name(std::string_view key) {
  std::string out = "CL_";
  for (char c : key) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace cl::config
