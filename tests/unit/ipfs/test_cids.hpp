#pragma once
// Real, distinct CIDs for tests: cid_of(seed) is the CIDv0 of sha2-256(seed).
#include <cctype>
#include <string>
#include <string_view>

#include "cid/cid.hpp"

namespace cl::ipfs::test {

inline cid::Cid cid_of(std::string_view seed) {
  return *cid::Cid::v0(cid::Multihash::sha2_256(seed));
}
inline std::string cid_text(std::string_view seed) {
  return cid_of(seed).to_string();
}

// Replaces "@NAME" with cid_of(NAME) as "Qm...", "%NAME" with its CIDv1 in base32 ("bafy...")
// and "$NAME" with its CIDv1 in base58btc ("zdj7...", as js-ipfs prints); NAME is [A-Za-z0-9]+.
inline std::string with_cids(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i];
    std::size_t j = i + 1;
    while (j < text.size() && std::isalnum(static_cast<unsigned char>(text[j]))) ++j;
    if ((c == '@' || c == '%' || c == '$') && j > i + 1) {
      cid::Cid cid = cid_of(text.substr(i + 1, j - i - 1));
      if (c == '@') out += cid.to_string();
      if (c == '%') out += cid.to_v1().to_string();
      if (c == '$') out += cid.to_v1().to_string(cid::Multibase::base58btc);
      i = j;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

}  // namespace cl::ipfs::test
