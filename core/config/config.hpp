#pragma once
// The settings of one peer: $CL_HOME/config.json, one flat JSON object of snake_case keys, every
// key optional (a missing key keeps its default). Precedence, lowest first:
//   defaults (the key table, keys.cpp) < profile "wan" timing defaults < config.json
//   < environment CL_<KEY> (e.g. CL_LOG_LEVEL=debug) < command-line flags (applied by callers).
// Unknown keys and bad values are errors, never ignored; they name the file (or the variable), the
// key and the value, and say what was expected. The key table is the one place where a key, its
// type, range, default and meaning are written: documentation (`cl-raftd config --keys`, the man
// page) is generated from it.
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/env.hpp"
#include "util/duration.hpp"
#include "util/result.hpp"

namespace cl::config {

struct Config {
  std::string listen;                          // host:port the peer transport listens on
  std::string advertise;                       // host:port other peers dial; empty: derived at start-up
  std::string ipfs_api;                        // Kubo RPC API base URL
  util::Millis election_timeout{};             // Raft election timeout (randomized up to 2x by Raft)
  util::Millis heartbeat_interval{};           // leader heartbeat period; election_timeout >= 5x this
  std::string profile;                         // "lan" | "wan"
  std::int64_t voters_max = 0;                 // Raft voters; further peers join as learners
  bool leave_on_shutdown = false;              // leave the cluster on a clean shutdown
  std::string log_level;                       // trace | debug | info | warn | error | off
  util::Millis pin_timeout{};                  // a pin whose progress stalls this long fails
  std::int64_t concurrent_pins = 0;            // pins in progress at once on the local IPFS
  util::Millis state_sync_interval{};          // full comparison of the pinset with IPFS
  util::Millis metrics_interval{};             // how often this peer publishes its metrics
  util::Millis repin_delay{};                  // wait before re-allocating a lost peer's pins; 0 = never
  std::int64_t replication_factor_min = 0;     // -1: every peer
  std::int64_t replication_factor_max = 0;     // -1: every peer
  std::map<std::string, std::string> tags;     // this peer's tags, for allocate_by "tag:NAME"
  std::int64_t max_pins = 0;                   // pins this peer accepts; 0 = unlimited
  std::uint64_t storage_reserve_bytes = 0;     // free space on the IPFS repo not given to pins
  std::vector<std::string> allocate_by;        // allocator metrics, most important first
  std::int64_t snapshot_interval_entries = 0;  // Raft log entries between snapshots

  friend bool operator==(const Config&, const Config&) = default;
};

// ---- The key table ------------------------------------------------------------------------------

enum class Type : std::uint8_t { string, boolean, integer, duration, size, string_list, string_map };
// Extra syntax checks on string values.
enum class Format : std::uint8_t { any, host_port, host_port_or_empty, http_url };

// The Config member a key sets.
using Field = std::variant<std::string Config::*, bool Config::*, std::int64_t Config::*,
                           util::Millis Config::*, std::uint64_t Config::*,
                           std::vector<std::string> Config::*, std::map<std::string, std::string> Config::*>;

struct KeySpec {
  std::string_view name;
  Type type;
  Field field;
  std::string_view default_json;  // the default, as JSON text ("\"1s\"", "5", "[\"a\"]")
  std::string_view doc;           // what it does, plain text, a sentence or two
  // integer: inclusive range. duration: inclusive range in milliseconds (max 0: no limit).
  std::int64_t min = 0;
  std::int64_t max = 0;
  std::string_view choices = {};      // string: allowed values, '|'-separated; empty: any
  Format format = Format::any;        // string: syntax check
  std::string_view wan_default = {};  // JSON text used instead of default_json when profile = wan
  bool off_allowed = false;           // duration: "off" is accepted and means 0
  bool zero_allowed = true;           // integer: false refuses 0 inside the range
};

// Every key, in documentation order.
std::span<const KeySpec> key_specs();
// The spec of name; nullptr if unknown.
const KeySpec* find_key(std::string_view name);
// The environment variable that overrides a key: "CL_" + upper(name).
std::string env_name(std::string_view key);

// ---- Loading ------------------------------------------------------------------------------------

// Every key at its default (profile lan).
Config defaults();

// Parse config JSON text (one object; keys optional), then apply CL_<KEY> environment overrides and
// the cross-key checks. `origin` names the text in errors (the file path). Code::invalid_argument:
//   "/home/a/.cl/config.json: unknown key 'log_levle' (did you mean 'log_level'?)"
//   "/home/a/.cl/config.json: key 'voters_max': 0 is out of range: expected an integer from 1 to 15"
//   "environment variable CL_ELECTION_TIMEOUT: invalid duration '5x': unknown unit 'x' (use ms, ...)"
util::Result<Config> parse(std::string_view json_text, std::string_view origin, const Env& env);

// Read and parse path (util::read_file; Code::not_found names the path and says to run
// `cl-raftd init`), then as parse().
util::Result<Config> load(const std::string& path, const Env& env);

// Write the defaults (defaults_json()) to path, mode 0644. replace == false: Code::already_exists
// if path exists.
util::Status write_default(const std::string& path, bool replace);

// ---- Printing -----------------------------------------------------------------------------------

// The default config file: every key in table order, pretty-printed, ending with a newline.
std::string defaults_json();
// config as JSON in the same form (durations "1m30s", sizes "10GB"), every key with its effective
// value; parse(to_json(c)) == c for any valid c.
std::string to_json(const Config& config);
// A plain-text table of the keys: name, type (and range or choices), default, environment
// variable, description. For `cl-raftd config --keys` and the man page.
std::string documentation_text();

}  // namespace cl::config
