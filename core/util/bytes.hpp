#pragma once
// Byte strings and the small encodings every module needs: hex and unsigned LEB128 varints
// (the multiformats "unsigned-varint": at most 9 bytes, minimal encoding required).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace cl::util {

// Bytes are held in std::string (contiguous, cheap to move, ordered by operator<).
using Bytes = std::string;
using BytesView = std::string_view;

std::string to_hex(BytesView bytes);  // lowercase
// Accepts upper and lower case; an error names the text.
Result<Bytes> from_hex(std::string_view hex);

// Append the varint of v to out.
void put_uvarint(Bytes& out, std::uint64_t v);
// Read a varint at in[pos]; on success advances pos. nullopt when truncated, longer than
// 9 bytes (the multiformats limit) or not minimally encoded.
std::optional<std::uint64_t> get_uvarint(BytesView in, std::size_t& pos);

}  // namespace cl::util
