#pragma once
// Internal to core/cid: the decoding steps shared by Cid and Multihash, which report a reason
// and an explanation separately so that the public functions can build one message shape.
// Other modules use cid.hpp and multihash.hpp instead.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cid/multihash.hpp"
#include "cid/parse_error.hpp"
#include "util/bytes.hpp"

namespace cl::cid::detail {

struct Failure {
  ParseError reason = ParseError::none;
  std::string why;  // lowercase, no "invalid cid" prefix
};

// "0x70": multicodec numbers are named in hex in messages.
std::string hex_code(std::uint64_t code);

// Reads the varint at in[pos] (named `what` in the message) into out and advances pos.
// false with fail set: truncated_varint when the input ends first, bad_varint when the varint is
// not minimal or longer than 9 bytes.
bool read_varint(util::BytesView in, std::size_t& pos, std::string_view what, std::uint64_t& out,
                 Failure& fail);

struct MultihashSpan {
  HashFn fn = HashFn::identity;
  std::size_t digest_offset = 0;  // into the input
  std::size_t digest_bytes = 0;
};

// Reads the multihash at in[pos], which must end exactly where the input ends.
bool read_multihash(util::BytesView in, std::size_t pos, MultihashSpan& out, Failure& fail);

}  // namespace cl::cid::detail
