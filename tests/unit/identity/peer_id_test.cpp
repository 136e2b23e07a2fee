#include <catch2/catch.hpp>
#include <set>

#include "cid/multibase.hpp"
#include "identity/peer_id.hpp"
#include "util/bytes.hpp"

using namespace cl;
using identity::KeyPair;
using identity::PeerId;
using identity::PublicKey;
using util::from_hex;

namespace {
// Real identities from real nodes: the private key's 32-byte seed (the first half of the 64-byte
// Data of libp2p's PrivateKey protobuf) and the peer ID the node reported.
struct Known {
  const char* seed_hex;
  const char* public_hex;
  const char* peer_id;
};
const Known kKnown[] = {
    // js-libp2p examples (webrtc): {"id": "12D3KooWCuo3...", "pubKey": "CAESIC33FqCN...",
    // "privKey": "CAESQAG6Ld7e..."}, made with `peer-id --type=ed25519`.
    {"01ba2ddedebfa9e70f414a3ecd37dff8f4790a635a2961c67cc9d82093a93d3e",
     "2df716a08d95afecdd735bf093b5c055dca809ada7c1447744979b3d6b05d7f2",
     "12D3KooWCuo3MdXfMgaqpLC5Houi1TRoFqgK9aoxok4NK5udMu8m"},
    // A Kubo config's Identity {"PeerID": "12D3KooWABPg...", "PrivKey": "CAESQEU1Nzu/..."}.
    {"4535373bbfc631e57c4c8d2d8822d00fc0173f9d2427ea297afb6f7c187e264e",
     "0562ea20e983ea7624c17123c3120c940872e7f24ac6907cdf7cec1000e06666",
     "12D3KooWABPgr9ouzhoDtYRvBpa8vU31GX27ktC4vJwe5xCn9AVT"},
    // A storetheindex config's Identity {"PeerID": "12D3KooWJZSP...", "PrivKey": "CAESQKP70L69..."}.
    {"a3fbd0bebd43b027f7bc4f1fa8373e04b2a70b3a98761c019efbb7da42d9ad3f",
     "81e63e2a1de0692cdf3ea1e94b28f2ec57778503f0794f8135b861287487ac9c",
     "12D3KooWJZSPZN7cudwBJ6UdTm8V5FmgWhAd2oVa8qFagU7bZSm1"},
};
}  // namespace

TEST_CASE("peer ids of real nodes: seed -> public key -> peer id, and back") {
  for (const auto& k : kKnown) {
    INFO(k.peer_id);
    auto key = KeyPair::from_seed(*from_hex(k.seed_hex));
    REQUIRE(key.is_ok());
    CHECK(util::to_hex(key->public_key().raw()) == k.public_hex);
    PeerId id = PeerId::from_public_key(key->public_key());
    CHECK(id.to_string() == k.peer_id);
    CHECK(util::to_hex(id.bytes()) == std::string("002408011220") + k.public_hex);
    auto parsed = PeerId::parse(k.peer_id);
    REQUIRE(parsed.is_ok());
    CHECK(*parsed == id);
    CHECK(parsed->public_key() == key->public_key());
  }
}

TEST_CASE("the public key protobuf of a real node gives its peer id") {
  // "pubKey": "CAESIC33FqCNla/s3XNb8JO1wFXcqAmtp8FEd0SXmz1rBdfy" (base64) in hex:
  auto key = PublicKey::unmarshal(
      *from_hex("080112202df716a08d95afecdd735bf093b5c055dca809ada7c1447744979b3d6b05d7f2"));
  REQUIRE(key.is_ok());
  CHECK(PeerId::from_public_key(*key).to_string() == "12D3KooWCuo3MdXfMgaqpLC5Houi1TRoFqgK9aoxok4NK5udMu8m");
}

TEST_CASE("a new key's peer id starts with 12D3KooW and parses back to the same key") {
  for (int i = 0; i < 8; ++i) {
    auto key = KeyPair::generate();
    REQUIRE(key.is_ok());
    PeerId id = PeerId::from_public_key(key->public_key());
    std::string text = id.to_string();
    INFO(text);
    CHECK_THAT(text, Catch::StartsWith("12D3KooW"));
    CHECK(text.size() == 52);
    auto back = PeerId::parse(text);
    REQUIRE(back.is_ok());
    CHECK(back->public_key() == key->public_key());
    auto from_bytes = PeerId::from_bytes(id.bytes());
    REQUIRE(from_bytes.is_ok());
    CHECK(*from_bytes == id);
  }
}

