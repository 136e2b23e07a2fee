// Property test: random bytes, random text over the multibase alphabets, and mutations of valid
// CIDs never crash the parser; whatever it accepts round-trips through every printing and through
// bytes; whatever it rejects is invalid_argument with a reason. CL_CID_SEED=N replays a seed.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

#include "cid/cid.hpp"
#include "util/rng.hpp"

using namespace cl;
using cid::Cid;
using cid::Codec;
using cid::HashFn;
using cid::Multibase;
using cid::ParseError;

namespace {

constexpr Multibase kBases[] = {Multibase::base16,      Multibase::base16upper, Multibase::base32,
                                Multibase::base32upper, Multibase::base36,      Multibase::base36upper,
                                Multibase::base58btc,   Multibase::base64,      Multibase::base64url};
constexpr Codec kCodecs[] = {Codec::raw, Codec::dag_pb, Codec::dag_cbor, Codec::libp2p_key, Codec::dag_json};
constexpr HashFn kFns[] = {HashFn::identity, HashFn::sha2_256, HashFn::sha2_512, HashFn::blake2b_256};
// Characters of every supported base plus some that belong to none.
const std::string kChars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/-_= \n/\xff";

std::uint64_t seed_from_env() {
  const char* s = std::getenv("CL_CID_SEED");
  return s ? std::strtoull(s, nullptr, 0) : 0xc1d5eedULL;
}

std::string random_bytes(util::Rng& rng, std::size_t n) {
  std::string out(n, '\0');
  for (auto& b : out) b = static_cast<char>(rng.below(256));
  return out;
}

Cid random_cid(util::Rng& rng) {
  HashFn fn = kFns[rng.below(std::size(kFns))];
  std::size_t n = cid::hash_digest_bytes(fn).value_or(rng.below(cid::kIdentityDigestBytesMax + 1));
  auto mh = cid::Multihash::from_digest(fn, random_bytes(rng, n));
  REQUIRE(mh.is_ok());
  if (fn == HashFn::sha2_256 && rng.chance(1, 3)) return *Cid::v0(*mh);
  return Cid::v1(kCodecs[rng.below(std::size(kCodecs))], *mh);
}

std::string print_somehow(util::Rng& rng, const Cid& c) {
  if (rng.chance(1, 3)) return c.to_string();
  return c.to_string(kBases[rng.below(std::size(kBases))]);
}

// One of: change a character, cut, append, insert, delete.
std::string mutate(util::Rng& rng, std::string s, const std::string& chars) {
  int edits = 1 + static_cast<int>(rng.below(3));
  for (int e = 0; e < edits; ++e) {
    std::size_t at = s.empty() ? 0 : rng.below(s.size());
    char c = chars[rng.below(chars.size())];
    switch (rng.below(5)) {
      case 0:
        if (!s.empty()) s[at] = c;
        break;
      case 1:
        s.resize(rng.below(s.size() + 1));
        break;
      case 2:
        s += c;
        break;
      case 3:
        s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), c);
        break;
      default:
        if (!s.empty()) s.erase(at, 1);
        break;
    }
  }
  return s;
}

struct Checker {
  std::uint64_t seed;
  long iteration = 0;
  long accepted = 0;
  long rejected = 0;

  [[noreturn]] void fail(const std::string& what, std::string_view input) {
    FAIL("seed " << seed << " (replay: CL_CID_SEED=" << seed << "), iteration " << iteration << ": " << what
                 << "; input " << util::quote(input, 400) << " hex " << util::to_hex(input));
    std::abort();  // FAIL throws; keeps [[noreturn]] honest
  }

