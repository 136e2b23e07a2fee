#pragma once
// Ed25519 keys for a peer's identity, on OpenSSL 3 (EVP_PKEY_ED25519). A peer signs with its
// KeyPair; others check with its PublicKey, which they learn from its peer ID (peer_id.hpp).
//
// Secret material (the 32-byte seed, PEM text) is wiped with OPENSSL_cleanse where this module
// holds it; what a caller copies out is the caller's to wipe.
#include <openssl/types.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace cl::identity {

inline constexpr std::size_t kEd25519KeyBytes = 32;  // public key and private seed
inline constexpr std::size_t kEd25519SignatureBytes = 64;

// Owns an EVP_PKEY (EVP_PKEY_free on destruction).
struct EvpPkeyFree {
  void operator()(EVP_PKEY* key) const;
};
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;

// An Ed25519 public key: 32 raw bytes (RFC 8032 encoding). A value type, ordered by its bytes.
class PublicKey {
 public:
  // Exactly 32 bytes, else Code::invalid_argument.
  static util::Result<PublicKey> from_raw(util::BytesView raw);
  // From an OpenSSL key (e.g. the one in a peer's TLS certificate); it must be Ed25519
  // (Code::invalid_argument otherwise). Borrows key.
  static util::Result<PublicKey> from_evp(const EVP_PKEY* key);
  // The libp2p protobuf form: PublicKey{Type = Ed25519 (1), Data = key} = 08 01 12 20 || key
  // (36 bytes). unmarshal accepts exactly that encoding (Code::invalid_argument otherwise,
  // naming the key type when it is another one: RSA, Secp256k1, ECDSA).
  util::Bytes marshal() const;
  static util::Result<PublicKey> unmarshal(util::BytesView protobuf);

  util::BytesView raw() const { return {reinterpret_cast<const char*>(raw_.data()), raw_.size()}; }
  // A new OpenSSL key for this public key (for TLS certificate checks).
  util::Result<EvpPkeyPtr> to_evp() const;

  // True iff signature is a valid Ed25519 signature (64 bytes) of message by this key.
  bool verify(util::BytesView message, util::BytesView signature) const;

  friend bool operator==(const PublicKey&, const PublicKey&) = default;
  friend auto operator<=>(const PublicKey&, const PublicKey&) = default;

 private:
  PublicKey() = default;
  std::array<std::uint8_t, kEd25519KeyBytes> raw_{};
};

// An Ed25519 private key with its public key. Move-only (it owns the OpenSSL key).
class KeyPair {
 public:
  // A new key from OpenSSL's random generator. Code::internal if OpenSSL fails.
  static util::Result<KeyPair> generate();
  // The key whose RFC 8032 private seed is the given 32 bytes (Code::invalid_argument otherwise).
  static util::Result<KeyPair> from_seed(util::BytesView seed);
  // PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), unencrypted, as `openssl genpkey -algorithm
  // ed25519` writes it. from_pem refuses other key types and anything that does not parse
  // (Code::corrupt; the message never contains the text).
  static util::Result<KeyPair> from_pem(std::string_view pem);
  util::Result<std::string> to_pem() const;

  const PublicKey& public_key() const { return public_key_; }
  // The 32-byte private seed. Secret: the caller must wipe it (OPENSSL_cleanse) when done.
  util::Bytes seed() const;
  // Borrowed: valid while this KeyPair lives (for TLS: SSL_CTX_use_PrivateKey takes its own ref).
  EVP_PKEY* evp() const { return key_.get(); }

  // The 64-byte Ed25519 signature of message.
  util::Result<util::Bytes> sign(util::BytesView message) const;

 private:
  KeyPair(EvpPkeyPtr key, const PublicKey& pub) : key_(std::move(key)), public_key_(pub) {}
  static util::Result<KeyPair> adopt(EvpPkeyPtr key);
  EvpPkeyPtr key_;
  PublicKey public_key_;
};

}  // namespace cl::identity
