// Table tests: real CIDs (IPFS docs, js-ipfs and go-ipfs fixtures, the multiformats test suites,
// a libp2p peer ID) and one malformed case per way a CID can be wrong.
#include <catch2/catch.hpp>

#include <set>

#include "cid/cid.hpp"

using namespace cl;
using cid::Cid;
using cid::Codec;
using cid::HashFn;
using cid::ParseError;

namespace {

// bafybeigdyrzt... is the IPFS docs' example; the other spellings are the same bytes.
constexpr const char* kDocs = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";

struct Valid {
  std::string text;
  int version;
  Codec codec;
  HashFn fn;
  std::string canonical;  // to_string()
};

const std::vector<Valid>& valid_cases() {
  static const std::vector<Valid> cases = {
      // CIDv0: "hello world\n", the empty file, and fixtures from the multiformats tests.
      {"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", 0, Codec::dag_pb, HashFn::sha2_256,
       "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"},
      {"QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH", 0, Codec::dag_pb, HashFn::sha2_256,
       "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"},
      {"QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR", 0, Codec::dag_pb, HashFn::sha2_256,
       "QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR"},
      {"QmYjtig7VJQ6XsnUjqqJvj7QaMcCAwtrgNdahSiFofrE7o", 0, Codec::dag_pb, HashFn::sha2_256,
       "QmYjtig7VJQ6XsnUjqqJvj7QaMcCAwtrgNdahSiFofrE7o"},
      // One CIDv1 in every supported base, and in mixed case where the base allows it.
      {kDocs, 1, Codec::dag_pb, HashFn::sha2_256, kDocs},
      {"BAFYBEIGDYRZT5SFP7UDM7HU76UH7Y26NF3EFUYLQABF3OCLGTQY55FBZDI", 1, Codec::dag_pb, HashFn::sha2_256,
       kDocs},
      {"bAfYbEiGdYrZt5SfP7UdM7hU76Uh7y26Nf3eFuYlQaBf3oClGtQy55FbZdI", 1, Codec::dag_pb, HashFn::sha2_256,
       kDocs},
      {"zdj7Wic6KcJAfWz1c9o4M6kq9Lwd5BfbxkVafnrojaaGiSFxM", 1, Codec::dag_pb, HashFn::sha2_256, kDocs},
      {"f01701220c3c4733ec8affd06cf9e9ff50ffc6bcd2ec85a6170004bb709669c31de94391a", 1, Codec::dag_pb,
       HashFn::sha2_256, kDocs},
      {"F01701220C3C4733EC8AFFD06CF9E9FF50FFC6BCD2EC85A6170004BB709669C31DE94391A", 1, Codec::dag_pb,
       HashFn::sha2_256, kDocs},
      {"k2jmtxw8rjh1z69c6not3wtdxb0u3urbzhyll1t9jg6ox26dhi5sfi1m", 1, Codec::dag_pb, HashFn::sha2_256, kDocs},
      {"K2JMTXW8RJH1Z69C6NOT3WTDXB0U3URBZHYLL1T9JG6OX26DHI5SFI1M", 1, Codec::dag_pb, HashFn::sha2_256, kDocs},
      {"mAXASIMPEcz7Ir/0Gz56f9Q/8a80uyFphcABLtwlmnDHelDka", 1, Codec::dag_pb, HashFn::sha2_256, kDocs},
      {"uAXASIMPEcz7Ir_0Gz56f9Q_8a80uyFphcABLtwlmnDHelDka", 1, Codec::dag_pb, HashFn::sha2_256, kDocs},
      // "hello world\n" as CIDv1 (what ipfs_cid prints), raw leaves, js-ipfs's zb2rh... form.
      {"bafybeicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mby", 1, Codec::dag_pb, HashFn::sha2_256,
       "bafybeicg2rebjoofv4kbyovkw7af3rpiitvnl6i7ckcywaq6xjcxnc2mby"},
      {"bafkreiabmxuv6ktfam5xyvyj4uombmgzjg7mqpfvd2qppyldwfiel4i53y", 1, Codec::raw, HashFn::sha2_256,
       "bafkreiabmxuv6ktfam5xyvyj4uombmgzjg7mqpfvd2qppyldwfiel4i53y"},
      {"bafkreidfdrlkeq4m4xnxuyx6iae76fdm4wgl5d4xzsb77ixhyqwumhz244", 1, Codec::raw, HashFn::sha2_256,
       "bafkreidfdrlkeq4m4xnxuyx6iae76fdm4wgl5d4xzsb77ixhyqwumhz244"},
      {"zb2rhWtC5SY6zV1y2SVN119ofpxsbEtpwiqSoK77bWVzHqeWU", 1, Codec::raw, HashFn::sha2_256,
       "bafkreiadsbmmn4waznesyuz3bjgrj33xzqhxrk6mz3ksq7meugrachh3qe"},
      // A libp2p peer ID (ed25519, identity multihash) as an IPNS key.
      {"k51qzi5uqu5dhdmj65s7o239pk7w2knayz61k30js9t66wd6h82yw6iinitcuz", 1, Codec::libp2p_key,
       HashFn::identity, "bafzaajaiaejcal7w4bhx7zq3xtgbwfxpod3zjexldsmhggyiwng4fhfldk6hzfc3"},
      // Other codecs and hash functions.
      {"bafkrgqgpqpqtk7xpxc67cvbikdlg3aah2yqoibilk4k5za7uveq5g3hjzzd5buj4lwc7fmh7qmmnfb365qxwhojrxvduc6ubuu4d"
       "e6xze7"
       "nd4",
       1, Codec::raw, HashFn::sha2_512,
       "bafkrgqgpqpqtk7xpxc67cvbikdlg3aah2yqoibilk4k5za7uveq5g3hjzzd5buj4lwc7fmh7qmmnfb365qxwhojrxvduc6ubuu4d"
       "e6xze7"
       "nd4"},
      {"bafy2bzaceddrwbp5duohx57jfd7rrzmnwumt5eywifwme25jzsijjwua24ar4", 1, Codec::dag_cbor,
       HashFn::blake2b_256, "bafy2bzaceddrwbp5duohx57jfd7rrzmnwumt5eywifwme25jzsijjwua24ar4"},
      {"bafyreicecnx2gvntm6fbcrvnc336qze6st5u7qq7457igegamd3bzkx7ri", 1, Codec::dag_cbor, HashFn::sha2_256,
       "bafyreicecnx2gvntm6fbcrvnc336qze6st5u7qq7457igegamd3bzkx7ri"},
      {"baguqeeraiqjw7i2vwntyuekgvulpp2det2kpwt6cd7tx5ayqybqpmhfk76fa", 1, Codec::dag_json, HashFn::sha2_256,
       "baguqeeraiqjw7i2vwntyuekgvulpp2det2kpwt6cd7tx5ayqybqpmhfk76fa"},
      {"bafkqaaa", 1, Codec::raw, HashFn::identity, "bafkqaaa"},
      {"bafkqaa3inefa", 1, Codec::raw, HashFn::identity, "bafkqaa3inefa"},
      // Paths without a remainder.
      {"/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", 0, Codec::dag_pb, HashFn::sha2_256,
       "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"},
      {std::string("/ipfs/") + kDocs + "/", 1, Codec::dag_pb, HashFn::sha2_256, kDocs},
  };
  return cases;
}

struct Invalid {
  std::string text;
  ParseError reason;
  std::string says;  // a fragment the explanation must contain
};

// v1 CIDs built for one defect each (a sha2-256 digest of "x" where a digest is needed).
const std::vector<Invalid>& invalid_cases() {
  static const std::vector<Invalid> cases = {
      {"", ParseError::empty, "empty input"},
      {"/ipfs/", ParseError::empty, "no cid after"},
      {"/ipfs//readme", ParseError::empty, "no cid after"},
      {"b", ParseError::empty, "nothing after the multibase prefix 'b'"},
      {"Qmfoo", ParseError::v0_length, "46 characters, not 5"},
      {"QmYjtig7VJQ6XsnUjqqJvj7QaMcCAwtrgNdahSiFofrE7", ParseError::v0_length, "not 45"},
      {"QmYjtig7VJQ6XsnUjqqJvj7QaMcCAwtrgNdahSiFofrE70", ParseError::bad_character, "'0' at offset 45"},
      {"QmYjtig7VJQ6XsnUjqlJvj7QaMcCAwtrgNdahSiFofrE7o", ParseError::bad_character, "'l' at offset 18"},
      {"Qm11111111111111111111111111111111111111111111", ParseError::v0_multihash, "not 0x12 0x1e"},
      {"qMyJTIG7vjq6xSNuJQQjVJ7qAmCcaWTRGnDAHsIfOFRe7O", ParseError::unknown_multibase, "prefix 'q'"},
      {" QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", ParseError::unknown_multibase, "trim whitespace"},
      {"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o\n", ParseError::bad_character, "trim whitespace"},
      {std::string(kDocs) + " ", ParseError::bad_character, "' ' at offset 59 for base32"},
      {"bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzd1", ParseError::bad_character, "'1'"},
      {std::string(kDocs) + "=", ParseError::bad_character, "padding is not allowed"},
      {"bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzd", ParseError::bad_encoding,
       "57 characters of base32"},
      {"bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdj", ParseError::bad_encoding,
       "non-zero unused bits"},
      {"bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbz", ParseError::truncated_digest,
       "declares 32 bytes but only 31 follow"},
      {"zQmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", ParseError::v0_multibase, "without a prefix"},
      {"bciqc24iwik3snmceafrhzkp3vqzplsctb6yzapge3mbclbyxsinerai", ParseError::v0_multibase, "cidv0"},
      {"/ipns/k51qzi5uqu5dhdmj65s7o239pk7w2knayz61k30js9t66wd6h82yw6iinitcuz", ParseError::not_ipfs_path,
       "resolve it first"},
      {"/ipfs", ParseError::not_ipfs_path, "must start with /ipfs/"},
      {"/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o/readme.txt", ParseError::has_path,
       "'/readme.txt'"},
      {"xyz", ParseError::unknown_multibase, "prefix 'x'"},
      {"12D3KooWD3bfmNbuuuVCYwkjnFt3ukm3qaB3hDED3peHHXawvRAi", ParseError::unknown_multibase, "prefix '1'"},
      {"\xff\xfe", ParseError::unknown_multibase, "'\\xff'"},
      {"bajybeibnoelefnzgwbcacyt4vh52ymxvzbjq7mmqhtcnwarfq4lzegsiqe", ParseError::unknown_version,
       "version 2 is reserved"},
      {"babybeibnoelefnzgwbcacyt4vh52ymxvzbjq7mmqhtcnwarfq4lzegsiqe", ParseError::unknown_version,
       "version 0 is never written out"},
      {"f2270", ParseError::unknown_version, "unknown cid version 34"},
      {"baf4beibnoelefnzgwbcacyt4vh52ymxvzbjq7mmqhtcnwarfq4lzegsiqe", ParseError::unknown_codec,
       "unknown codec 0x78"},
      {"bafkrwibnoelefnzgwbcacyt4vh52ymxvzbjq7mmqhtcnwarfq4lzegsiqe", ParseError::unknown_hash,
       "unknown multihash function 0x1b"},
      {"bafkrehznoelefnzgwbcacyt4vh52ymxvzbjq7mmqhtcnwarfq4lzegsi", ParseError::digest_length,
       "sha2-256 digest must be 32 bytes, not 31"},
      {"bafkrgibnoelefnzgwbcacyt4vh52ymxvzbjq7mmqhtcnwarfq4lzegsiqe", ParseError::digest_length,
       "sha2-512 digest must be 64 bytes, not 32"},
      {"bafkreibnoelefnzgwbcacyt4vh52ymxvzbjq7mmqhtcnwarfq4lzegsi", ParseError::truncated_digest,
       "only 31 follow"},
      {"bafkreibnoelefnzgwbcacyt4vh52ymxvzbjq7mmqhtcnwarfq4lzegsiqeaa", ParseError::trailing_bytes,
       "1 unexpected bytes after the multihash"},
      {"f0155008101" + std::string(258, '6'), ParseError::digest_too_long, "identity digest of 129 bytes"},
      {"f01", ParseError::truncated_varint, "input ends before the codec"},
      {"f01f0", ParseError::truncated_varint, "inside the varint codec"},
      {"f015512", ParseError::truncated_varint, "before the digest length"},
      {"bahkqaerafvyrmqvxe2yeialcpsu7xlbs6xefgd5rsa6mjwycewdrpeq2jcaq", ParseError::bad_varint,
       "codec at byte 1 is not minimally encoded"},
      {"f01ffffffffffffffffff01", ParseError::bad_varint, "longer than 9 bytes"},
      {"f0170122", ParseError::bad_encoding, "7 characters of base16"},
      {"b" + std::string(600, 'a'), ParseError::too_long, "601 characters is longer than any cid"},
      {std::string("/ipfs/") + kDocs + "/" + std::string(5000, 'a'), ParseError::too_long, "the path"},
      {"uAXASIMPEcz7Ir/0Gz56f9Q/8a80uyFphcABLtwlmnDHelDka", ParseError::bad_character, "'/' at offset 14"},
      {"mAXASIMPEcz7Ir_0Gz56f9Q_8a80uyFphcABLtwlmnDHelDka", ParseError::bad_character, "'_' at offset 14"},
      {"zdj7Wic6KcJAfWz1c9o4M6kq9Lwd5BfbxkVafnrojaaGiSFx0", ParseError::bad_character, "for base58btc"},
      {"k2jmtxw8rjh1z69c6not3wtdxb0u3urbzhyll1t9jg6ox26dhi5sfi1m!", ParseError::bad_character, "for base36"},
  };
  return cases;
}

}  // namespace

