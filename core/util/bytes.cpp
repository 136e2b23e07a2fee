#include "util/bytes.hpp"

namespace cl::util {

std::string to_hex(BytesView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

Result<Bytes> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return invalid_argument("invalid hex " + quote(hex) + ": odd number of digits");
  Bytes out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = hex_value(hex[i]), lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0)
      return invalid_argument("invalid hex " + quote(hex) + ": not a hex digit at offset " +
                              std::to_string(hi < 0 ? i : i + 1));
    out += static_cast<char>(hi << 4 | lo);
  }
  return out;
}

void put_uvarint(Bytes& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

std::optional<std::uint64_t> get_uvarint(BytesView in, std::size_t& pos) {
  std::uint64_t v = 0;
  for (int i = 0; i < 9; ++i) {
    if (pos + i >= in.size()) return std::nullopt;
    auto b = static_cast<unsigned char>(in[pos + i]);
    v |= static_cast<std::uint64_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) {
      if (b == 0 && i > 0) return std::nullopt;  // not minimal: trailing zero group
      pos += i + 1;
      return v;
    }
  }
  return std::nullopt;  // longer than 9 bytes
}

}  // namespace cl::util
