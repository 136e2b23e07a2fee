#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "config/config.hpp"
#include "support/temp_dir.hpp"
#include "util/file.hpp"

using namespace cl;
using config::Config;
using config::env_from_map;
using util::Millis;

namespace {
const config::Env kNoEnv = env_from_map({});

Config parse_ok(std::string_view text, const config::Env& env = kNoEnv) {
  auto r = config::parse(text, "/home/a/.cl/config.json", env);
  INFO(r.status().to_string());
  REQUIRE(r.is_ok());
  return *r;
}

std::string parse_error(std::string_view text, const config::Env& env = kNoEnv) {
  auto r = config::parse(text, "/home/a/.cl/config.json", env);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.code() == util::Code::invalid_argument);
  return r.status().message();
}
}  // namespace

TEST_CASE("defaults are the documented values") {
  Config c = config::defaults();
  CHECK(c.listen == "0.0.0.0:9096");
  CHECK(c.advertise.empty());
  CHECK(c.ipfs_api == "http://127.0.0.1:5001");
  CHECK(c.election_timeout == Millis(1000));
  CHECK(c.heartbeat_interval == Millis(100));
  CHECK(c.profile == "lan");
  CHECK(c.voters_max == 5);
  CHECK_FALSE(c.leave_on_shutdown);
  CHECK(c.log_level == "info");
  CHECK(c.pin_timeout == Millis(120'000));
  CHECK(c.concurrent_pins == 10);
  CHECK(c.state_sync_interval == Millis(600'000));
  CHECK(c.metrics_interval == Millis(30'000));
  CHECK(c.repin_delay == Millis(60'000));
  CHECK(c.replication_factor_min == -1);
  CHECK(c.replication_factor_max == -1);
  CHECK(c.tags.empty());
  CHECK(c.max_pins == 0);
  CHECK(c.storage_reserve_bytes == 0);
  CHECK(c.allocate_by == std::vector<std::string>{"tag:group", "freespace", "numpin"});
  CHECK(c.snapshot_interval_entries == 10000);
  // An empty file means all defaults.
  CHECK(parse_ok("{}") == c);
}

TEST_CASE("the key table documents every key once and its defaults pass its own checks") {
  std::set<std::string_view> names;
  for (const auto& spec : config::key_specs()) {
    INFO(spec.name);
    CHECK(names.insert(spec.name).second);
    CHECK_FALSE(spec.doc.empty());
    CHECK(config::find_key(spec.name) == &spec);
    CHECK_THAT(config::documentation_text(), Catch::Contains(std::string(spec.name) + "  (") &&
                                                 Catch::Contains(config::env_name(spec.name)));
  }
  CHECK(names.size() == 21);
  CHECK(config::env_name("election_timeout") == "CL_ELECTION_TIMEOUT");
  // The default file parses back to the defaults, with every key present.
  auto doc = nlohmann::json::parse(config::defaults_json());
  CHECK(doc.size() == names.size());
  CHECK(parse_ok(config::defaults_json()) == config::defaults());
}

TEST_CASE("file values override the defaults") {
  Config c = parse_ok(R"({
    "listen": "[::]:19096", "advertise": "10.0.0.5:9096", "ipfs_api": "https://ipfs.internal:5001",
    "election_timeout": "2s", "heartbeat_interval": "250ms", "voters_max": 3, "leave_on_shutdown": true,
    "log_level": "debug", "pin_timeout": "90s", "concurrent_pins": 4, "state_sync_interval": "1h",
    "metrics_interval": "15s", "repin_delay": "off", "replication_factor_min": 2, "replication_factor_max": 3,
    "tags": {"group": "eu", "rack": "r7"}, "max_pins": 100000, "storage_reserve": "512MiB",
    "allocate_by": ["tag:rack", "freespace"], "snapshot_interval_entries": 500
  })");
  CHECK(c.listen == "[::]:19096");
  CHECK(c.advertise == "10.0.0.5:9096");
  CHECK(c.ipfs_api == "https://ipfs.internal:5001");
  CHECK(c.election_timeout == Millis(2000));
  CHECK(c.heartbeat_interval == Millis(250));
  CHECK(c.voters_max == 3);
  CHECK(c.leave_on_shutdown);
  CHECK(c.log_level == "debug");
  CHECK(c.pin_timeout == Millis(90'000));
  CHECK(c.concurrent_pins == 4);
  CHECK(c.state_sync_interval == Millis(3'600'000));
  CHECK(c.metrics_interval == Millis(15'000));
  CHECK(c.repin_delay == Millis(0));
  CHECK(c.replication_factor_min == 2);
  CHECK(c.replication_factor_max == 3);
  CHECK(c.tags == std::map<std::string, std::string>{{"group", "eu"}, {"rack", "r7"}});
  CHECK(c.max_pins == 100000);
  CHECK(c.storage_reserve_bytes == 536'870'912ULL);
  CHECK(c.allocate_by == std::vector<std::string>{"tag:rack", "freespace"});
  CHECK(c.snapshot_interval_entries == 500);
  // What to_json prints parses back to the same config.
  CHECK(parse_ok(config::to_json(c)) == c);
  CHECK(parse_ok(R"({"storage_reserve": 4096})").storage_reserve_bytes == 4096);
}

TEST_CASE("environment variables override the file") {
  auto env = env_from_map({{"CL_LOG_LEVEL", "debug"},
                           {"CL_ELECTION_TIMEOUT", "500ms"},
                           {"CL_VOTERS_MAX", "7"},
                           {"CL_LEAVE_ON_SHUTDOWN", "1"},
                           {"CL_STORAGE_RESERVE", "10GB"},
                           {"CL_MAX_PINS", "42"},
                           {"CL_ALLOCATE_BY", "tag:dc, freespace"},
                           {"CL_TAGS", "group=us,rack = r1"},
                           {"CL_LISTEN", ""},  // empty: unset, the file's value stays
                           {"CL_UNRELATED", "x"}});
  Config c = parse_ok(R"({"log_level": "warn", "voters_max": 3, "listen": "127.0.0.1:7000"})", env);
  CHECK(c.log_level == "debug");
  CHECK(c.election_timeout == Millis(500));
  CHECK(c.voters_max == 7);
  CHECK(c.leave_on_shutdown);
  CHECK(c.storage_reserve_bytes == 10'000'000'000ULL);
  CHECK(c.max_pins == 42);
  CHECK(c.allocate_by == std::vector<std::string>{"tag:dc", "freespace"});
  CHECK(c.tags == std::map<std::string, std::string>{{"group", "us"}, {"rack", "r1"}});
  CHECK(c.listen == "127.0.0.1:7000");
  // JSON forms work in the environment too.
  Config j =
      parse_ok("{}", env_from_map({{"CL_TAGS", R"({"a": "b"})"}, {"CL_ALLOCATE_BY", R"(["freespace"])"}}));
  CHECK(j.tags == std::map<std::string, std::string>{{"a", "b"}});
  CHECK(j.allocate_by == std::vector<std::string>{"freespace"});
}

TEST_CASE("profile wan changes the timing defaults, but not keys set explicitly") {
  Config wan = parse_ok(R"({"profile": "wan"})");
  CHECK(wan.election_timeout == Millis(5000));
  CHECK(wan.heartbeat_interval == Millis(500));
  Config mixed = parse_ok(R"({"profile": "wan", "heartbeat_interval": "200ms"})");
  CHECK(mixed.election_timeout == Millis(5000));
  CHECK(mixed.heartbeat_interval == Millis(200));
  Config by_env = parse_ok("{}", env_from_map({{"CL_PROFILE", "wan"}, {"CL_ELECTION_TIMEOUT", "3s"}}));
  CHECK(by_env.election_timeout == Millis(3000));
  CHECK(by_env.heartbeat_interval == Millis(500));
}

TEST_CASE("an unknown key is named, with the closest known key") {
  std::string msg = parse_error(R"({"log_levle": "debug"})");
  CHECK_THAT(msg, Catch::StartsWith("/home/a/.cl/config.json: unknown key 'log_levle'") &&
                      Catch::Contains("did you mean 'log_level'?"));
  std::string far = parse_error(R"({"completely_different": 1})");
  CHECK_THAT(far, Catch::Contains("unknown key 'completely_different'") && !Catch::Contains("did you mean"));
}

TEST_CASE("bad values are named with the key, the value and what was expected") {
  struct Case {
    const char* json;
    std::vector<const char*> expect;
  };
  const Case cases[] = {
      {R"({"election_timeout": "5x"})",
       {"key 'election_timeout'", "invalid duration '5x'", "unknown unit 'x'"}},
      {R"({"election_timeout": 1000})",
       {"key 'election_timeout'", "expected a duration", "got an integer '1000'"}},
      {R"({"election_timeout": "1ms"})",
       {"key 'election_timeout'", "'1ms' is out of range", "from 10ms to 10m"}},
      {R"({"voters_max": 0})", {"key 'voters_max'", "0 is out of range", "expected an integer from 1 to 15"}},
      {R"({"voters_max": 99})", {"key 'voters_max'", "99 is out of range"}},
      {R"({"voters_max": 2.5})", {"key 'voters_max'", "expected an integer", "2.5"}},
      {R"({"voters_max": "3"})", {"key 'voters_max'", "expected an integer, got a string '\"3\"'"}},
      {R"({"leave_on_shutdown": "yes"})", {"key 'leave_on_shutdown'", "expected true or false", "yes"}},
      {R"({"storage_reserve": "10XB"})", {"key 'storage_reserve'", "invalid size '10XB'", "unknown unit"}},
      {R"({"storage_reserve": -5})", {"key 'storage_reserve'", "expected a size", "-5"}},
      {R"({"log_level": "loud"})",
       {"key 'log_level'", "'loud' is not one of trace, debug, info, warn, error or off"}},
      {R"({"profile": "moon"})", {"key 'profile'", "'moon' is not one of lan or wan"}},
      {R"({"listen": "9096"})", {"key 'listen'", "invalid address '9096'", "host:port"}},
      {R"({"listen": "0.0.0.0:70000"})", {"key 'listen'", "invalid address"}},
      {R"({"ipfs_api": "127.0.0.1:5001"})", {"key 'ipfs_api'", "invalid url '127.0.0.1:5001'"}},
      {R"({"tags": {"group": 1}})", {"key 'tags'", "the value of 'group' is not a string"}},
      {R"({"tags": ["a"]})", {"key 'tags'", "expected an object"}},
      {R"({"allocate_by": "freespace"})", {"key 'allocate_by'", "expected an array of strings"}},
      {R"({"allocate_by": ["freespace", 3]})", {"key 'allocate_by'", "item 2 is an integer"}},
      {R"({"replication_factor_min": 0})",
       {"key 'replication_factor_min'", "0 is not allowed", "-1 or from 1"}},
      {R"({"replication_factor_min": 3, "replication_factor_max": 2})",
       {"replication_factor_min (3) is larger"}},
      {R"({"replication_factor_max": 2})", {"replication_factor_max must be -1 too"}},
      {R"({"election_timeout": "400ms"})", {"must be at least 5 times heartbeat_interval (100ms)"}},
      {R"({"log_level": "info",})", {"not valid JSON at byte"}},
      {R"(["log_level"])", {"expected a JSON object"}},
  };
  for (const auto& c : cases) {
    INFO(c.json);
    std::string msg = parse_error(c.json);
    CHECK_THAT(msg, Catch::StartsWith("/home/a/.cl/config.json: "));
    for (const char* part : c.expect) CHECK_THAT(msg, Catch::Contains(part));
  }
}

TEST_CASE("bad environment values name the variable") {
  struct Case {
    const char* var;
    const char* value;
    const char* expect;
  };
  const Case cases[] = {
      {"CL_ELECTION_TIMEOUT", "5x", "invalid duration '5x'"},
      {"CL_VOTERS_MAX", "many", "expected an integer from 1 to 15, got 'many'"},
      {"CL_VOTERS_MAX", "0", "0 is out of range"},
      {"CL_LEAVE_ON_SHUTDOWN", "yes", "expected true, false, 1 or 0, got 'yes'"},
      {"CL_STORAGE_RESERVE", "lots", "invalid size 'lots'"},
      {"CL_TAGS", "group", "expected name=value pairs"},
      {"CL_LOG_LEVEL", "loud", "'loud' is not one of"},
  };
  for (const auto& c : cases) {
    INFO(c.var << "=" << c.value);
    std::string msg = parse_error("{}", env_from_map({{c.var, c.value}}));
    CHECK_THAT(msg, Catch::StartsWith(std::string("environment variable ") + c.var + ": ") &&
                        Catch::Contains(c.expect));
  }
}

TEST_CASE("load reads the file, names it in errors, and write_default writes the defaults") {
  testing::TempDir dir;
  std::string path = dir.path() + "/config.json";
  auto missing = config::load(path, kNoEnv);
  CHECK(missing.code() == util::Code::not_found);
  CHECK_THAT(missing.status().message(), Catch::Contains(path) && Catch::Contains("cl-raftd init"));

  REQUIRE(config::write_default(path, false).is_ok());
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0644);
  auto loaded = config::load(path, kNoEnv);
  REQUIRE(loaded.is_ok());
  CHECK(*loaded == config::defaults());
  CHECK(config::write_default(path, false).code() == util::Code::already_exists);

  REQUIRE(util::write_file_atomic(path, R"({"pin_timeout": "soon"})", 0644, true).is_ok());
  auto bad = config::load(path, kNoEnv);
  REQUIRE_FALSE(bad.is_ok());
  CHECK_THAT(bad.status().message(),
             Catch::StartsWith(path + ": key 'pin_timeout': invalid duration 'soon'"));
}
