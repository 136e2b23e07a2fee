#include <cctype>
#include <vector>

#include "cid/base_impl.hpp"

namespace cl::cid::detail {

Alphabet make_alphabet(std::string_view name, std::string_view digits, bool case_insensitive) {
  Alphabet a;
  a.name = name;
  a.digits = digits;
  a.values.fill(-1);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    auto c = static_cast<unsigned char>(digits[i]);
    a.values[c] = static_cast<std::int8_t>(i);
    if (case_insensitive) {
      a.values[static_cast<unsigned char>(std::tolower(c))] = static_cast<std::int8_t>(i);
      a.values[static_cast<unsigned char>(std::toupper(c))] = static_cast<std::int8_t>(i);
    }
  }
  return a;
}

BaseDecodeError bad_character(const Alphabet& a, std::string_view text, std::size_t offset,
                              std::size_t text_offset) {
  unsigned char c = static_cast<unsigned char>(text[offset]);
  std::string why = "bad character " + util::quote(text.substr(offset, 1)) + " at offset " +
                    std::to_string(offset + text_offset) + " for " + std::string(a.name);
  if (std::isspace(c)) why += " (trim whitespace before parsing)";
  if (c == '=') why += " (padding is not allowed)";
  return {ParseError::bad_character, offset + text_offset, std::move(why)};
}

// ---- bits: base16, base32, base64 ----

std::string bits_encode(const Alphabet& a, unsigned bits_per_char, util::BytesView bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + bits_per_char - 1) / bits_per_char);
  const unsigned mask = (1u << bits_per_char) - 1;
  std::uint32_t acc = 0;
  unsigned held = 0;
  for (unsigned char b : bytes) {
    acc = (acc << 8) | b;
    held += 8;
    while (held >= bits_per_char) {
      held -= bits_per_char;
      out += a.digits[(acc >> held) & mask];
    }
  }
  if (held > 0) out += a.digits[(acc << (bits_per_char - held)) & mask];
  return out;
}

std::optional<BaseDecodeError> bits_decode(const Alphabet& a, unsigned bits_per_char, std::string_view text,
                                           util::Bytes& out, std::size_t text_offset) {
  out.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (a.values[static_cast<unsigned char>(text[i])] < 0) return bad_character(a, text, i, text_offset);
  }
  const std::size_t total_bits = text.size() * bits_per_char;
  if (total_bits % 8 >= bits_per_char) {
    return BaseDecodeError{
        ParseError::bad_encoding, text.size() - 1 + text_offset,
        std::to_string(text.size()) + " characters of " + std::string(a.name) + " cannot encode whole bytes"};
  }
  out.reserve(total_bits / 8);
  std::uint32_t acc = 0;
  unsigned held = 0;
  for (unsigned char c : text) {
    acc = (acc << bits_per_char) | static_cast<std::uint32_t>(a.values[c]);
    held += bits_per_char;
    if (held >= 8) {
      held -= 8;
      out += static_cast<char>((acc >> held) & 0xff);
    }
  }
  if (held > 0 && (acc & ((1u << held) - 1)) != 0) {
    return BaseDecodeError{ParseError::bad_encoding, text.size() - 1 + text_offset,
                           "last character " + util::quote(text.substr(text.size() - 1)) +
                               " has non-zero unused bits: not a canonical " + std::string(a.name) +
                               " encoding"};
  }
  return std::nullopt;
}

// ---- radix: base36, base58btc ----

std::string radix_encode(const Alphabet& a, util::BytesView bytes) {
  const unsigned base = static_cast<unsigned>(a.digits.size());
  CL_ASSERT(base >= 2 && base <= 64, "radix alphabet of an impossible size");
  std::size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == '\0') ++zeros;
  std::vector<std::uint8_t> digits;  // little-endian digit values
  digits.reserve((bytes.size() - zeros) * 2);
  for (std::size_t i = zeros; i < bytes.size(); ++i) {
    unsigned carry = static_cast<unsigned char>(bytes[i]);
    for (auto& d : digits) {
      carry += static_cast<unsigned>(d) << 8;
      d = static_cast<std::uint8_t>(carry % base);
      carry /= base;
    }
    while (carry > 0) {
      digits.push_back(static_cast<std::uint8_t>(carry % base));
      carry /= base;
    }
  }
  std::string out(zeros, a.digits[0]);
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out += a.digits[*it];
  return out;
}

std::optional<BaseDecodeError> radix_decode(const Alphabet& a, std::string_view text, util::Bytes& out,
                                            std::size_t text_offset) {
  out.clear();
  const unsigned base = static_cast<unsigned>(a.digits.size());
  std::size_t zeros = 0;
  std::vector<std::uint8_t> bytes;  // little-endian
  bytes.reserve(text.size());
  bool leading = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    int v = a.values[static_cast<unsigned char>(text[i])];
    if (v < 0) return bad_character(a, text, i, text_offset);
    if (leading && v == 0) {
      ++zeros;
      continue;
    }
    leading = false;
    unsigned carry = static_cast<unsigned>(v);
    for (auto& b : bytes) {
      carry += static_cast<unsigned>(b) * base;
      b = static_cast<std::uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push_back(static_cast<std::uint8_t>(carry & 0xff));
      carry >>= 8;
    }
  }
  out.assign(zeros, '\0');
  for (auto it = bytes.rbegin(); it != bytes.rend(); ++it) out += static_cast<char>(*it);
  return std::nullopt;
}

}  // namespace cl::cid::detail
