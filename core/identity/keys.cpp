#include "identity/keys.hpp"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

namespace cl::identity {

namespace {

using util::Bytes;
using util::BytesView;
using util::Result;
using util::Status;

// The first queued OpenSSL error, as text, and clear the queue (so errors never leak into
// the next, unrelated call).
std::string openssl_error() {
  unsigned long e = ERR_get_error();
  std::string text = e == 0                       ? "unknown error"
                     : ERR_reason_error_string(e) ? ERR_reason_error_string(e)
                                                  : "error";
  ERR_clear_error();
  return text;
}

Status openssl_failure(std::string_view what) {
  return util::internal_error("openssl: " + std::string(what) + ": " + openssl_error());
}

const unsigned char* bytes_of(BytesView b) {
  return reinterpret_cast<const unsigned char*>(b.data());
}

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

// The protobuf KeyType enum of libp2p's crypto.proto.
std::string_view key_type_name(unsigned char type) {
  switch (type) {
    case 0:
      return "rsa";
    case 1:
      return "ed25519";
    case 2:
      return "secp256k1";
    case 3:
      return "ecdsa";
    default:
      return "unknown";
  }
}

}  // namespace

void EvpPkeyFree::operator()(EVP_PKEY* key) const {
  EVP_PKEY_free(key);
}

// --- PublicKey ---------------------------------------------------------------------------------

Result<PublicKey> PublicKey::from_raw(BytesView raw) {
  if (raw.size() != kEd25519KeyBytes) {
    return util::invalid_argument("invalid ed25519 public key: expected 32 bytes, got " +
                                  std::to_string(raw.size()));
  }
  PublicKey key;
  std::copy(raw.begin(), raw.end(), key.raw_.begin());
  return key;
}

Result<PublicKey> PublicKey::from_evp(const EVP_PKEY* key) {
  if (key == nullptr || EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    return util::invalid_argument("not an ed25519 key");
  }
  PublicKey out;
  std::size_t len = out.raw_.size();
  if (EVP_PKEY_get_raw_public_key(key, out.raw_.data(), &len) != 1 || len != kEd25519KeyBytes) {
    return openssl_failure("reading the ed25519 public key");
  }
  return out;
}

Bytes PublicKey::marshal() const {
  Bytes out("\x08\x01\x12\x20", 4);
  out.append(raw());
  return out;
}

Result<PublicKey> PublicKey::unmarshal(BytesView pb) {
  // Field 1 (KeyType, varint) then field 2 (Data, length-delimited). libp2p keys are written in
  // exactly this order with no other fields; anything else is refused rather than guessed at.
  if (pb.size() >= 2 && pb[0] == '\x08' && pb[1] != '\x01') {
    return util::invalid_argument("unsupported public key type " +
                                  std::string(key_type_name(static_cast<unsigned char>(pb[1]))) +
                                  ": cl peers use ed25519 keys");
  }
  if (pb.size() != 4 + kEd25519KeyBytes || pb.substr(0, 4) != BytesView("\x08\x01\x12\x20", 4)) {
    return util::invalid_argument(
        "invalid libp2p public key: expected the 36-byte ed25519 protobuf (08 01 12 20 ...)");
  }
  return from_raw(pb.substr(4));
}

Result<EvpPkeyPtr> PublicKey::to_evp() const {
  EvpPkeyPtr key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw_.data(), raw_.size()));
  if (!key) return openssl_failure("loading an ed25519 public key");
  return key;
}

bool PublicKey::verify(BytesView message, BytesView signature) const {
  if (signature.size() != kEd25519SignatureBytes) return false;
  auto key = to_evp();
  if (!key) return false;
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key->get()) == 1 &&
            EVP_DigestVerify(ctx.get(), bytes_of(signature), signature.size(), bytes_of(message),
                             message.size()) == 1;
  ERR_clear_error();  // a bad signature queues an error; it is an answer, not a failure
  return ok;
}

// --- KeyPair -----------------------------------------------------------------------------------

Result<KeyPair> KeyPair::adopt(EvpPkeyPtr key) {
  auto pub = PublicKey::from_evp(key.get());
  if (!pub) return pub.status();
  return KeyPair(std::move(key), *pub);
}

Result<KeyPair> KeyPair::generate() {
  EvpPkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) return openssl_failure("generating an ed25519 key");
  return adopt(std::move(key));
}

Result<KeyPair> KeyPair::from_seed(BytesView seed) {
  if (seed.size() != kEd25519KeyBytes) {
    return util::invalid_argument("invalid ed25519 private key: expected a 32-byte seed, got " +
                                  std::to_string(seed.size()) + " bytes");
  }
  EvpPkeyPtr key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, bytes_of(seed), seed.size()));
  if (!key) return openssl_failure("loading an ed25519 private key");
  return adopt(std::move(key));
}

Result<KeyPair> KeyPair::from_pem(std::string_view pem) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return openssl_failure("BIO_new_mem_buf");
  // A password callback that declines: an encrypted key fails instead of prompting on a terminal.
  auto no_password = [](char*, int, int, void*) -> int { return 0; };
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_password, nullptr));
  if (!key) {
    ERR_clear_error();
    return util::corrupt(
        "not a PEM private key (expected '-----BEGIN PRIVATE KEY-----', PKCS#8, unencrypted)");
  }
  if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
    const char* type = EVP_PKEY_get0_type_name(key.get());
    return util::corrupt(std::string("the private key is ") + (type != nullptr ? type : "of another type") +
                         ", not ed25519");
  }
  return adopt(std::move(key));
}

Result<std::string> KeyPair::to_pem() const {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_secmem()));
  if (!bio) bio.reset(BIO_new(BIO_s_mem()));
  if (!bio) return openssl_failure("BIO_new");
  if (PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return openssl_failure("writing the private key as PEM");
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  std::string pem(data, static_cast<std::size_t>(len));
  OPENSSL_cleanse(data, static_cast<std::size_t>(len));
  return pem;
}

Bytes KeyPair::seed() const {
  Bytes seed(kEd25519KeyBytes, '\0');
  std::size_t len = seed.size();
  bool ok =
      EVP_PKEY_get_raw_private_key(key_.get(), reinterpret_cast<unsigned char*>(seed.data()), &len) == 1;
  CL_ASSERT(ok && len == kEd25519KeyBytes, "an ed25519 KeyPair always has a 32-byte seed");
  return seed;
}

Result<Bytes> KeyPair::sign(BytesView message) const {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1) {
    return openssl_failure("EVP_DigestSignInit");
  }
  Bytes sig(kEd25519SignatureBytes, '\0');
  std::size_t len = sig.size();
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, bytes_of(message),
                     message.size()) != 1 ||
      len != kEd25519SignatureBytes) {
    return openssl_failure("signing with ed25519");
  }
  return sig;
}

}  // namespace cl::identity
