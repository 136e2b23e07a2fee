// Multibase against the multiformats/multibase test vectors (tests/*.csv): "yes mani !" with
// zero, one and two leading zero bytes, and the case-insensitivity vectors ("hello world").
#include <catch2/catch.hpp>

#include "cid/multibase.hpp"
#include "util/rng.hpp"

using namespace cl;
using cid::Multibase;

namespace {
struct Vector {
  Multibase base;
  const char* text;
};

void check_vectors(const std::string& bytes, std::initializer_list<Vector> vectors) {
  for (const auto& v : vectors) {
    CAPTURE(v.text);
    CHECK(cid::multibase_encode(v.base, bytes) == v.text);
    cid::ParseError reason = cid::ParseError::empty;
    auto decoded = cid::multibase_decode(v.text, &reason);
    REQUIRE(decoded.is_ok());
    CHECK(*decoded == bytes);
    CHECK(reason == cid::ParseError::none);
  }
}
}  // namespace

TEST_CASE("multibase encodes and decodes the spec's basic vectors") {
  check_vectors("yes mani !", {
                                  {Multibase::base16, "f796573206d616e692021"},
                                  {Multibase::base16upper, "F796573206D616E692021"},
                                  {Multibase::base32, "bpfsxgidnmfxgsibb"},
                                  {Multibase::base32upper, "BPFSXGIDNMFXGSIBB"},
                                  {Multibase::base36, "k2lcpzo5yikidynfl"},
                                  {Multibase::base36upper, "K2LCPZO5YIKIDYNFL"},
                                  {Multibase::base58btc, "z7paNL19xttacUY"},
                                  {Multibase::base64, "meWVzIG1hbmkgIQ"},
                                  {Multibase::base64url, "ueWVzIG1hbmkgIQ"},
                              });
}

TEST_CASE("multibase keeps leading zero bytes (spec vectors)") {
  check_vectors(std::string("\0yes mani !", 11), {
                                                     {Multibase::base16, "f00796573206d616e692021"},
                                                     {Multibase::base32, "bab4wk4zanvqw42jaee"},
                                                     {Multibase::base32upper, "BAB4WK4ZANVQW42JAEE"},
                                                     {Multibase::base36, "k02lcpzo5yikidynfl"},
                                                     {Multibase::base58btc, "z17paNL19xttacUY"},
                                                     {Multibase::base64, "mAHllcyBtYW5pICE"},
                                                     {Multibase::base64url, "uAHllcyBtYW5pICE"},
                                                 });
  check_vectors(std::string("\0\0yes mani !", 12), {
                                                       {Multibase::base16, "f0000796573206d616e692021"},
                                                       {Multibase::base32, "baaahszltebwwc3tjeaqq"},
                                                       {Multibase::base36, "k002lcpzo5yikidynfl"},
                                                       {Multibase::base36upper, "K002LCPZO5YIKIDYNFL"},
                                                       {Multibase::base58btc, "z117paNL19xttacUY"},
                                                       {Multibase::base64, "mAAB5ZXMgbWFuaSAh"},
                                                       {Multibase::base64url, "uAAB5ZXMgbWFuaSAh"},
                                                   });
}

TEST_CASE("base16, base32 and base36 decode whatever their case (spec vectors)") {
  for (const char* text : {"f68656c6c6f20776F726C64", "F68656c6c6f20776F726C64", "bnbswy3dpeB3W64TMMQ",
                           "Bnbswy3dpeB3W64TMMQ", "kfUvrsIvVnfRbjWaJo", "KfUVrSIVVnFRbJWAJo"}) {
    CAPTURE(text);
    auto decoded = cid::multibase_decode(text);
    REQUIRE(decoded.is_ok());
    CHECK(*decoded == "hello world");
  }
}