  void accepted_roundtrips(const Cid& c, std::string_view input) {
    ++accepted;
    if (!c.is_defined()) fail("accepted an undefined cid", input);
    auto again = Cid::parse(c.to_string());
    if (!again || *again != c) fail("to_string -> parse changed it: " + c.to_string(), input);
    for (Multibase base : kBases) {
      std::string text = c.to_string(base);
      auto back = Cid::parse(text);
      Cid want = (c.version() == 0 && base != Multibase::base58btc) ? c.to_v1() : c;
      if (!back || *back != want)
        fail("to_string(" + std::string(cid::multibase_name(base)) + ") -> parse: " + text, input);
    }
    auto from = Cid::from_bytes(c.bytes());
    if (!from || *from != c) fail("bytes -> from_bytes changed it", input);
    if (Cid::v1(c.codec(), c.multihash()) != c.to_v1()) fail("rebuilt from fields differs", input);
  }

  void check_text(std::string_view text) {
    ParseError reason = ParseError::none;
    auto r = Cid::parse(text, &reason);
    if (r.is_ok()) {
      if (reason != ParseError::none) fail("accepted with a reason set", text);
      accepted_roundtrips(*r, text);
      return;
    }
    ++rejected;
    if (reason == ParseError::none) fail("rejected without a reason: " + r.status().message(), text);
    if (r.code() != util::Code::invalid_argument) fail("rejected with code " + r.status().to_string(), text);
    if (r.status().message().rfind("invalid cid " + util::quote(text) + ": ", 0) != 0) {
      fail("message does not name the input: " + r.status().message(), text);
    }
  }

  void check_bytes(std::string_view bytes) {
    ParseError reason = ParseError::none;
    auto r = Cid::from_bytes(bytes, &reason);
    if (r.is_ok()) {
      if (r->bytes() != bytes) fail("from_bytes kept other bytes", bytes);
      accepted_roundtrips(*r, bytes);
      return;
    }
    ++rejected;
    if (reason == ParseError::none) fail("bytes rejected without a reason", bytes);
    if (r.code() != util::Code::invalid_argument) fail("bytes rejected with another code", bytes);
  }
};

}  // namespace

TEST_CASE("the parser survives random and mutated input, and what it accepts round-trips") {
  const std::uint64_t seed = seed_from_env();
  util::Rng rng(seed);
  Checker check{seed};
  long mutated_accepted = 0, mutated_rejected = 0;
  for (check.iteration = 0; check.iteration < 100000; ++check.iteration) {
    switch (rng.below(6)) {
      case 0: {  // random bytes, as bytes and as text
        std::string b = random_bytes(rng, rng.below(80));
        check.check_bytes(b);
        check.check_text(b);
        break;
      }
      case 1: {  // random text in one base's alphabet, behind its prefix (or "Qm")
        Multibase base = kBases[rng.below(std::size(kBases))];
        std::string alphabet = cid::base_encode(base, random_bytes(rng, 64));
        std::string text = rng.chance(1, 8) ? "Qm" : std::string(1, cid::multibase_prefix(base));
        std::size_t n = rng.below(72);
        for (std::size_t i = 0; i < n; ++i) text += alphabet[rng.below(alphabet.size())];
        check.check_text(text);
        break;
      }
      case 2:
      case 3: {  // a valid CID's text, mutated
        long before = check.accepted;
        check.check_text(mutate(rng, print_somehow(rng, random_cid(rng)), kChars));
        (check.accepted > before ? mutated_accepted : mutated_rejected)++;
        break;
      }
      case 4: {  // a valid CID's bytes, mutated, as bytes and in a random base
        std::string b = mutate(rng, random_cid(rng).bytes(), random_bytes(rng, 16));
        check.check_bytes(b);
        check.check_text(cid::multibase_encode(kBases[rng.below(std::size(kBases))], b));
        break;
      }
      default: {  // a valid CID: must be accepted in whatever base
        Cid c = random_cid(rng);
        std::string text = print_somehow(rng, c);
        long before = check.accepted;
        check.check_text(text);
        if (check.accepted == before) check.fail("a valid cid was rejected", text);
        check.check_bytes(c.bytes());
        break;
      }
    }
  }
  INFO("seed " << seed << ": accepted " << check.accepted << ", rejected " << check.rejected);
  // The generators must reach both sides, or the test checks little.
  CHECK(mutated_accepted > 1000);
  CHECK(mutated_rejected > 1000);
  CHECK(check.rejected > 50000);
}
