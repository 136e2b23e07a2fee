#include <catch2/catch.hpp>

#include "util/base58.hpp"
#include "util/bytes.hpp"

using namespace cl::util;

TEST_CASE("base58btc encodes known vectors and decodes them back") {
  // From the multibase test vectors (base58btc rows, without the 'z' prefix) and the
  // draft-msporny-base58 examples.
  struct Case {
    const char* bytes;
    const char* text;
  };
  const Case cases[] = {
      {"", ""},
      {"Hello World!", "2NEpo7TZRRrLZSi2U"},
      {"The quick brown fox jumps over the lazy dog.",
       "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z"},
      {"yes mani !", "7paNL19xttacUY"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(base58btc_encode(c.bytes) == c.text);
    auto back = base58btc_decode(c.text);
    REQUIRE(back.ok());
    CHECK(*back == c.bytes);
  }
}

TEST_CASE("base58btc keeps leading zero bytes as leading '1's") {
  Bytes bytes = *from_hex("00000028");
  CHECK(base58btc_encode(bytes) == "111h");
  CHECK(*base58btc_decode("111h") == bytes);
  CHECK(base58btc_encode(Bytes(3, '\0')) == "111");
  CHECK(*base58btc_decode("111") == Bytes(3, '\0'));
}

TEST_CASE("base58btc round-trips every length of a byte pattern") {
  Bytes bytes;
  for (int n = 0; n < 80; ++n) {
    INFO(n);
    auto back = base58btc_decode(base58btc_encode(bytes));
    REQUIRE(back.ok());
    CHECK(*back == bytes);
    bytes += static_cast<char>((n * 37 + (n % 3 == 0 ? 0 : 200)) & 0xff);
  }
}

TEST_CASE("base58btc refuses characters outside the alphabet and names them") {
  for (const char* bad : {"0abc", "abcO", "abIc", "ab lc", "l", "\xc3\xa9"}) {
    INFO(bad);
    auto r = base58btc_decode(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.code() == Code::invalid_argument);
    CHECK_THAT(r.status().message(), Catch::Contains("not in the base58btc alphabet"));
  }
  CHECK_THAT(base58btc_decode("ab0c").status().message(), Catch::Contains("'0' at offset 2"));
  CHECK_FALSE(base58btc_decode(std::string(kBase58TextMax + 1, '2')).ok());
}
