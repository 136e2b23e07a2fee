// Cid's value semantics: identity by bytes, v0/v1, printing in other bases, paths, construction.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <sstream>
#include <unordered_set>

#include "cid/cid.hpp"

using namespace cl;
using cid::Cid;
using cid::Codec;
using cid::HashFn;
using cid::Multibase;
using cid::Multihash;
using cid::ParseError;

namespace {
constexpr const char* kDocs = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
constexpr const char* kDocsV0 = "QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR";
constexpr const char* kHelloV0 = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
constexpr const char* kHelloV1 = "bafybeicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mby";

Cid must_parse(std::string_view text) {
  auto r = Cid::parse(text);
  INFO(text << ": " << r.status().to_string());
  REQUIRE(r.is_ok());
  return *r;
}
}  // namespace

TEST_CASE("a CIDv1 is the same Cid in every base") {
  Cid docs = must_parse(kDocs);
  const Multibase all[] = {Multibase::base16,      Multibase::base16upper, Multibase::base32,
                           Multibase::base32upper, Multibase::base36,      Multibase::base36upper,
                           Multibase::base58btc,   Multibase::base64,      Multibase::base64url};
  std::set<Cid> ordered;
  std::unordered_set<Cid> hashed;
  for (Multibase base : all) {
    std::string text = docs.to_string(base);
    CAPTURE(text);
    CHECK(text[0] == cid::multibase_prefix(base));
    Cid again = must_parse(text);
    CHECK(again == docs);
    CHECK(std::hash<Cid>{}(again) == std::hash<Cid>{}(docs));
    ordered.insert(again);
    hashed.insert(again);
  }
  CHECK(ordered.size() == 1);
  CHECK(hashed.size() == 1);
  CHECK(docs.to_string(Multibase::base58btc) == "zdj7Wic6KcJAfWz1c9o4M6kq9Lwd5BfbxkVafnrojaaGiSFxM");
  CHECK(docs.to_string(Multibase::base36) == "k2jmtxw8rjh1z69c6not3wtdxb0u3urbzhyll1t9jg6ox26dhi5sfi1m");
}

TEST_CASE("a CIDv0 and its CIDv1 differ by bytes but share the multihash") {
  Cid v0 = must_parse(kDocsV0);
  Cid v1 = must_parse(kDocs);
  CHECK(v0 != v1);
  CHECK(cid::same_multihash(v0, v1));
  CHECK(v0.to_v1() == v1);
  CHECK(v1.to_v1() == v1);
  CHECK(v0.bytes().size() == 34);
  CHECK(v0.bytes() == v0.multihash_bytes());
  CHECK(util::to_hex(v0.bytes()).substr(0, 4) == "1220");
  CHECK(util::to_hex(v1.bytes()).substr(0, 8) == "01701220");
  CHECK(v1.multihash_bytes() == v0.bytes());
  CHECK(v0.digest() == v1.digest());
  CHECK(v0.multihash() == v1.multihash());

  Cid hello = must_parse(kHelloV0);
  CHECK(hello.to_v1().to_string() == kHelloV1);
  CHECK(hello.to_string(Multibase::base58btc) == kHelloV0);  // v0 stays "Qm..." in base58btc
  CHECK(hello.to_string(Multibase::base32) == kHelloV1);     // other bases print the v1
  CHECK(hello.to_v1().to_string(Multibase::base58btc) == "zdj7WaCPMsy3FP2whSwpFXHjDEaTVmjnddYSn5W2Gdn4aEZFj");

  // A raw CID of the same digest names other bytes' block: not the same Cid, same multihash.
  Cid raw = Cid::v1(Codec::raw, v0.multihash());
  CHECK(raw != v1);
  CHECK(cid::same_multihash(raw, v0));
  CHECK_FALSE(cid::same_multihash(v0, hello));
}

TEST_CASE("CIDs built from data match independent implementations") {
  // js-ipfs's blockstore test: put([1, 2, 3]) -> zb2rh... (raw, sha2-256).
  CHECK(Cid::v1(Codec::raw, Multihash::sha2_256(std::string("\x01\x02\x03", 3))) ==
        must_parse("zb2rhWtC5SY6zV1y2SVN119ofpxsbEtpwiqSoK77bWVzHqeWU"));
  // Kubo's `ipfs add --cid-version 1` of a file holding "Hello IPFS\n" (small files are raw).
  CHECK(Cid::v1(Codec::raw, Multihash::sha2_256("Hello IPFS\n")).to_string() ==
        "bafkreidfdrlkeq4m4xnxuyx6iae76fdm4wgl5d4xzsb77ixhyqwumhz244");
  // The identity CID of no bytes.
  CHECK(Cid::v1(Codec::raw, *Multihash::compute(HashFn::identity, "")).to_string() == "bafkqaaa");
  // A peer ID is the base58btc multihash that its libp2p-key CID carries.
  Cid key = must_parse("k51qzi5uqu5dhdmj65s7o239pk7w2knayz61k30js9t66wd6h82yw6iinitcuz");
  util::Bytes peer_multihash;
  REQUIRE_FALSE(cid::base_decode(Multibase::base58btc, "12D3KooWD3bfmNbuuuVCYwkjnFt3ukm3qaB3hDED3peHHXawvRAi",
                                 peer_multihash));
  CHECK(key.multihash_bytes() == peer_multihash);
  CHECK(key.codec() == Codec::libp2p_key);
  CHECK(key.to_string(Multibase::base36) == "k51qzi5uqu5dhdmj65s7o239pk7w2knayz61k30js9t66wd6h82yw6iinitcuz");
}

