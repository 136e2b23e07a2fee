#include "setup/init_home.hpp"

#include <sys/stat.h>

#include <vector>

#include "config/config.hpp"
#include "config/home.hpp"
#include "identity/key_file.hpp"
#include "identity/peer_id.hpp"
#include "identity/secret.hpp"
#include "util/file.hpp"

namespace cl::setup {

namespace {

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

std::string base_name(const std::string& path) {
  return path.substr(path.find_last_of('/') + 1);
}

}  // namespace

util::Result<InitResult> init_home(const InitOptions& options) {
  std::optional<identity::ClusterSecret> secret;
  if (options.secret_hex) {
    auto given = identity::ClusterSecret::from_hex(*options.secret_hex);
    if (!given) return given.status().with_context("invalid secret");
    secret.emplace(std::move(*given));
  } else {
    auto fresh = identity::ClusterSecret::generate();
    if (!fresh) return fresh.status();
    secret.emplace(std::move(*fresh));
  }

  config::HomePaths paths = config::home_paths(options.home);
  if (!options.force) {
    std::string found;
    for (const std::string* p : {&paths.identity_key, &paths.config, &paths.secret}) {
      if (exists(*p)) found += (found.empty() ? "" : ", ") + base_name(*p);
    }
    if (!found.empty()) {
      return util::already_exists(paths.dir + " is already initialized (" + found +
                                  "): use --force to replace them (the peer gets a new identity)");
    }
  }

  auto key = identity::KeyPair::generate();
  if (!key) return key.status();
  CL_TRY_STATUS(util::make_directories(paths.dir, 0700));
  // The secret and the config first, the identity last: a peer is only runnable once all exist.
  CL_TRY_STATUS(identity::write_secret_file(paths.secret, *secret, options.force));
  CL_TRY_STATUS(config::write_default(paths.config, options.force));
  CL_TRY_STATUS(identity::write_key_file(paths.identity_key, *key, options.force));

  return InitResult{paths.dir, identity::PeerId::from_public_key(key->public_key()).to_string(),
                    secret->to_hex()};
}

}  // namespace cl::setup
