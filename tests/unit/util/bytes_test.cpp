#include <catch2/catch.hpp>

#include "util/bytes.hpp"

using namespace cl::util;

TEST_CASE("hex round-trips and rejects bad digits") {
  CHECK(to_hex(std::string("\x00\xff\x10", 3)) == "00ff10");
  auto r = from_hex("00FF10");
  REQUIRE(r.is_ok());
  CHECK(*r == std::string("\x00\xff\x10", 3));
  CHECK_FALSE(from_hex("abc").is_ok());
  auto bad = from_hex("zz");
  REQUIRE_FALSE(bad.is_ok());
  CHECK_THAT(bad.status().message(), Catch::Contains("'zz'"));
}

TEST_CASE("varints follow the multiformats unsigned-varint spec") {
  struct Case {
    std::uint64_t v;
    std::string bytes;
  };
  const Case cases[] = {
      {0, std::string("\x00", 1)},
      {1, "\x01"},
      {127, "\x7f"},
      {128, "\x80\x01"},
      {255, "\xff\x01"},
      {300, "\xac\x02"},
      {16384, std::string("\x80\x80\x01", 3)},
  };
  for (const auto& c : cases) {
    Bytes out;
    put_uvarint(out, c.v);
    CHECK(out == c.bytes);
    std::size_t pos = 0;
    auto back = get_uvarint(out, pos);
    REQUIRE(back.has_value());
    CHECK(*back == c.v);
    CHECK(pos == out.size());
  }
  std::size_t pos = 0;
  CHECK_FALSE(get_uvarint("\x80", pos).has_value());  // truncated
  pos = 0;
  CHECK_FALSE(get_uvarint(std::string("\x80\x00", 2), pos).has_value());  // not minimal
  pos = 0;
  CHECK_FALSE(get_uvarint(std::string(10, '\xff'), pos).has_value());  // too long
  CHECK(pos == 0);
}
