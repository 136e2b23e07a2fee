#include <catch2/catch.hpp>

#include "util/time.hpp"

using namespace cl::util;
using std::chrono::milliseconds;

TEST_CASE("RFC 3339 timestamps format in UTC and parse back") {
  CHECK(format_rfc3339(milliseconds(0)) == "1970-01-01T00:00:00Z");
  CHECK(format_rfc3339(milliseconds(1'700'000'000'000)) == "2023-11-14T22:13:20Z");
  CHECK(format_rfc3339(milliseconds(1'700'000'000'250)) == "2023-11-14T22:13:20.250Z");
  CHECK(format_rfc3339(milliseconds(951'782'400'000)) == "2000-02-29T00:00:00Z");
  for (long long ms : {0LL, 1LL, 951'782'400'000LL, 1'700'000'000'250LL, 4'102'444'799'999LL}) {
    auto back = parse_rfc3339(format_rfc3339(milliseconds(ms)));
    REQUIRE(back.is_ok());
    CHECK(back->count() == ms);
  }
}

TEST_CASE("zone offsets and fractions are honoured") {
  CHECK(parse_rfc3339("2023-11-14T23:13:20+01:00")->count() == 1'700'000'000'000);
  CHECK(parse_rfc3339("2023-11-14T21:13:20-01:00")->count() == 1'700'000'000'000);
  CHECK(parse_rfc3339("2023-11-14T22:13:20.123456789Z")->count() == 1'700'000'000'123);
  CHECK(parse_rfc3339("2023-11-14 22:13:20z")->count() == 1'700'000'000'000);
}

TEST_CASE("bad timestamps name the text") {
  for (const char* bad :
       {"", "2023-11-14", "2023-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2023-11-14T22:13:20",
        "2023-11-14T22:13:20Zjunk", "2023-11-14T25:00:00Z", "2023-11-14T22:13:20.Z"}) {
    INFO(bad);
    auto r = parse_rfc3339(bad);
    REQUIRE_FALSE(r.is_ok());
    CHECK_THAT(r.status().message(), Catch::Contains(std::string("'") + bad + "'"));
  }
}
