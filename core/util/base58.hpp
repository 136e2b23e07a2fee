#pragma once
// base58btc (the Bitcoin alphabet), as used by multibase ('z') and by legacy IPFS/libp2p text:
// CIDv0 "Qm...", peer IDs "12D3KooW...". Each leading zero byte is written as one leading '1'.
//
// This is a quadratic big-number conversion: meant for short identifiers. Callers bound the input
// (base58btc_decode refuses text longer than kBase58TextMax).
#include <cstddef>
#include <string>
#include <string_view>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace cl::util {

// Longest text base58btc_decode accepts (about 1 KB of bytes): identifiers only, never bulk data.
inline constexpr std::size_t kBase58TextMax = 1400;

std::string base58btc_encode(BytesView bytes);

// An error names the text and the offending character: "invalid base58btc 'x0': '0' at offset 1 is
// not in the base58btc alphabet".
Result<Bytes> base58btc_decode(std::string_view text);

}  // namespace cl::util
