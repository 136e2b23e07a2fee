#include <catch2/catch.hpp>

#include "config/home.hpp"

using namespace cl::config;

TEST_CASE("CL_HOME comes from --home, then CL_HOME, then HOME/.cl") {
  Env all = env_from_map({{"CL_HOME", "/srv/cl"}, {"HOME", "/home/ann"}});
  CHECK(*resolve_home("/tmp/x/", all) == "/tmp/x");
  CHECK(*resolve_home("", all) == "/srv/cl");
  CHECK(*resolve_home("", env_from_map({{"CL_HOME", ""}, {"HOME", "/home/ann/"}})) == "/home/ann/.cl");
  CHECK(*resolve_home("", env_from_map({{"HOME", "/home/ann"}})) == "/home/ann/.cl");
  auto none = resolve_home("", env_from_map({}));
  CHECK(none.code() == cl::util::Code::failed_precondition);
  CHECK_THAT(none.status().message(), Catch::Contains("set CL_HOME or HOME"));
}

TEST_CASE("home_paths names every file of CL_HOME") {
  HomePaths p = home_paths("/srv/cl");
  CHECK(p.dir == "/srv/cl");
  CHECK(p.config == "/srv/cl/config.json");
  CHECK(p.identity_key == "/srv/cl/identity.key");
  CHECK(p.secret == "/srv/cl/secret");
  CHECK(p.socket == "/srv/cl/raftd.sock");
}
