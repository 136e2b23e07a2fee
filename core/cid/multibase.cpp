#include "cid/multibase.hpp"

#include "cid/base_impl.hpp"

namespace cl::cid {

namespace {
enum class Family { bits, radix };

struct Base {
  Multibase base;
  Family family;
  unsigned bits_per_char;  // bits family only
  detail::Alphabet alphabet;
};

constexpr std::string_view kHexLower = "0123456789abcdef";
constexpr std::string_view kHexUpper = "0123456789ABCDEF";
constexpr std::string_view kB32Lower = "abcdefghijklmnopqrstuvwxyz234567";
constexpr std::string_view kB32Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kB36Lower = "0123456789abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kB36Upper = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::string_view kB58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr std::string_view kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kB64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const std::array<Base, 9>& bases() {
  using detail::make_alphabet;
  static const std::array<Base, 9> kBases = {{
      {Multibase::base16, Family::bits, 4, make_alphabet("base16", kHexLower, true)},
      {Multibase::base16upper, Family::bits, 4, make_alphabet("base16upper", kHexUpper, true)},
      {Multibase::base32, Family::bits, 5, make_alphabet("base32", kB32Lower, true)},
      {Multibase::base32upper, Family::bits, 5, make_alphabet("base32upper", kB32Upper, true)},
      {Multibase::base36, Family::radix, 0, make_alphabet("base36", kB36Lower, true)},
      {Multibase::base36upper, Family::radix, 0, make_alphabet("base36upper", kB36Upper, true)},
      {Multibase::base58btc, Family::radix, 0, make_alphabet("base58btc", kB58, false)},
      {Multibase::base64, Family::bits, 6, make_alphabet("base64", kB64, false)},
      {Multibase::base64url, Family::bits, 6, make_alphabet("base64url", kB64Url, false)},
  }};
  return kBases;
}

const Base& find(Multibase base) {
  for (const auto& b : bases()) {
    if (b.base == base) return b;
  }
  CL_UNREACHABLE("Multibase value outside the enum");
}
}  // namespace

std::string_view multibase_name(Multibase base) {
  for (const auto& b : bases()) {
    if (b.base == base) return b.alphabet.name;
  }
  return "unknown";
}

std::optional<Multibase> multibase_from_prefix(char prefix) {
  for (const auto& b : bases()) {
    if (multibase_prefix(b.base) == prefix) return b.base;
  }
  return std::nullopt;
}

std::optional<Multibase> multibase_from_name(std::string_view name) {
  for (const auto& b : bases()) {
    if (b.alphabet.name == name) return b.base;
  }
  return std::nullopt;
}

std::string base_encode(Multibase base, util::BytesView bytes) {
  const Base& b = find(base);
  if (b.family == Family::bits) return detail::bits_encode(b.alphabet, b.bits_per_char, bytes);
  return detail::radix_encode(b.alphabet, bytes);
}

std::string multibase_encode(Multibase base, util::BytesView bytes) {
  return multibase_prefix(base) + base_encode(base, bytes);
}

std::optional<BaseDecodeError> base_decode(Multibase base, std::string_view digits, util::Bytes& out,
                                           std::size_t text_offset) {
  const Base& b = find(base);
  if (b.family == Family::bits) {
    return detail::bits_decode(b.alphabet, b.bits_per_char, digits, out, text_offset);
  }
  return detail::radix_decode(b.alphabet, digits, out, text_offset);
}

util::Result<util::Bytes> multibase_decode(std::string_view text, ParseError* reason) {
  auto fail = [&](ParseError why_reason, const std::string& why) -> util::Result<util::Bytes> {
    if (reason) *reason = why_reason;
    return util::invalid_argument("invalid multibase " + util::quote(text) + ": " + why);
  };
  if (text.empty()) return fail(ParseError::empty, "empty");
  if (text.size() > kMultibaseTextCharsMax) {
    return fail(ParseError::too_long, std::to_string(text.size()) + " characters is over the limit of " +
                                          std::to_string(kMultibaseTextCharsMax));
  }
  auto base = multibase_from_prefix(text[0]);
  if (!base)
    return fail(ParseError::unknown_multibase, "unknown multibase prefix " + util::quote(text.substr(0, 1)));
  util::Bytes out;
  if (auto err = base_decode(*base, text.substr(1), out, 1)) return fail(err->reason, err->why);
  if (reason) *reason = ParseError::none;
  return out;
}

}  // namespace cl::cid
