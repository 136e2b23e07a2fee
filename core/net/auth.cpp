#include "net/auth.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/ssl.h>

#include "util/assert.hpp"

namespace cl::net {

util::Bytes make_proof(util::BytesView secret, Role role, util::BytesView exporter,
                       std::string_view peer_id) {
  CL_ASSERT(secret.size() == kClusterSecretBytes, "cluster secret must be 32 bytes");
  CL_ASSERT(exporter.size() == kExporterBytes, "exporter value must be 32 bytes");
  util::Bytes message;
  message.reserve(kProofContext.size() + 1 + exporter.size() + peer_id.size());
  message.append(kProofContext);
  message.push_back(static_cast<char>(role));
  message.append(exporter);
  message.append(peer_id);
  util::Bytes proof(kProofBytes, '\0');
  unsigned int out_bytes = 0;
  const unsigned char* ok = HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
                                 reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                 reinterpret_cast<unsigned char*>(proof.data()), &out_bytes);
  OPENSSL_cleanse(message.data(), message.size());
  CL_ASSERT(ok != nullptr && out_bytes == kProofBytes, "HMAC-SHA256 failed");
  return proof;
}

bool proofs_equal(util::BytesView a, util::BytesView b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

util::Result<util::Bytes> export_session_secret(SSL* ssl) {
  util::Bytes out(kExporterBytes, '\0');
  if (SSL_export_keying_material(ssl, reinterpret_cast<unsigned char*>(out.data()), out.size(),
                                 kExporterLabel.data(), kExporterLabel.size(), nullptr, 0, 0) != 1) {
    return util::internal_error("tls exporter failed");
  }
  return out;
}

}  // namespace cl::net
