#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>

#include "support/temp_dir.hpp"
#include "util/file.hpp"

using namespace cl::util;
using cl::testing::TempDir;

namespace {
mode_t mode_of(const std::string& path) {
  struct stat st {};
  CL_ASSERT(::stat(path.c_str(), &st) == 0, "stat");
  return st.st_mode & 07777;
}
}  // namespace

TEST_CASE("write_file_atomic creates the file with the mode asked for and no more") {
  TempDir dir;
  std::string path = dir.path() + "/secret";
  REQUIRE(write_file_atomic(path, "abc\n", 0600, false).is_ok());
  CHECK(mode_of(path) == 0600);
  CHECK(*read_private_file(path, 100) == "abc\n");
}

TEST_CASE("write_file_atomic without replace leaves an existing file alone") {
  TempDir dir;
  std::string path = dir.path() + "/f";
  REQUIRE(write_file_atomic(path, "first", 0644, false).is_ok());
  auto st = write_file_atomic(path, "second", 0644, false);
  CHECK(st.code() == Code::already_exists);
  CHECK_THAT(st.message(), Catch::Contains(path));
  CHECK(*read_file(path, 100) == "first");
  REQUIRE(write_file_atomic(path, "third", 0600, true).is_ok());
  CHECK(*read_file(path, 100) == "third");
  CHECK(mode_of(path) == 0600);
  // No temporary files are left behind.
  CHECK(std::system(("test $(ls -A '" + dir.path() + "' | wc -l) -eq 1").c_str()) == 0);
}

TEST_CASE("read_private_file refuses files that group or others may access") {
  TempDir dir;
  std::string path = dir.path() + "/key";
  REQUIRE(write_file_atomic(path, "k", 0644, false).is_ok());
  auto r = read_private_file(path, 100);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.code() == Code::permission_denied);
  CHECK_THAT(r.status().message(),
             Catch::Contains(path) && Catch::Contains("0644") && Catch::Contains("chmod 600 " + path));
  CHECK(read_file(path, 100).is_ok());  // the plain reader does not care
}

TEST_CASE("read_file reports missing, oversized and non-regular files") {
  TempDir dir;
  CHECK(read_file(dir.path() + "/nope", 10).code() == Code::not_found);
  CHECK_THAT(read_file(dir.path() + "/nope", 10).status().message(), Catch::Contains(dir.path() + "/nope"));
  REQUIRE(write_file_atomic(dir.path() + "/big", std::string(11, 'x'), 0600, false).is_ok());
  CHECK(read_file(dir.path() + "/big", 10).code() == Code::resource_exhausted);
  CHECK(read_file(dir.path(), 10).code() == Code::invalid_argument);
}

TEST_CASE("make_directories creates missing parents and keeps existing directories") {
  TempDir dir;
  std::string deep = dir.path() + "/a/b/c";
  REQUIRE(make_directories(deep, 0700).is_ok());
  CHECK(mode_of(deep) == 0700);
  REQUIRE(make_directories(deep, 0755).is_ok());
  CHECK(mode_of(deep) == 0700);
  REQUIRE(write_file_atomic(dir.path() + "/file", "x", 0600, false).is_ok());
  CHECK(make_directories(dir.path() + "/file", 0700).code() == Code::failed_precondition);
}
