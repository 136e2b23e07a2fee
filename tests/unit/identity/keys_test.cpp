#include <catch2/catch.hpp>

#include "identity/keys.hpp"
#include "util/bytes.hpp"

using namespace cl;
using identity::KeyPair;
using identity::PublicKey;
using util::from_hex;

TEST_CASE("ed25519 signing matches RFC 8032 test 1") {
  // RFC 8032 section 7.1, TEST 1 (empty message).
  auto key =
      KeyPair::from_seed(*from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  REQUIRE(key.is_ok());
  CHECK(util::to_hex(key->public_key().raw()) ==
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  auto sig = key->sign("");
  REQUIRE(sig.is_ok());
  CHECK(util::to_hex(*sig) ==
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25b"
        "f5f0595bbe24655141438e7a100b");
  CHECK(key->public_key().verify("", *sig));
}

TEST_CASE("a signature verifies only for its message and its key") {
  auto a = KeyPair::generate();
  auto b = KeyPair::generate();
  REQUIRE(a.is_ok());
  REQUIRE(b.is_ok());
  CHECK(a->public_key() != b->public_key());
  auto sig = a->sign("cluster secret proof");
  REQUIRE(sig.is_ok());
  CHECK(sig->size() == identity::kEd25519SignatureBytes);
  CHECK(a->public_key().verify("cluster secret proof", *sig));
  CHECK_FALSE(a->public_key().verify("cluster secret proof!", *sig));
  CHECK_FALSE(b->public_key().verify("cluster secret proof", *sig));
  util::Bytes flipped = *sig;
  flipped[10] = static_cast<char>(flipped[10] ^ 1);
  CHECK_FALSE(a->public_key().verify("cluster secret proof", flipped));
  CHECK_FALSE(a->public_key().verify("cluster secret proof", sig->substr(0, 63)));
}

TEST_CASE("a key pair survives PEM and seed round trips") {
  auto key = KeyPair::generate();
  REQUIRE(key.is_ok());
  auto pem = key->to_pem();
  REQUIRE(pem.is_ok());
  CHECK_THAT(*pem, Catch::StartsWith("-----BEGIN PRIVATE KEY-----\n"));
  auto back = KeyPair::from_pem(*pem);
  REQUIRE(back.is_ok());
  CHECK(back->public_key() == key->public_key());
  CHECK(back->seed() == key->seed());
  auto again = KeyPair::from_seed(key->seed());
  REQUIRE(again.is_ok());
  CHECK(again->public_key() == key->public_key());
  // The OpenSSL key is usable as is, e.g. for TLS.
  auto pub = PublicKey::from_evp(key->evp());
  REQUIRE(pub.is_ok());
  CHECK(*pub == key->public_key());
}

TEST_CASE("from_pem refuses what is not an unencrypted ed25519 key, without echoing it") {
  auto garbage = KeyPair::from_pem("not a key at all");
  REQUIRE_FALSE(garbage.is_ok());
  CHECK(garbage.code() == util::Code::corrupt);
  CHECK_THAT(garbage.status().message(), !Catch::Contains("not a key at all"));
  // An X25519 key (openssl genpkey -algorithm x25519) parses as PEM but is not ed25519.
  const char* x25519 =
      "-----BEGIN PRIVATE KEY-----\n"
      "MC4CAQAwBQYDK2VuBCIEINjZzFuUzDbHlidDwm+SV86Yiq3vNqluk/NfuCcus29+\n"
      "-----END PRIVATE KEY-----\n";
  auto wrong = KeyPair::from_pem(x25519);
  REQUIRE_FALSE(wrong.is_ok());
  CHECK(wrong.code() == util::Code::corrupt);
  CHECK_THAT(wrong.status().message(), Catch::Contains("not ed25519"));
}

TEST_CASE("public keys marshal to libp2p's protobuf and refuse other key types") {
  auto key =
      PublicKey::from_raw(*from_hex("2df716a08d95afecdd735bf093b5c055dca809ada7c1447744979b3d6b05d7f2"));
  REQUIRE(key.is_ok());
  CHECK(util::to_hex(key->marshal()) ==
        "080112202df716a08d95afecdd735bf093b5c055dca809ada7c1447744979b3d6b05d7f2");
  auto back = PublicKey::unmarshal(key->marshal());
  REQUIRE(back.is_ok());
  CHECK(*back == *key);
  // Type 2 = secp256k1 (33-byte compressed key).
  auto secp = PublicKey::unmarshal(*from_hex("08021221" + std::string(66, 'a')));
  REQUIRE_FALSE(secp.is_ok());
  CHECK_THAT(secp.status().message(), Catch::Contains("secp256k1"));
  CHECK_FALSE(PublicKey::unmarshal(key->marshal().substr(0, 35)).is_ok());
  CHECK_FALSE(PublicKey::from_raw("short").is_ok());
  CHECK_FALSE(KeyPair::from_seed("short").is_ok());
}
