#include <catch2/catch.hpp>

#include "util/duration.hpp"

using cl::util::format_duration;
using cl::util::Millis;
using cl::util::parse_duration;

TEST_CASE("durations people write parse to milliseconds") {
  struct Case {
    const char* text;
    long long ms;
  };
  const Case cases[] = {
      {"500ms", 500},      {"90s", 90'000},        {"15m", 900'000},
      {"24h", 86'400'000}, {"7d", 604'800'000},    {"0", 0},
      {"0s", 0},           {"1h30m", 5'400'000},   {"1.5s", 1500},
      {"0.25s", 250},      {"2d12h", 216'000'000}, {"1m30s", 90'000},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto r = parse_duration(c.text);
    REQUIRE(r.is_ok());
    CHECK(r->count() == c.ms);
  }
}

TEST_CASE("bad durations are errors that name the text") {
  const char* bad[] = {"", "15x", "ms", "10", "-5s", "1.s", "1.0001s", "s5", "5 s", "99999999999999999999d"};
  for (const char* text : bad) {
    INFO(text);
    auto r = parse_duration(text);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.code() == cl::util::Code::invalid_argument);
    CHECK_THAT(r.status().message(), Catch::Contains(std::string("'") + text + "'"));
  }
  CHECK_THAT(parse_duration("15x").status().message(), Catch::Contains("unknown unit 'x'"));
}

TEST_CASE("format_duration prints the shortest exact form and round-trips") {
  CHECK(format_duration(Millis(500)) == "500ms");
  CHECK(format_duration(Millis(90'000)) == "1m30s");
  CHECK(format_duration(Millis(900'000)) == "15m");
  CHECK(format_duration(Millis(86'400'000)) == "1d");
  CHECK(format_duration(Millis(0)) == "0s");
  for (long long ms : {1LL, 999LL, 1001LL, 61'001LL, 90'061'001LL, 604'800'000LL}) {
    auto back = parse_duration(format_duration(Millis(ms)));
    REQUIRE(back.is_ok());
    CHECK(back->count() == ms);
  }
}
