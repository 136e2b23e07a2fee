#pragma once
// The process environment, behind a function so that tests (and callers that must not read the
// real one) can pass their own.
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace cl::config {

// Looks up one variable; nullopt when it is not set.
using Env = std::function<std::optional<std::string>(const std::string& name)>;

// The real environment (getenv). Not safe against concurrent setenv, like getenv itself.
Env system_env();
// A fixed environment; the map is copied into the returned function.
Env env_from_map(std::map<std::string, std::string> vars);

}  // namespace cl::config
