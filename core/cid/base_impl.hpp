#pragma once
// Internal to core/cid: the two families of base codecs behind multibase.cpp.
//   bits:  base16, base32, base64(url) pack a fixed number of bits per character.
//   radix: base36, base58btc treat the bytes as one big number (leading zero bytes kept as
//          leading zero digits); quadratic in the length, so callers bound the length first.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cid/multibase.hpp"

namespace cl::cid::detail {

// How one base maps characters to digit values.
struct Alphabet {
  std::string_view name;                  // "base32", for messages
  std::string_view digits;                // digit value i is digits[i] (the encoding alphabet)
  std::array<std::int8_t, 256> values{};  // character -> digit value, -1 if not in the base
};

// Builds the decoding table; case_insensitive also maps the other case of each letter.
Alphabet make_alphabet(std::string_view name, std::string_view digits, bool case_insensitive);

std::string bits_encode(const Alphabet& a, unsigned bits_per_char, util::BytesView bytes);
std::optional<BaseDecodeError> bits_decode(const Alphabet& a, unsigned bits_per_char, std::string_view text,
                                           util::Bytes& out, std::size_t text_offset);

std::string radix_encode(const Alphabet& a, util::BytesView bytes);
std::optional<BaseDecodeError> radix_decode(const Alphabet& a, std::string_view text, util::Bytes& out,
                                            std::size_t text_offset);

// "bad character 'x' at offset 3 for base58btc", with a hint for whitespace.
// offset is within text; the message and the error's offset add text_offset.
BaseDecodeError bad_character(const Alphabet& a, std::string_view text, std::size_t offset,
                              std::size_t text_offset);

}  // namespace cl::cid::detail