TEST_CASE("CIDv1 libp2p-key forms parse to the same peer") {
  // helia verified-fetch's test: these three name one peer.
  auto b58 = PeerId::parse("12D3KooWAsKeVQRVqBi2uzfVub7L6b7oByD1dGmorN644bEx6TyT");
  auto b36 = PeerId::parse("k51qzi5uqu5dgklmbtqcksqzdz8xl138l9lfb50dszwclp9tr85u2ae2x2uj0q");
  auto b32 = PeerId::parse("bafzaajaiaejcad45sqaz4vc7ftbzbyw5clcjhifslsklqzkqn4hcghvuqmim7qok");
  REQUIRE(b58.is_ok());
  REQUIRE(b36.is_ok());
  REQUIRE(b32.is_ok());
  CHECK(*b36 == *b58);
  CHECK(*b32 == *b58);
  CHECK(b36->to_string() == "12D3KooWAsKeVQRVqBi2uzfVub7L6b7oByD1dGmorN644bEx6TyT");
  // Kubo 0.5's changelog: `ipfs cid format -b base36` of an ed25519 IPNS key.
  auto k32 = PeerId::parse("bafzaajaiaejca4syrpdu6gdx4wsdnokxkprgzxf4wrstuc34gxw5k5jrag2so5gk");
  auto k36 = PeerId::parse("k51qzi5uqu5dj16qyiq0tajolkojyl9qdkr254920wxv7ghtuwcz593tp69z9m");
  REQUIRE(k32.is_ok());
  REQUIRE(k36.is_ok());
  CHECK(*k32 == *k36);
  // The same CID in base58btc ('z').
  std::string cid = "\x01\x72" + k32->bytes();
  auto z = PeerId::parse("z" + cid::base_encode(cid::Multibase::base58btc, cid));
  REQUIRE(z.is_ok());
  CHECK(*z == *k32);
}

TEST_CASE("peer ids that are not ed25519 libp2p peer ids are refused with a reason") {
  struct Case {
    std::string text;
    const char* reason;
  };
  // A secp256k1 key inlined the same way ("16Uiu2HAm..." form).
  util::Bytes secp = *from_hex("002508021221" + std::string(66, 'b'));
  const Case cases[] = {
      {"QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ", "hashed peer id"},  // an RSA bootstrap node
      {cid::base_encode(cid::Multibase::base58btc, secp), "secp256k1"},
      {"12D3KooWCuo3MdXfMgaqpLC5Houi1TRoFqgK9aoxok4NK5udMu8", "multihash length"},
      {"12D3KooWCuo3MdXfMgaqpLC5Houi1TRoFqgK9aoxok4NK5udMu80", "base58btc"},
      {"bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi", "not libp2p-key"},  // a dag-pb CID
      {"bafzaajaiaejcad45sqaz4vc7ftbzbyw5clcjhifslsklqzkqn4hcghvuqmim7qo", "base32"},
      {"hello", "expected a base58btc peer id"},
      {"", "empty"},
      {std::string(200, '1'), "longer than"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto r = PeerId::parse(c.text);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.code() == util::Code::invalid_argument);
    CHECK_THAT(r.status().message(), Catch::Contains(c.reason));
    if (!c.text.empty() && c.text.size() < 80) CHECK_THAT(r.status().message(), Catch::Contains(c.text));
  }
}

TEST_CASE("raft node ids are the first 8 bytes of sha-256 of the peer id bytes") {
  auto id = PeerId::parse("12D3KooWCuo3MdXfMgaqpLC5Houi1TRoFqgK9aoxok4NK5udMu8m");
  REQUIRE(id.is_ok());
  // sha256(0024080112202df716a0...d7f2) begins with these 8 bytes (`xxd -r -p | sha256sum`).
  CHECK(identity::raft_node_id(*id) == 0xa9d93e66e980aecdULL);
  std::set<std::uint64_t> seen;
  for (const auto& text : {"12D3KooWABPgr9ouzhoDtYRvBpa8vU31GX27ktC4vJwe5xCn9AVT",
                           "12D3KooWJZSPZN7cudwBJ6UdTm8V5FmgWhAd2oVa8qFagU7bZSm1",
                           "12D3KooWAsKeVQRVqBi2uzfVub7L6b7oByD1dGmorN644bEx6TyT"}) {
    auto other = PeerId::parse(text);
    REQUIRE(other.is_ok());
    std::uint64_t n = identity::raft_node_id(*other);
    CHECK(n != 0);
    CHECK(n != identity::raft_node_id(*id));
    seen.insert(n);
  }
  CHECK(seen.size() == 3);
}
