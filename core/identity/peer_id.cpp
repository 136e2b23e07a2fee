#include "identity/peer_id.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstdio>
#include <optional>
#include <vector>

#include "util/base58.hpp"

namespace cl::identity {

namespace {

using util::Bytes;
using util::BytesView;
using util::Result;

constexpr std::uint64_t kMultihashIdentity = 0x00;
constexpr std::uint64_t kMultihashSha256 = 0x12;
constexpr std::uint64_t kCodecLibp2pKey = 0x72;

util::Status bad(std::string_view text, const std::string& why) {
  return util::invalid_argument("invalid peer id " + util::quote(text) + ": " + why);
}

// RFC 4648 base32, lowercase, no padding (multibase 'b').
std::optional<Bytes> base32_decode(std::string_view text) {
  Bytes out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'a' && c <= 'z') {
      v = c - 'a';
    } else if (c >= '2' && c <= '7') {
      v = c - '2' + 26;
    } else {
      return std::nullopt;
    }
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  // Leftover bits must be fewer than a byte and zero, as an encoder leaves them.
  if (bits >= 5 || (buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

// Base36, lowercase digits then letters (multibase 'k'); leading '0's are zero bytes.
std::optional<Bytes> base36_decode(std::string_view text) {
  std::size_t zeros = 0;
  while (zeros < text.size() && text[zeros] == '0') ++zeros;
  std::vector<std::uint8_t> le;  // base-256, least significant first
  for (std::size_t i = zeros; i < text.size(); ++i) {
    char c = text[i];
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 10;
    } else {
      return std::nullopt;
    }
    std::uint32_t carry = static_cast<std::uint32_t>(v);
    for (auto& b : le) {
      carry += static_cast<std::uint32_t>(b) * 36;
      b = static_cast<std::uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      le.push_back(static_cast<std::uint8_t>(carry & 0xff));
      carry >>= 8;
    }
  }
  Bytes out(zeros, '\0');
  for (auto it = le.rbegin(); it != le.rend(); ++it) out += static_cast<char>(*it);
  return out;
}

// Check a multihash and pull the Ed25519 key out of it; `text` is only for messages.
Result<PublicKey> key_of_multihash(BytesView mh, std::string_view text) {
  std::size_t pos = 0;
  auto code = util::get_uvarint(mh, pos);
  auto len = code ? util::get_uvarint(mh, pos) : std::nullopt;
  if (!code || !len) return bad(text, "not a multihash");
  if (*len != mh.size() - pos) return bad(text, "multihash length does not match its digest");
  if (*code == kMultihashSha256) {
    return bad(
        text,
        "a hashed peer id (not an inlined key, e.g. an RSA peer): cl peers use ed25519 keys (12D3KooW...)");
  }
  if (*code != kMultihashIdentity) return bad(text, "unsupported multihash code " + std::to_string(*code));
  auto key = PublicKey::unmarshal(mh.substr(pos));
  if (!key) return bad(text, key.status().message());
  return *key;
}

}  // namespace

PeerId PeerId::from_public_key(const PublicKey& key) {
  Bytes pb = key.marshal();
  Bytes mh;
  util::put_uvarint(mh, kMultihashIdentity);
  util::put_uvarint(mh, pb.size());
  mh += pb;
  return PeerId(std::move(mh), key);
}

Result<PeerId> PeerId::from_bytes(BytesView multihash) {
  auto key = key_of_multihash(multihash, util::to_hex(multihash));
  if (!key) return key.status();
  return from_public_key(*key);
}

Result<PeerId> PeerId::parse(std::string_view text) {
  if (text.empty()) return util::invalid_argument("invalid peer id '': empty");
  if (text.size() > kPeerIdTextMax) {
    return bad(text, "longer than " + std::to_string(kPeerIdTextMax) + " characters");
  }
  // A multihash in base58btc starts with '1' (identity, 0x00) or 'Q' (sha2-256 "Qm").
  if (text[0] == '1' || text[0] == 'Q') {
    auto mh = util::base58btc_decode(text);
    if (!mh) return bad(text, "not valid base58btc");
    auto key = key_of_multihash(*mh, text);
    if (!key) return key.status();
    return from_public_key(*key);
  }
  // Otherwise a CIDv1 in multibase: the first character names the base.
  std::optional<Bytes> cid;
  std::string_view body = text.substr(1);
  switch (text[0]) {
    case 'b':
      cid = base32_decode(body);
      break;
    case 'k':
      cid = base36_decode(body);
      break;
    case 'z': {
      auto r = util::base58btc_decode(body);
      if (r) cid = *r;
      break;
    }
    default:
      return bad(text, "expected a base58btc peer id (12D3KooW...) or a CIDv1 (bafzaa..., k51..., z...)");
  }
  if (!cid)
    return bad(text, std::string("not valid ") + (text[0] == 'b'   ? "base32"
                                                  : text[0] == 'k' ? "base36"
                                                                   : "base58btc"));
  std::size_t pos = 0;
  auto version = util::get_uvarint(*cid, pos);
  auto codec = version ? util::get_uvarint(*cid, pos) : std::nullopt;
  if (!version || !codec || *version != 1) return bad(text, "not a CIDv1");
  if (*codec != kCodecLibp2pKey) {
    char hex[24];
    std::snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(*codec));
    return bad(text, std::string("a CID of codec ") + hex + ", not libp2p-key (0x72)");
  }
  auto key = key_of_multihash(BytesView(*cid).substr(pos), text);
  if (!key) return key.status();
  return from_public_key(*key);
}

std::string PeerId::to_string() const {
  return util::base58btc_encode(bytes_);
}

std::uint64_t raft_node_id(const PeerId& peer_id) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  bool ok = EVP_Digest(peer_id.bytes().data(), peer_id.bytes().size(), digest.data(), &len, EVP_sha256(),
                       nullptr) == 1;
  CL_ASSERT(ok && len == 32, "sha-256 of a peer id");
  std::uint64_t id = 0;
  for (int i = 0; i < 8; ++i) id = (id << 8) | digest[static_cast<std::size_t>(i)];
  return id == 0 ? 1 : id;
}

}  // namespace cl::identity
