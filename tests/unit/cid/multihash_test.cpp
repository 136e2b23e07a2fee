#include <catch2/catch.hpp>

#include "cid/codec.hpp"
#include "cid/multihash.hpp"

using namespace cl;
using cid::HashFn;
using cid::Multihash;
using cid::ParseError;

TEST_CASE("multihash computes sha2 digests (FIPS 180 vectors for the empty string and 'abc')") {
  CHECK(util::to_hex(Multihash::sha2_256("").digest()) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(util::to_hex(Multihash::sha2_256("abc").digest()) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  auto sha512 = Multihash::compute(HashFn::sha2_512, "abc");
  REQUIRE(sha512.is_ok());
  CHECK(util::to_hex(sha512->digest()).substr(0, 32) == "ddaf35a193617abacc417349ae204131");
  CHECK(sha512->digest().size() == 64);
  CHECK(util::to_hex(sha512->bytes()).substr(0, 4) == "1340");
  CHECK(util::to_hex(Multihash::sha2_256("").bytes()).substr(0, 4) == "1220");
}

TEST_CASE("multihash identity copies the data up to the limit") {
  auto small = Multihash::compute(HashFn::identity, "hi\n");
  REQUIRE(small.is_ok());
  CHECK(small->bytes() == std::string("\x00\x03hi\n", 5));
  CHECK(Multihash::compute(HashFn::identity, std::string(cid::kIdentityDigestBytesMax, 'x')).is_ok());
  auto big = Multihash::compute(HashFn::identity, std::string(cid::kIdentityDigestBytesMax + 1, 'x'));
  REQUIRE_FALSE(big.is_ok());
  CHECK_THAT(big.status().message(), Catch::Contains("over the limit of 128"));
  auto blake = Multihash::compute(HashFn::blake2b_256, "x");
  REQUIRE_FALSE(blake.is_ok());
  CHECK_THAT(blake.status().message(), Catch::Contains("cannot hash with blake2b-256"));
}

TEST_CASE("multihash from_digest checks the length against the function") {
  CHECK(Multihash::from_digest(HashFn::sha2_256, std::string(32, 'a')).is_ok());
  CHECK(Multihash::from_digest(HashFn::blake2b_256, std::string(32, 'a')).is_ok());
  CHECK(Multihash::from_digest(HashFn::sha2_512, std::string(64, 'a')).is_ok());
  auto short_digest = Multihash::from_digest(HashFn::sha2_256, std::string(20, 'a'));
  REQUIRE_FALSE(short_digest.is_ok());
  CHECK_THAT(short_digest.status().message(), Catch::Contains("sha2-256 digest must be 32 bytes, not 20"));
  CHECK_FALSE(Multihash::from_digest(static_cast<HashFn>(0x1b), std::string(32, 'a')).is_ok());
}

TEST_CASE("multihash from_bytes round-trips and names each defect") {
  for (HashFn fn : {HashFn::identity, HashFn::sha2_256, HashFn::sha2_512, HashFn::blake2b_256}) {
    auto mh = Multihash::from_digest(fn, std::string(cid::hash_digest_bytes(fn).value_or(7), '\x5a'));
    REQUIRE(mh.is_ok());
    auto back = Multihash::from_bytes(mh->bytes());
    REQUIRE(back.is_ok());
    CHECK(*back == *mh);
  }
  // blake2b-256's code 0xb220 is a 3-byte varint.
  CHECK(util::to_hex(Multihash::from_digest(HashFn::blake2b_256, std::string(32, '\0'))->bytes())
            .substr(0, 8) == "a0e40220");

  struct Bad {
    std::string hex;
    ParseError reason;
  };
  const std::string d32(64, 'a');  // 32 bytes in hex
  const Bad cases[] = {
      {"", ParseError::empty},
      {"12", ParseError::truncated_varint},
      {"1220" + d32.substr(2), ParseError::truncated_digest},
      {"1220" + d32 + "00", ParseError::trailing_bytes},
      {"1b20" + d32, ParseError::unknown_hash},
      {"121f" + d32.substr(2), ParseError::digest_length},
      {"008101" + std::string(258, 'a'), ParseError::digest_too_long},
      {"9200" + std::string("20") + d32, ParseError::bad_varint},
  };
  for (const auto& c : cases) {
    CAPTURE(c.hex);
    auto bytes = util::from_hex(c.hex);
    REQUIRE(bytes.is_ok());
    ParseError reason = ParseError::none;
    auto r = Multihash::from_bytes(*bytes, &reason);
    REQUIRE_FALSE(r.is_ok());
    CHECK(reason == c.reason);
    CHECK_THAT(r.status().message(), Catch::StartsWith("invalid multihash '" + c.hex.substr(0, 80)));
  }
}

TEST_CASE("hash function and codec tables map names and codes both ways") {
  CHECK(cid::hash_fn_name(HashFn::blake2b_256) == "blake2b-256");
  CHECK(cid::hash_fn_from_name("sha2-512") == HashFn::sha2_512);
  CHECK(cid::hash_fn_from_code(0x12) == HashFn::sha2_256);
  CHECK_FALSE(cid::hash_fn_from_code(0x1b).has_value());
  CHECK_FALSE(cid::hash_digest_bytes(HashFn::identity).has_value());
  CHECK(cid::codec_name(cid::Codec::dag_json) == "dag-json");
  CHECK(cid::codec_from_code(0x0129) == cid::Codec::dag_json);
  CHECK(cid::codec_from_code(0x72) == cid::Codec::libp2p_key);
  CHECK(cid::codec_from_name("dag-pb") == cid::Codec::dag_pb);
  CHECK_FALSE(cid::codec_from_code(0x78).has_value());  // git-raw: not accepted
  CHECK_FALSE(cid::codec_from_name("git-raw").has_value());
}
