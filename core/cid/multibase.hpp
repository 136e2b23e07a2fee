#pragma once
// Multibase: a base encoding named by its first character ('b' + base32 lower, 'z' + base58btc,
// ...). The bases below are decoded and encoded, with and without the prefix. Others (base2,
// base32hex, base58flickr, padded base64, ...) are rejected as ParseError::unknown_multibase.
//
// Decoding rules (the multibase spec and its test vectors, made strict where they are loose):
// - base16, base32 and base36 are case-insensitive whatever the prefix's case ("bAFY..." decodes).
// - base58btc and base64 are case-sensitive.
// - No padding: '=' is a bad character. A length that cannot come from whole bytes (odd base16,
//   base32 of 1, 3 or 6 chars mod 8, base64 of 1 char mod 4) or non-zero unused bits in the last
//   character is ParseError::bad_encoding, so every accepted text is the canonical one for its
//   bytes (up to case).
// - base58btc and base36 keep leading zero bytes as leading '1' / '0' characters.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "cid/parse_error.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace cl::cid {

// The enumerator's value is its prefix character.
enum class Multibase : char {
  base16 = 'f',
  base16upper = 'F',
  base32 = 'b',
  base32upper = 'B',
  base36 = 'k',
  base36upper = 'K',
  base58btc = 'z',
  base64 = 'm',     // RFC 4648 alphabet, no padding
  base64url = 'u',  // RFC 4648 url-safe alphabet, no padding
};

inline constexpr char multibase_prefix(Multibase base) {
  return static_cast<char>(base);
}
// The multibase table's name: "base16", "base16upper", "base32", ..., "base64url".
std::string_view multibase_name(Multibase base);
std::optional<Multibase> multibase_from_prefix(char prefix);
// By name, for flags such as --cid-base: "base32", "base58btc", ...
std::optional<Multibase> multibase_from_name(std::string_view name);

// The bytes in `base`, without the prefix.
std::string base_encode(Multibase base, util::BytesView bytes);
// The prefix followed by base_encode(base, bytes).
std::string multibase_encode(Multibase base, util::BytesView bytes);

struct BaseDecodeError {
  ParseError reason = ParseError::none;  // bad_character or bad_encoding
  std::size_t offset = 0;                // of the offending character, counted as text_offset says
  std::string why;                       // lowercase, names the character and the base
};

// The longest text multibase_decode() accepts (ParseError::too_long above it). base36 and
// base58btc decode in time quadratic in the length, so base_decode's callers bound it too.
inline constexpr std::size_t kMultibaseTextCharsMax = 8192;

// Decodes `digits` (no prefix) into out (replaced). nullopt on success. Offsets in the error
// count from text_offset: pass 1 when digits follow a one-character prefix in the caller's text.
std::optional<BaseDecodeError> base_decode(Multibase base, std::string_view digits, util::Bytes& out,
                                           std::size_t text_offset = 0);

// Decodes prefixed text. invalid_argument naming the text on error; *reason says why.
util::Result<util::Bytes> multibase_decode(std::string_view text, ParseError* reason = nullptr);

}  // namespace cl::cid
