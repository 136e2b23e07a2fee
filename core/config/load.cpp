#include <algorithm>
#include <set>
#include <vector>

#include "config/config.hpp"
#include "config/value.hpp"
#include "util/file.hpp"

namespace cl::config {

namespace {

using nlohmann::json;
using util::Result;
using util::Status;

// A config file is a few KB; refuse anything that is clearly not one.
constexpr std::size_t kConfigFileBytesMax = 1024 * 1024;

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string unknown_key_message(std::string_view origin, std::string_view key) {
  std::string msg = std::string(origin) + ": unknown key " + util::quote(key);
  const KeySpec* best = nullptr;
  std::size_t best_distance = 4;  // suggest only close names
  for (const auto& spec : key_specs()) {
    std::size_t d = edit_distance(key, spec.name);
    if (d < best_distance) {
      best_distance = d;
      best = &spec;
    }
  }
  if (best != nullptr) msg += " (did you mean " + util::quote(best->name) + "?)";
  msg += "; `cl-raftd config --keys` lists the keys";
  return msg;
}

json parse_default(std::string_view text) {
  json v = json::parse(text, nullptr, false);
  CL_ASSERT(!v.is_discarded(), "a default in the key table is not valid JSON");
  return v;
}

void apply_default(Config& config, const KeySpec& spec, std::string_view json_text) {
  Status st = detail::set_value(config, spec, parse_default(json_text));
  CL_ASSERT(st.is_ok(), "a default in the key table fails its own check");
}

// Checks that involve more than one key.
Status check_together(const Config& c, std::string_view origin) {
  auto fail = [&](const std::string& why) {
    return util::invalid_argument(std::string(origin) + ": " + why);
  };
  if (c.election_timeout < 5 * c.heartbeat_interval) {
    return fail("election_timeout (" + util::format_duration(c.election_timeout) +
                ") must be at least 5 times heartbeat_interval (" +
                util::format_duration(c.heartbeat_interval) + ")");
  }
  std::int64_t rmin = c.replication_factor_min, rmax = c.replication_factor_max;
  if (rmin == -1 && rmax != -1) {
    return fail("replication_factor_min is -1 (every peer), so replication_factor_max must be -1 too, not " +
                std::to_string(rmax));
  }
  if (rmax != -1 && rmin > rmax) {
    return fail("replication_factor_min (" + std::to_string(rmin) +
                ") is larger than replication_factor_max (" + std::to_string(rmax) + ")");
  }
  return Status::ok();
}

}  // namespace

Config defaults() {
  Config config;
  for (const auto& spec : key_specs()) apply_default(config, spec, spec.default_json);
  return config;
}

Result<Config> parse(std::string_view json_text, std::string_view origin, const Env& env) {
  Config config = defaults();
  std::set<std::string_view> set_keys;  // keys the file or the environment set

  json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded()) {
    // Parse again with exceptions only to learn where the error is.
    std::string where;
    try {
      json again = json::parse(json_text);
    } catch (const json::parse_error& e) {
      where = " at byte " + std::to_string(e.byte);
    }
    return util::invalid_argument(std::string(origin) + ": not valid JSON" + where);
  }
  if (!doc.is_object())
    return util::invalid_argument(std::string(origin) + ": expected a JSON object of settings");
  for (const auto& [key, value] : doc.items()) {
    const KeySpec* spec = find_key(key);
    if (spec == nullptr) return util::invalid_argument(unknown_key_message(origin, key));
    Status st = detail::set_value(config, *spec, value);
    if (!st.is_ok()) return st.with_context(std::string(origin) + ": key " + util::quote(key));
    set_keys.insert(spec->name);
  }

  for (const auto& spec : key_specs()) {
    std::string var = env_name(spec.name);
    auto text = env(var);
    if (!text || text->empty()) continue;  // an empty variable counts as unset
    auto value = detail::json_from_env_text(spec, *text);
    Status st = value ? detail::set_value(config, spec, *value) : value.status();
    if (!st.is_ok()) return st.with_context("environment variable " + var);
    set_keys.insert(spec.name);
  }

  if (config.profile == "wan") {
    for (const auto& spec : key_specs()) {
      if (!spec.wan_default.empty() && !set_keys.contains(spec.name))
        apply_default(config, spec, spec.wan_default);
    }
  }
  CL_TRY_STATUS(check_together(config, origin));
  return config;
}

Result<Config> load(const std::string& path, const Env& env) {
  auto text = util::read_file(path, kConfigFileBytesMax);
  if (!text) {
    if (text.code() == util::Code::not_found) {
      return util::not_found("config file " + util::quote(path, 400) +
                             " does not exist: run 'cl-raftd init' (or pass --home or set CL_HOME)");
    }
    return text.status();
  }
  return parse(*text, path, env);
}

Status write_default(const std::string& path, bool replace) {
  return util::write_file_atomic(path, defaults_json(), 0644, replace);
}

}  // namespace cl::config
