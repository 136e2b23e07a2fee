#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "identity/key_file.hpp"
#include "identity/peer_id.hpp"
#include "support/temp_dir.hpp"
#include "util/file.hpp"

using namespace cl;
using identity::KeyPair;

namespace {
mode_t mode_of(const std::string& path) {
  struct stat st {};
  CL_ASSERT(::stat(path.c_str(), &st) == 0, "stat");
  return st.st_mode & 07777;
}
}  // namespace

TEST_CASE("the key file is written with mode 0600 and loads back to the same identity") {
  testing::TempDir dir;
  std::string path = dir.path() + "/identity.key";
  auto key = KeyPair::generate();
  REQUIRE(key.is_ok());
  REQUIRE(identity::write_key_file(path, *key, false).is_ok());
  CHECK(mode_of(path) == 0600);
  auto loaded = identity::load_key_file(path);
  REQUIRE(loaded.is_ok());
  CHECK(loaded->public_key() == key->public_key());
  CHECK(identity::PeerId::from_public_key(loaded->public_key()) ==
        identity::PeerId::from_public_key(key->public_key()));
}

TEST_CASE("the key file is not overwritten unless asked") {
  testing::TempDir dir;
  std::string path = dir.path() + "/identity.key";
  auto first = KeyPair::generate();
  auto second = KeyPair::generate();
  REQUIRE(identity::write_key_file(path, *first, false).is_ok());
  auto again = identity::write_key_file(path, *second, false);
  CHECK(again.code() == util::Code::already_exists);
  CHECK(identity::load_key_file(path)->public_key() == first->public_key());
  REQUIRE(identity::write_key_file(path, *second, true).is_ok());
  CHECK(identity::load_key_file(path)->public_key() == second->public_key());
  CHECK(mode_of(path) == 0600);
}

TEST_CASE("a key file that group or others can read is refused, naming the path and the fix") {
  testing::TempDir dir;
  std::string path = dir.path() + "/identity.key";
  auto key = KeyPair::generate();
  auto pem = key->to_pem();
  REQUIRE(util::write_file_atomic(path, *pem, 0644, false).is_ok());
  REQUIRE(mode_of(path) == 0644);
  auto loaded = identity::load_key_file(path);
  REQUIRE_FALSE(loaded.is_ok());
  CHECK(loaded.code() == util::Code::permission_denied);
  CHECK_THAT(loaded.status().message(),
             Catch::Contains(path) && Catch::Contains("0644") && Catch::Contains("chmod 600 " + path));
  // Group-only access is refused too.
  REQUIRE(::chmod(path.c_str(), 0640) == 0);
  CHECK(identity::load_key_file(path).code() == util::Code::permission_denied);
  REQUIRE(::chmod(path.c_str(), 0600) == 0);
  CHECK(identity::load_key_file(path).is_ok());
}

TEST_CASE("a corrupt or missing key file is a clear error naming the path") {
  testing::TempDir dir;
  std::string path = dir.path() + "/identity.key";
  REQUIRE(util::write_file_atomic(path, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                                  0600, false)
              .is_ok());
  auto corrupt = identity::load_key_file(path);
  REQUIRE_FALSE(corrupt.is_ok());
  CHECK(corrupt.code() == util::Code::corrupt);
  CHECK_THAT(corrupt.status().message(), Catch::Contains("invalid identity key file '" + path + "'") &&
                                             Catch::Contains("cl-raftd init --force"));
  // A truncated real key is corrupt too.
  auto pem = *KeyPair::generate()->to_pem();
  REQUIRE(util::write_file_atomic(path, pem.substr(0, pem.size() / 2), 0600, true).is_ok());
  CHECK(identity::load_key_file(path).code() == util::Code::corrupt);
  auto missing = identity::load_key_file(dir.path() + "/nope.key");
  CHECK(missing.code() == util::Code::not_found);
  CHECK_THAT(missing.status().message(), Catch::Contains(dir.path() + "/nope.key"));
}
