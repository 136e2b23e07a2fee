#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "config/config.hpp"
#include "config/home.hpp"
#include "identity/key_file.hpp"
#include "identity/peer_id.hpp"
#include "identity/secret.hpp"
#include "setup/init_home.hpp"
#include "support/temp_dir.hpp"

using namespace cl;

namespace {
mode_t mode_of(const std::string& path) {
  struct stat st {};
  CL_ASSERT(::stat(path.c_str(), &st) == 0, "stat");
  return st.st_mode & 07777;
}
}  // namespace

TEST_CASE("init_home makes a home with an identity, the default config and a secret") {
  testing::TempDir dir;
  std::string home = dir.path() + "/a/.cl";
  auto r = setup::init_home({.home = home});
  REQUIRE(r.is_ok());
  auto paths = config::home_paths(home);
  CHECK(r->home == home);
  CHECK(mode_of(home) == 0700);
  CHECK(mode_of(paths.identity_key) == 0600);
  CHECK(mode_of(paths.secret) == 0600);
  CHECK(mode_of(paths.config) == 0644);
  auto key = identity::load_key_file(paths.identity_key);
  REQUIRE(key.is_ok());
  CHECK(identity::PeerId::from_public_key(key->public_key()).to_string() == r->peer_id);
  CHECK_THAT(r->peer_id, Catch::StartsWith("12D3KooW"));
  auto secret = identity::load_secret_file(paths.secret);
  REQUIRE(secret.is_ok());
  CHECK(secret->to_hex() == r->secret_hex);
  auto cfg = config::load(paths.config, config::env_from_map({}));
  REQUIRE(cfg.is_ok());
  CHECK(*cfg == config::defaults());
}

TEST_CASE("init_home refuses an initialized home without force and replaces it with force") {
  testing::TempDir dir;
  auto first = setup::init_home({.home = dir.path()});
  REQUIRE(first.is_ok());
  auto again = setup::init_home({.home = dir.path()});
  REQUIRE_FALSE(again.is_ok());
  CHECK(again.code() == util::Code::already_exists);
  CHECK_THAT(again.status().message(),
             Catch::StartsWith(dir.path() + " is already initialized (identity.key, config.json, secret)") &&
                 Catch::Contains("--force"));
  // Nothing changed.
  CHECK(identity::load_secret_file(dir.path() + "/secret")->to_hex() == first->secret_hex);

  std::string given(64, 'c');
  auto forced = setup::init_home({.home = dir.path(), .secret_hex = given, .force = true});
  REQUIRE(forced.is_ok());
  CHECK(forced->peer_id != first->peer_id);
  CHECK(forced->secret_hex == given);
  CHECK(identity::load_secret_file(dir.path() + "/secret")->to_hex() == given);
  CHECK(mode_of(dir.path() + "/identity.key") == 0600);
}

TEST_CASE("init_home with a bad secret changes nothing and does not repeat it") {
  testing::TempDir dir;
  std::string home = dir.path() + "/h";
  std::string bad = "deadbeef-not-a-secret";
  auto r = setup::init_home({.home = home, .secret_hex = bad});
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.code() == util::Code::invalid_argument);
  CHECK(r.status().message() == "invalid secret: expected 64 hex digits, got 21 characters");
  struct stat st {};
  CHECK(::stat(home.c_str(), &st) != 0);
}
