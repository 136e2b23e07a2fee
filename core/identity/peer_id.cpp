#include "identity/peer_id.hpp"

#include <openssl/evp.h>

#include <array>
#include <optional>
#include <vector>

#include "cid/cid.hpp"
#include "cid/multibase.hpp"

namespace cl::identity {

namespace {

using util::Bytes;
using util::BytesView;
using util::Result;

constexpr std::uint64_t kMultihashIdentity = 0x00;
constexpr std::uint64_t kMultihashSha256 = 0x12;

util::Status bad(std::string_view text, const std::string& why) {
  return util::invalid_argument("invalid peer id " + util::quote(text) + ": " + why);
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
    Bytes mh;
    if (cid::base_decode(cid::Multibase::base58btc, text, mh)) return bad(text, "not valid base58btc");
    auto key = key_of_multihash(mh, text);
    if (!key) return key.status();
    return from_public_key(*key);
  }
  // Otherwise a CIDv1 of codec libp2p-key in any multibase ("bafzaa...", "k51...", "z...").
  cid::ParseError reason = cid::ParseError::none;
  auto c = cid::Cid::parse(text, &reason);
  if (!c) {
    if (reason == cid::ParseError::unknown_multibase) {
      return bad(text, "expected a base58btc peer id (12D3KooW...) or a CIDv1 (bafzaa..., k51..., z...)");
    }
    // cid's message is "invalid cid '<text>': <why>": keep the why.
    const std::string& m = c.status().message();
    auto at = m.find("': ");
    return bad(text, at == std::string::npos ? m : m.substr(at + 3));
  }
  if (c->version() != 1) return bad(text, "a CIDv0 names content, not a peer");
  if (c->codec() != cid::Codec::libp2p_key) {
    return bad(text, "a CID of codec " + std::string(cid::codec_name(c->codec())) + ", not libp2p-key");
  }
  auto key = key_of_multihash(c->multihash_bytes(), text);
  if (!key) return key.status();
  return from_public_key(*key);
}

std::string PeerId::to_string() const {
  return cid::base_encode(cid::Multibase::base58btc, bytes_);
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
