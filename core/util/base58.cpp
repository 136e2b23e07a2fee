#include "util/base58.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace cl::util {

namespace {

constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

constexpr std::array<std::int8_t, 128> make_index() {
  std::array<std::int8_t, 128> index{};
  for (auto& v : index) v = -1;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i)
    index[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  return index;
}
constexpr std::array<std::int8_t, 128> kIndex = make_index();

}  // namespace

std::string base58btc_encode(BytesView bytes) {
  std::size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == '\0') ++zeros;
  // Base-58 digits, least significant first. log(256)/log(58) < 1.37.
  std::vector<std::uint8_t> digits;
  digits.reserve((bytes.size() - zeros) * 137 / 100 + 1);
  for (std::size_t i = zeros; i < bytes.size(); ++i) {
    std::uint32_t carry = static_cast<unsigned char>(bytes[i]);
    for (auto& d : digits) {
      carry += static_cast<std::uint32_t>(d) << 8;
      d = static_cast<std::uint8_t>(carry % 58);
      carry /= 58;
    }
    while (carry > 0) {
      digits.push_back(static_cast<std::uint8_t>(carry % 58));
      carry /= 58;
    }
  }
  std::string out(zeros, '1');
  out.reserve(zeros + digits.size());
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out += kAlphabet[*it];
  return out;
}

Result<Bytes> base58btc_decode(std::string_view text) {
  if (text.size() > kBase58TextMax) {
    return invalid_argument("invalid base58btc " + quote(text) + ": longer than " +
                            std::to_string(kBase58TextMax) + " characters");
  }
  std::size_t ones = 0;
  while (ones < text.size() && text[ones] == '1') ++ones;
  // Base-256 bytes, least significant first. log(58)/log(256) < 0.74.
  std::vector<std::uint8_t> bytes;
  bytes.reserve((text.size() - ones) * 74 / 100 + 1);
  for (std::size_t i = ones; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    int value = c < 128 ? kIndex[c] : -1;
    if (value < 0) {
      return invalid_argument("invalid base58btc " + quote(text) + ": " + quote(text.substr(i, 1)) +
                              " at offset " + std::to_string(i) + " is not in the base58btc alphabet");
    }
    std::uint32_t carry = static_cast<std::uint32_t>(value);
    for (auto& b : bytes) {
      carry += static_cast<std::uint32_t>(b) * 58;
      b = static_cast<std::uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push_back(static_cast<std::uint8_t>(carry & 0xff));
      carry >>= 8;
    }
  }
  Bytes out(ones, '\0');
  out.reserve(ones + bytes.size());
  for (auto it = bytes.rbegin(); it != bytes.rend(); ++it) out += static_cast<char>(*it);
  return out;
}

}  // namespace cl::util
