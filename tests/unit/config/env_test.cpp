#include <catch2/catch.hpp>
#include <cstdlib>

#include "config/env.hpp"

using namespace cl::config;

TEST_CASE("env_from_map answers only for its variables") {
  Env env = env_from_map({{"CL_HOME", "/srv/cl"}, {"EMPTY", ""}});
  CHECK(env("CL_HOME") == std::optional<std::string>("/srv/cl"));
  CHECK(env("EMPTY") == std::optional<std::string>(""));
  CHECK_FALSE(env("HOME").has_value());
}

TEST_CASE("system_env reads the process environment") {
  REQUIRE(::setenv("CL_CONFIG_TEST_VAR", "value 1", 1) == 0);
  Env env = system_env();
  CHECK(env("CL_CONFIG_TEST_VAR") == std::optional<std::string>("value 1"));
  REQUIRE(::unsetenv("CL_CONFIG_TEST_VAR") == 0);
  CHECK_FALSE(env("CL_CONFIG_TEST_VAR").has_value());
}