TEST_CASE("multibase rejects bad input with a distinct reason") {
  struct Bad {
    const char* text;
    cid::ParseError reason;
    const char* says;
  };
  const Bad cases[] = {
      {"", cid::ParseError::empty, "empty"},
      {"yes", cid::ParseError::unknown_multibase, "prefix 'y'"},
      {"z0", cid::ParseError::bad_character, "'0' at offset 1 for base58btc"},
      {"zO", cid::ParseError::bad_character, "'O'"},
      {"zI", cid::ParseError::bad_character, "'I'"},
      {"zl", cid::ParseError::bad_character, "'l'"},
      {"f0g", cid::ParseError::bad_character, "'g' at offset 2 for base16"},
      {"f012", cid::ParseError::bad_encoding, "3 characters of base16"},
      {"b1", cid::ParseError::bad_character, "'1'"},
      {"ba", cid::ParseError::bad_encoding, "1 characters of base32"},
      {"baaa", cid::ParseError::bad_encoding, "3 characters"},
      {"bab", cid::ParseError::bad_encoding, "non-zero unused bits"},
      {"bpfsxgidnmfxgsibb=", cid::ParseError::bad_character, "padding is not allowed"},
      {"MeWVzIG1hbmkgIQ==", cid::ParseError::unknown_multibase, "'M'"},
      {"meWVzIG1hbmkgIQ==", cid::ParseError::bad_character, "'='"},
      {"mA", cid::ParseError::bad_encoding, "1 characters of base64"},
      {"mAB", cid::ParseError::bad_encoding, "non-zero unused bits"},
      {"ma-b", cid::ParseError::bad_character, "'-' at offset 2 for base64"},
      {"ua+b", cid::ParseError::bad_character, "'+' at offset 2 for base64url"},
      {"k2lcp zo", cid::ParseError::bad_character, "trim whitespace"},
  };
  const std::string too_long = "z" + std::string(cid::kMultibaseTextCharsMax, '2');
  cid::ParseError reason = cid::ParseError::none;
  CHECK_FALSE(cid::multibase_decode(too_long, &reason).is_ok());
  CHECK(reason == cid::ParseError::too_long);
  for (const auto& c : cases) {
    CAPTURE(c.text);
    auto r = cid::multibase_decode(c.text, &reason);
    REQUIRE_FALSE(r.is_ok());
    CHECK(reason == c.reason);
    CHECK(r.code() == util::Code::invalid_argument);
    CHECK_THAT(r.status().message(), Catch::StartsWith("invalid multibase " + util::quote(c.text) + ": "));
    CHECK_THAT(r.status().message(), Catch::Contains(c.says));
  }
}

TEST_CASE("every base round-trips random bytes and only its canonical text") {
  util::Rng rng(20240611);
  const Multibase all[] = {Multibase::base16,      Multibase::base16upper, Multibase::base32,
                           Multibase::base32upper, Multibase::base36,      Multibase::base36upper,
                           Multibase::base58btc,   Multibase::base64,      Multibase::base64url};
  for (int i = 0; i < 2000; ++i) {
    std::string bytes(rng.below(48), '\0');
    for (auto& b : bytes) b = static_cast<char>(rng.chance(1, 4) ? 0 : rng.below(256));
    for (Multibase base : all) {
      std::string text = cid::multibase_encode(base, bytes);
      INFO("seed 20240611, iteration " << i << ", " << cid::multibase_name(base) << " " << text);
      auto back = cid::multibase_decode(text);
      REQUIRE(back.is_ok());
      REQUIRE(*back == bytes);
    }
  }
}

TEST_CASE("multibase names and prefixes map both ways") {
  for (char prefix : std::string("fFbBkKzmu")) {
    auto base = cid::multibase_from_prefix(prefix);
    REQUIRE(base.has_value());
    CHECK(cid::multibase_prefix(*base) == prefix);
    CHECK(cid::multibase_from_name(cid::multibase_name(*base)) == base);
  }
  CHECK(cid::multibase_name(Multibase::base58btc) == "base58btc");
  CHECK(cid::multibase_name(Multibase::base32) == "base32");
  CHECK_FALSE(cid::multibase_from_prefix('Q').has_value());
  CHECK_FALSE(cid::multibase_from_prefix('v').has_value());  // base32hex: not supported
  CHECK_FALSE(cid::multibase_from_name("base32hex").has_value());
}