TEST_CASE("real CIDs parse to the right fields and print canonically") {
  for (const auto& c : valid_cases()) {
    CAPTURE(c.text);
    ParseError reason = ParseError::empty;
    auto r = Cid::parse(c.text, &reason);
    REQUIRE(r.is_ok());
    CHECK(reason == ParseError::none);
    CHECK(r->version() == c.version);
    CHECK(r->codec() == c.codec);
    CHECK(r->hash_fn() == c.fn);
    CHECK(r->to_string() == c.canonical);
    auto again = Cid::from_bytes(r->bytes());
    REQUIRE(again.is_ok());
    CHECK(*again == *r);
  }
  CHECK(valid_cases().size() >= 20);
}

TEST_CASE("malformed CIDs are rejected, each with its own reason, naming the value") {
  for (const auto& c : invalid_cases()) {
    CAPTURE(c.text, cid::parse_error_name(c.reason));
    ParseError reason = ParseError::none;
    auto r = Cid::parse(c.text, &reason);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.code() == util::Code::invalid_argument);
    CHECK(cid::parse_error_name(reason) == cid::parse_error_name(c.reason));
    const std::string message = r.status().message();
    CHECK_THAT(message, Catch::StartsWith("invalid cid " + util::quote(c.text) + ": "));
    CHECK_THAT(message, Catch::Contains(c.says));
  }
  CHECK(invalid_cases().size() >= 40);
}

TEST_CASE("every ParseError but none is produced by some table case") {
  std::set<ParseError> seen;
  for (const auto& c : invalid_cases()) seen.insert(c.reason);
  for (auto e = static_cast<int>(ParseError::empty); e <= static_cast<int>(ParseError::bad_varint); ++e) {
    CAPTURE(cid::parse_error_name(static_cast<ParseError>(e)));
    CHECK(seen.count(static_cast<ParseError>(e)) == 1);
  }
}
