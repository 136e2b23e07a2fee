#pragma once
// Internal to core/config: checking and converting one key's value. Messages here name the value
// and what was expected, not the key or the file: the caller prefixes those.
#include <nlohmann/json.hpp>
#include <string_view>

#include "config/config.hpp"

namespace cl::config::detail {

// Limits on collection values (every buffer has a limit).
inline constexpr std::size_t kListEntriesMax = 64;
inline constexpr std::size_t kMapEntriesMax = 64;
inline constexpr std::size_t kStringBytesMax = 1024;

// Check value against spec and store it in config.
util::Status set_value(Config& config, const KeySpec& spec, const nlohmann::json& value);

// The JSON value an environment variable's text stands for, before set_value checks it:
//   string, duration, size: the text as a JSON string (a size of digits only: a number);
//   boolean: true|false|1|0; integer: decimal digits with an optional '-';
//   string_list: a JSON array if the text starts with '[', else comma-separated items (trimmed);
//   string_map: a JSON object if the text starts with '{', else comma-separated name=value pairs.
util::Result<nlohmann::json> json_from_env_text(const KeySpec& spec, std::string_view text);

// The value of spec's key in config, as to_json prints it.
nlohmann::ordered_json get_value(const Config& config, const KeySpec& spec);

}  // namespace cl::config::detail
