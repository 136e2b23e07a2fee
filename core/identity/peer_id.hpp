#pragma once
// PeerId: who a peer is, derived from its Ed25519 public key exactly as libp2p derives it, so that
// cl's peer IDs look like (and are interchangeable with) IPFS and IPFS Cluster peer IDs:
//
//   protobuf  = PublicKey{Type = Ed25519 (1), Data = key}   = 08 01 12 20 || key      (36 bytes)
//   multihash = identity (0x00), length 36, protobuf         = 00 24 08 01 12 20 || key (38 bytes)
//   text      = base58btc(multihash)                         = "12D3KooW..." (52 characters)
//
// (libp2p inlines keys whose protobuf is at most 42 bytes with the identity hash; ed25519 keys
// always are.) Only Ed25519 peer IDs are valid here: cl peers always use Ed25519 identities, and
// an inlined key is what lets a peer check the other side's TLS key against its ID.
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "identity/keys.hpp"
#include "util/bytes.hpp"
#include "util/result.hpp"

namespace cl::identity {

// Longest peer ID text parse() looks at (the forms below are 52 to 65 characters).
inline constexpr std::size_t kPeerIdTextMax = 128;

class PeerId {
 public:
  static PeerId from_public_key(const PublicKey& key);

  // Parse a peer ID written as any of:
  //   "12D3KooW..."       base58btc multihash (libp2p's usual form, `ipfs id`)
  //   "bafzaa..."         CIDv1, codec libp2p-key (0x72), multibase base32 ('b')
  //   "k51qzi5uqu5d..."   the same CID in base36 ('k'), as Kubo prints IPNS names
  //   "z..."              the same CID in base58btc ('z')
  // Errors (Code::invalid_argument) name the text: not decodable, not a libp2p-key CID, a hashed
  // (non-inlined) ID such as "Qm..." (RSA keys), or a key type other than Ed25519.
  static util::Result<PeerId> parse(std::string_view text);
  // From multihash bytes (as carried in messages); the same checks as parse.
  static util::Result<PeerId> from_bytes(util::BytesView multihash);

  // The multihash: 00 24 08 01 12 20 || key (38 bytes).
  const util::Bytes& bytes() const { return bytes_; }
  const PublicKey& public_key() const { return public_key_; }
  // base58btc, "12D3KooW...".
  std::string to_string() const;

  friend bool operator==(const PeerId& a, const PeerId& b) { return a.bytes_ == b.bytes_; }
  friend std::strong_ordering operator<=>(const PeerId& a, const PeerId& b) { return a.bytes_ <=> b.bytes_; }

 private:
  PeerId(util::Bytes bytes, const PublicKey& key) : bytes_(std::move(bytes)), public_key_(key) {}
  util::Bytes bytes_;
  PublicKey public_key_;
};

// The Raft node ID of a peer (raft::NodeId, a nonzero uint64): the first 8 bytes, read big-endian,
// of SHA-256(peer_id.bytes()) (the 38-byte multihash, not the text); the value 0, which Raft
// reserves for "none", becomes 1. Every peer computes the same ID for the same peer without
// coordination. Two peers colliding has probability ~n^2/2^65 (negligible for any real cluster);
// membership changes must still refuse a new peer whose node ID is already taken.
std::uint64_t raft_node_id(const PeerId& peer_id);

}  // namespace cl::identity