TEST_CASE("Cid::v0 and Cid::v1 construct valid CIDs") {
  Multihash mh = Multihash::sha2_256("some block");
  auto v0 = Cid::v0(mh);
  REQUIRE(v0.is_ok());
  CHECK(v0->version() == 0);
  CHECK(v0->codec() == Codec::dag_pb);
  CHECK(v0->multihash() == mh);
  CHECK(v0->to_string().substr(0, 2) == "Qm");
  CHECK(v0->to_string().size() == 46);
  auto bad = Cid::v0(*Multihash::compute(HashFn::sha2_512, "x"));
  REQUIRE_FALSE(bad.is_ok());
  CHECK_THAT(bad.status().message(), Catch::Contains("needs a sha2-256 multihash, not sha2-512"));
  for (Codec codec : {Codec::raw, Codec::dag_pb, Codec::dag_cbor, Codec::libp2p_key, Codec::dag_json}) {
    Cid v1 = Cid::v1(codec, mh);
    CHECK(v1.version() == 1);
    CHECK(v1.codec() == codec);
    CHECK(must_parse(v1.to_string()) == v1);
  }
}

TEST_CASE("CIDs order by bytes and the undefined Cid comes first") {
  std::vector<Cid> cids = {must_parse(kHelloV1), must_parse(kDocsV0), Cid(), must_parse(kDocs),
                           must_parse("bafkqaaa")};
  std::sort(cids.begin(), cids.end());
  for (std::size_t i = 1; i < cids.size(); ++i) CHECK(cids[i - 1].bytes() < cids[i].bytes());
  CHECK_FALSE(cids[0].is_defined());
  CHECK(cids[0].to_string().empty());
  CHECK(cids[0] == Cid());
  CHECK(cids[1].to_string() == "bafkqaaa");   // 01 55 ...
  CHECK(cids.back().to_string() == kDocsV0);  // 12 20 ...
  std::ostringstream out;
  out << cids.back();
  CHECK(out.str() == kDocsV0);
}

TEST_CASE("parse_ipfs_path returns the CID and the path after it") {
  auto p = cid::parse_ipfs_path(std::string("/ipfs/") + kDocs + "/wiki/Vincent_van_Gogh.html");
  REQUIRE(p.is_ok());
  CHECK(p->cid == must_parse(kDocs));
  CHECK(p->path == "/wiki/Vincent_van_Gogh.html");
  auto bare = cid::parse_ipfs_path(kHelloV0);
  REQUIRE(bare.is_ok());
  CHECK(bare->path.empty());
  auto slash = cid::parse_ipfs_path(std::string("/ipfs/") + kHelloV0 + "/");
  REQUIRE(slash.is_ok());
  CHECK(slash->path == "/");
  ParseError reason = ParseError::none;
  auto bad = cid::parse_ipfs_path("/ipfs/Qmfoo/x", &reason);
  REQUIRE_FALSE(bad.is_ok());
  CHECK(reason == ParseError::v0_length);
  CHECK_THAT(bad.status().message(), Catch::StartsWith("invalid cid '/ipfs/Qmfoo/x': "));
  // A bare CID followed by a path is not a path: the '/' is a bad character.
  CHECK_FALSE(cid::parse_ipfs_path(std::string(kDocs) + "/x", &reason).is_ok());
  CHECK(reason == ParseError::bad_character);
}

TEST_CASE("from_bytes rejects bad bytes and names them in hex") {
  struct Bad {
    std::string hex;
    ParseError reason;
  };
  const std::string d32(64, '7');
  const Bad cases[] = {
      {"", ParseError::empty},
      {"12", ParseError::v0_length},
      {"1220" + d32 + "00", ParseError::v0_length},
      {"1240" + d32 + d32, ParseError::v0_multihash},
      {"0270" + std::string("1220") + d32, ParseError::unknown_version},
      {"0155" + std::string("1220") + d32 + "01", ParseError::trailing_bytes},
  };
  for (const auto& c : cases) {
    CAPTURE(c.hex);
    ParseError reason = ParseError::none;
    auto r = Cid::from_bytes(*util::from_hex(c.hex), &reason);
    REQUIRE_FALSE(r.is_ok());
    CHECK(reason == c.reason);
    CHECK_THAT(r.status().message(), Catch::StartsWith("invalid cid bytes '" + c.hex.substr(0, 60)));
  }
  ParseError reason = ParseError::empty;
  auto ok = Cid::from_bytes(*util::from_hex("1220" + d32), &reason);
  REQUIRE(ok.is_ok());
  CHECK(reason == ParseError::none);
  CHECK(ok->version() == 0);
}
