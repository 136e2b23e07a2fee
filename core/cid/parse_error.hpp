#pragma once
// ParseError: why a CID (text or bytes) was rejected. Every rejection carries exactly one reason,
// so callers and tests can tell the cases apart without matching message text. The Status that
// goes with it is always Code::invalid_argument with a message of the form
//   invalid cid 'Qmfoo': <why>
// (for bytes: invalid cid bytes '<hex>': <why>). The names are stable: never rename or renumber.
#include <cstdint>
#include <string_view>

namespace cl::cid {

enum class ParseError : std::uint8_t {
  none = 0,           // accepted
  empty,              // "", "/ipfs/", or a multibase prefix with nothing after it
  too_long,           // the CID text is over kCidTextCharsMax, or a path over kPathCharsMax
  not_ipfs_path,      // starts with '/' but not with "/ipfs/" (e.g. /ipns/...)
  has_path,           // "/ipfs/CID/sub/path" given where only a CID is accepted
  unknown_multibase,  // the first character is not a supported multibase prefix
  bad_character,      // a character outside the base's alphabet (whitespace included)
  bad_encoding,       // a length or trailing bits that no canonical encoding in the base produces
  v0_length,          // a CIDv0 ("Qm...") of the wrong length (text: 46 chars; bytes: 34)
  v0_multihash,       // a CIDv0 whose multihash is not sha2-256 with a 32-byte digest
  v0_multibase,       // a multibase-prefixed string holding a bare CIDv0 multihash ("zQm...")
  unknown_version,    // a CID version other than 1 (0 is implicit, 2 and 3 are reserved)
  unknown_codec,      // a content codec outside the table in codec.hpp
  unknown_hash,       // a multihash function outside the table in multihash.hpp
  digest_length,      // the declared digest length differs from the function's fixed length
  digest_too_long,    // an identity digest over kIdentityDigestBytesMax
  truncated_digest,   // fewer digest bytes than the multihash declares
  trailing_bytes,     // bytes left after the multihash
  truncated_varint,   // the input ends inside a varint (or before a required one)
  bad_varint,         // a varint that is not minimally encoded, or longer than 9 bytes
};

// "none", "empty", "too_long", ... : the enumerator's name.
std::string_view parse_error_name(ParseError reason);

}  // namespace cl::cid
