#pragma once
// CL_HOME: the directory that holds one peer's files. Every tool finds it the same way:
//   1. the --home flag, if given and not empty;
//   2. else $CL_HOME, if set and not empty;
//   3. else $HOME/.cl.
// Its layout (file names are fixed; nothing else decides them):
//   config.json    settings (config.hpp), mode 0644
//   identity.key   Ed25519 private key, PKCS#8 PEM, mode 0600 (core/identity)
//   secret         the cluster secret, 64 hex digits, mode 0600 (core/identity)
//   raftd.sock     the local API socket of cl-raftd, mode 0660 (core/api)
// The directory itself is created with mode 0700 by `cl-raftd init`.
#include <string>
#include <string_view>

#include "config/env.hpp"
#include "util/result.hpp"

namespace cl::config {

inline constexpr const char* kHomeEnv = "CL_HOME";
inline constexpr const char* kHomeDefaultName = ".cl";  // under $HOME

struct HomePaths {
  std::string dir;
  std::string config;        // dir + "/config.json"
  std::string identity_key;  // dir + "/identity.key"
  std::string secret;        // dir + "/secret"
  std::string socket;        // dir + "/raftd.sock"
};

// The CL_HOME directory (see above), without a trailing '/'. Code::failed_precondition when
// neither the flag, CL_HOME nor HOME is set: "cannot find CL_HOME: set CL_HOME or HOME, or pass --home".
util::Result<std::string> resolve_home(std::string_view flag, const Env& env);

HomePaths home_paths(std::string_view dir);

}  // namespace cl::config
