#include <catch2/catch.hpp>

#include "util/size.hpp"

using namespace cl::util;

TEST_CASE("sizes people write parse to bytes") {
  struct Case {
    const char* text;
    std::uint64_t bytes;
  };
  const Case cases[] = {
      {"0", 0},
      {"512", 512},
      {"0B", 0},
      {"10GB", 10'000'000'000ULL},
      {"10gb", 10'000'000'000ULL},
      {"512MiB", 536'870'912ULL},
      {"4 KiB", 4096},
      {"1kB", 1000},
      {"1KB", 1000},
      {"1.5GB", 1'500'000'000ULL},
      {"0.5KiB", 512},
      {"2TiB", 2'199'023'255'552ULL},
      {"1PB", 1'000'000'000'000'000ULL},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto r = parse_size(c.text);
    REQUIRE(r.is_ok());
    CHECK(*r == c.bytes);
  }
  CHECK(*parse_size("18446744073709551615") == 18'446'744'073'709'551'615ULL);
  CHECK(*parse_size("15EiB") == 15ULL << 60);
}

TEST_CASE("bad sizes are errors that name the text") {
  const char* bad[] = {"",       "GB",       "10XB",   "-1GB",  "1.GB",
                       "0.3B",   "1.0001kB", "10  GB", "16EiB", "18446744073709551616",
                       "10 GB ", "1e9"};
  for (const char* text : bad) {
    INFO(text);
    auto r = parse_size(text);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.code() == Code::invalid_argument);
    CHECK_THAT(r.status().message(), Catch::Contains(std::string("'") + text + "'"));
  }
  CHECK_THAT(parse_size("10XB").status().message(), Catch::Contains("unknown unit 'XB'"));
  CHECK_THAT(parse_size("16EiB").status().message(), Catch::Contains("too large"));
}

TEST_CASE("format_size prints the largest exact unit and round-trips") {
  CHECK(format_size(0) == "0B");
  CHECK(format_size(1234) == "1234B");
  CHECK(format_size(10'000'000'000ULL) == "10GB");
  CHECK(format_size(536'870'912ULL) == "512MiB");
  CHECK(format_size(1000) == "1kB");
  CHECK(format_size(1024) == "1KiB");
  for (std::uint64_t n : {1ULL, 999ULL, 1001ULL, 1'048'576'000ULL, 123'456'789'012ULL, ~0ULL}) {
    INFO(n);
    auto back = parse_size(format_size(n));
    REQUIRE(back.is_ok());
    CHECK(*back == n);
  }
}
