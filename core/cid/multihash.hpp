#pragma once
// Multihash: a self-describing digest, <varint function code><varint digest length><digest>.
// Only the functions below are accepted (ParseError::unknown_hash otherwise), and a digest must
// have exactly its function's length: truncated sha2 digests, which the multihash spec allows,
// are rejected (ParseError::digest_length). The identity "hash" (the data itself, used for tiny
// blocks and for ed25519 peer IDs) may be 0..kIdentityDigestBytesMax bytes long, the limit
// Kubo applies too (ParseError::digest_too_long above it).
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "cid/parse_error.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace cl::cid {

enum class HashFn : std::uint64_t {
  identity = 0x00,
  sha2_256 = 0x12,       // 32-byte digest; the only function a CIDv0 may use
  sha2_512 = 0x13,       // 64-byte digest
  blake2b_256 = 0xb220,  // 32-byte digest
};

inline constexpr std::size_t kIdentityDigestBytesMax = 128;

// The multicodec name: "identity", "sha2-256", "sha2-512", "blake2b-256".
std::string_view hash_fn_name(HashFn fn);
std::optional<HashFn> hash_fn_from_code(std::uint64_t code);
std::optional<HashFn> hash_fn_from_name(std::string_view name);
// The digest length fn always produces; nullopt for identity (any length up to the limit).
std::optional<std::size_t> hash_digest_bytes(HashFn fn);

// A valid multihash: its digest length always fits its function (checked on construction).
class Multihash {
 public:
  // Wraps an existing digest. invalid_argument if its length does not fit fn.
  static util::Result<Multihash> from_digest(HashFn fn, util::BytesView digest);
  // Hashes data with fn: sha2-256 and sha2-512 through OpenSSL; identity copies data (at most
  // kIdentityDigestBytesMax bytes). blake2b-256 is parsed but not computed here: invalid_argument.
  static util::Result<Multihash> compute(HashFn fn, util::BytesView data);
  // sha2-256 of data: cannot fail.
  static Multihash sha2_256(util::BytesView data);
  // Decodes a binary multihash that fills `bytes` exactly. On error, *reason (if given) says
  // why; on success it is set to ParseError::none.
  static util::Result<Multihash> from_bytes(util::BytesView bytes, ParseError* reason = nullptr);

  HashFn fn() const { return fn_; }
  const util::Bytes& digest() const { return digest_; }
  // The binary form <varint fn><varint length><digest>.
  util::Bytes bytes() const;

  friend bool operator==(const Multihash&, const Multihash&) = default;
  friend auto operator<=>(const Multihash&, const Multihash&) = default;

 private:
  Multihash(HashFn fn, util::Bytes digest) : fn_(fn), digest_(std::move(digest)) {}
  HashFn fn_;
  util::Bytes digest_;
};

}  // namespace cl::cid
