#include "cid/parse_error.hpp"

#include <array>

namespace cl::cid {

namespace {
constexpr std::array<std::string_view, 20> kNames = {
    "none",
    "empty",
    "too_long",
    "not_ipfs_path",
    "has_path",
    "unknown_multibase",
    "bad_character",
    "bad_encoding",
    "v0_length",
    "v0_multihash",
    "v0_multibase",
    "unknown_version",
    "unknown_codec",
    "unknown_hash",
    "digest_length",
    "digest_too_long",
    "truncated_digest",
    "trailing_bytes",
    "truncated_varint",
    "bad_varint",
};
static_assert(kNames.size() == static_cast<std::size_t>(ParseError::bad_varint) + 1);
}  // namespace

std::string_view parse_error_name(ParseError reason) {
  auto i = static_cast<std::size_t>(reason);
  return i < kNames.size() ? kNames[i] : std::string_view("unknown");
}

}  // namespace cl::cid
