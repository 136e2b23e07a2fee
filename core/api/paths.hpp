#pragma once
// Where the local socket lives. The daemon and the tools agree on one rule:
//   1. the --socket flag, when given (the tool passes it as `flag`);
//   2. $CL_SOCKET, when set and not empty;
//   3. $CL_HOME/raftd.sock, when CL_HOME is set and not empty;
//   4. $HOME/.cl/raftd.sock.
// The environment is read through an injectable lookup so that tests do not touch the process's.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace cl::api {

// Returns the value of an environment variable, nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The real environment (getenv).
EnvLookup process_env();

// $CL_HOME, else $HOME/.cl; invalid_argument when neither CL_HOME nor HOME is set.
util::Result<std::string> cl_home(const EnvLookup& env = process_env());

// The socket path by rules 2-4 above.
util::Result<std::string> default_socket_path(const EnvLookup& env = process_env());

// Rule 1, then 2-4: `flag` is the --socket value, empty when not given.
util::Result<std::string> resolve_socket_path(std::string_view flag, const EnvLookup& env = process_env());

}  // namespace cl::api
