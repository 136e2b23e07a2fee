#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "identity/secret.hpp"
#include "support/temp_dir.hpp"
#include "util/file.hpp"

using namespace cl;
using identity::ClusterSecret;

TEST_CASE("a generated secret is 32 bytes, prints as 64 hex digits and parses back") {
  auto a = ClusterSecret::generate();
  auto b = ClusterSecret::generate();
  REQUIRE(a.is_ok());
  REQUIRE(b.is_ok());
  CHECK(a->bytes().size() == 32);
  CHECK_FALSE(a->equals(*b));
  std::string hex = a->to_hex();
  CHECK(hex.size() == 64);
  CHECK(hex.find_first_not_of("0123456789abcdef") == std::string::npos);
  auto back = ClusterSecret::from_hex(hex);
  REQUIRE(back.is_ok());
  CHECK(back->equals(*a));
}

TEST_CASE("bad secrets say what is wrong and never repeat the text") {
  std::string almost(63, 'a');
  auto short_one = ClusterSecret::from_hex(almost);
  REQUIRE_FALSE(short_one.is_ok());
  CHECK(short_one.status().message() == "expected 64 hex digits, got 63 characters");
  std::string bad_char = std::string(10, 'a') + "g" + std::string(53, 'b');
  auto not_hex = ClusterSecret::from_hex(bad_char);
  REQUIRE_FALSE(not_hex.is_ok());
  CHECK(not_hex.status().message() == "expected 64 hex digits, found a non-hex character at offset 10");
  CHECK(ClusterSecret::from_hex(std::string(64, 'F')).is_ok());
}

TEST_CASE("the secret file is 0600, ends with a newline, and is refused when others can read it") {
  testing::TempDir dir;
  std::string path = dir.path() + "/secret";
  auto secret = ClusterSecret::generate();
  REQUIRE(identity::write_secret_file(path, *secret, false).is_ok());
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  CHECK(*util::read_file(path, 100) == secret->to_hex() + "\n");
  auto loaded = identity::load_secret_file(path);
  REQUIRE(loaded.is_ok());
  CHECK(loaded->equals(*secret));
  CHECK(identity::write_secret_file(path, *secret, false).code() == util::Code::already_exists);

  REQUIRE(::chmod(path.c_str(), 0604) == 0);
  auto open = identity::load_secret_file(path);
  CHECK(open.code() == util::Code::permission_denied);
  CHECK_THAT(open.status().message(), Catch::Contains("chmod 600 " + path));

  REQUIRE(util::write_file_atomic(path, "nothex\n", 0600, true).is_ok());
  auto corrupt = identity::load_secret_file(path);
  CHECK(corrupt.code() == util::Code::corrupt);
  CHECK_THAT(corrupt.status().message(), Catch::Contains(path) && Catch::Contains("got 6 characters"));
}
