#pragma once
// `cl-raftd init`: make a CL_HOME for a new peer (layout: config/home.hpp).
#include <optional>
#include <string>

#include "util/result.hpp"

namespace cl::setup {

struct InitOptions {
  std::string home;                       // the CL_HOME directory (config::resolve_home)
  std::optional<std::string> secret_hex;  // join a cluster with this secret; nullopt: a new one
  bool force = false;                     // replace an existing identity.key, config.json, secret
};

struct InitResult {
  std::string home;
  std::string peer_id;     // "12D3KooW..."
  std::string secret_hex;  // 64 hex digits: the cluster secret (secret: the caller shows it once)
};

// Create home (mode 0700, missing parents 0755; an existing directory keeps its mode) holding a new
// Ed25519 identity.key (0600), config.json with the defaults (0644) and the cluster secret (0600).
// Errors:
//   Code::already_exists   home already has identity.key, config.json or secret and !force; the
//                          message names the directory and the files, nothing was changed
//   Code::invalid_argument secret_hex is not 64 hex digits (the message never repeats it)
//   other codes            the files could not be written (the message names the path)
// With force, the three files are replaced (each atomically); other files in home are left alone.
// Replacing identity.key gives the peer a new peer ID.
util::Result<InitResult> init_home(const InitOptions& options);

}  // namespace cl::setup
