#pragma once
// Cid: an IPFS content identifier, CIDv0 or CIDv1, held in its binary form.
//
//   CIDv0  text: "Qm" + 44 more base58btc characters, no multibase prefix (46 in all).
//          bytes: the bare sha2-256 multihash, 0x12 0x20 <32-byte digest> (34 bytes).
//          codec: always dag-pb.
//   CIDv1  text: a multibase prefix + the bytes in that base ("bafy...", "zdj7...", "k51...").
//          bytes: <varint 1><varint codec><multihash>.
//
// Identity: two Cids are equal when their bytes are equal, and they order by their bytes. So a
// CIDv1 written in base32 and in base58btc is the same Cid, while a CIDv0 and the CIDv1 dag-pb of
// the same multihash are different Cids that name the same content. The pinset keys on the
// bytes of the CID as the user gave it: parsing never turns v0 into v1. Callers that need to
// match across versions compare to_v1() (or same_multihash(), which also ignores the codec).
//
// Text accepted by parse() (trimming whitespace is the caller's job: a space is a bad character):
//   - a bare CID: "Qm...", "bafy...", any supported multibase (see multibase.hpp);
//   - "/ipfs/CID", also with one trailing '/'. "/ipfs/CID/sub/path" is rejected (has_path) since
//     the path names other content; parse_ipfs_path() returns the CID and the path apart.
// Every rejection is Code::invalid_argument, "invalid cid '<text>': <why>", and a ParseError.
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include "cid/codec.hpp"
#include "cid/multibase.hpp"
#include "cid/multihash.hpp"
#include "cid/parse_error.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace cl::cid {

namespace detail {
struct Failure;
}
struct CidPath;

// The longest CID text parse() looks at (the longest valid CID, base16 with a 128-byte identity
// digest, is under 300 characters); longer is ParseError::too_long.
inline constexpr std::size_t kCidTextCharsMax = 512;
// The longest path remainder parse_ipfs_path() accepts after the CID.
inline constexpr std::size_t kPathCharsMax = 4096;

class Cid {
 public:
  // The undefined Cid: is_defined() is false, bytes() is empty, it orders before every real
  // Cid and prints as "". Nothing returns it except this constructor; the accessors of fields
  // (version(), codec(), hash_fn(), digest(), multihash(), to_v1()) must not be called on it.
  Cid() = default;

  // Parses CID text (see above). On return *reason (if given) is ParseError::none or why.
  static util::Result<Cid> parse(std::string_view text, ParseError* reason = nullptr);
  // Parses the binary form bytes() produces, for storage. Errors name the bytes in hex:
  // "invalid cid bytes '<hex>': <why>" (a store may rewrap them as Code::corrupt).
  static util::Result<Cid> from_bytes(util::BytesView bytes, ParseError* reason = nullptr);

  // A CIDv0 of mh; invalid_argument unless mh is sha2-256 (its digest is then 32 bytes).
  static util::Result<Cid> v0(const Multihash& mh);
  // A CIDv1. Cannot fail: codec and multihash are valid by construction.
  static Cid v1(Codec codec, const Multihash& mh);

  bool is_defined() const { return !bytes_.empty(); }
  int version() const;  // 0 or 1
  Codec codec() const;  // dag_pb for a CIDv0
  HashFn hash_fn() const;
  util::BytesView digest() const;
  Multihash multihash() const;
  // The multihash's binary form, a view into bytes().
  util::BytesView multihash_bytes() const;

  // The binary form: for v1 <varint 1><varint codec><multihash>; for v0 the bare multihash.
  const util::Bytes& bytes() const { return bytes_; }

  // v0: "Qm..." (base58btc, no prefix). v1: base32 lower, "bafy..." / "bafk...".
  std::string to_string() const;
  // v1 in `base`, with its prefix. A v0 is printed as "Qm..." for base58btc and, for any other
  // base, as its to_v1() in that base (what Kubo's --cid-base does).
  std::string to_string(Multibase base) const;

  // The CIDv1 naming the same content: a v0 becomes v1 dag-pb of the same multihash; a v1 is
  // returned unchanged.
  Cid to_v1() const;

  friend bool operator==(const Cid& a, const Cid& b) { return a.bytes_ == b.bytes_; }
  friend std::strong_ordering operator<=>(const Cid& a, const Cid& b) { return a.bytes_ <=> b.bytes_; }

 private:
  util::Bytes bytes_;            // empty: undefined
  Codec codec_ = Codec::dag_pb;  // derived from bytes_
  HashFn hash_fn_ = HashFn::sha2_256;
  std::uint8_t version_ = 0;
  std::uint8_t multihash_offset_ = 0;  // where the multihash starts in bytes_
  std::uint8_t digest_offset_ = 0;     // where the digest starts in bytes_

  // Fills out from binary CID bytes; false with fail set if they are not a valid CID.
  static bool decode(util::BytesView bytes, Cid& out, detail::Failure& fail);
  friend util::Result<CidPath> parse_ipfs_path(std::string_view text, ParseError* reason);
};

// True when a and b carry the same multihash (same function and digest), whatever their
// version and codec: "is this the same data?". Both must be defined.
bool same_multihash(const Cid& a, const Cid& b);

// The result of parse_ipfs_path: the CID and what followed it, verbatim.
struct CidPath {
  Cid cid;
  // "" for a bare CID or "/ipfs/CID"; otherwise it starts with '/' ("/", "/a/b.txt"). Not
  // validated beyond its length (at most kPathCharsMax characters).
  std::string path;
};

// Parses a bare CID, "/ipfs/CID" or "/ipfs/CID/some/path". Errors as Cid::parse, whose message
// names the whole text.
util::Result<CidPath> parse_ipfs_path(std::string_view text, ParseError* reason = nullptr);

// Prints to_string(), for logs and test failures.
std::ostream& operator<<(std::ostream& out, const Cid& cid);

}  // namespace cl::cid

template <>
struct std::hash<cl::cid::Cid> {
  std::size_t operator()(const cl::cid::Cid& cid) const noexcept {
    return std::hash<std::string_view>{}(cid.bytes());
  }
};
