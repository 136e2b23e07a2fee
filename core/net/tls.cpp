#include "net/tls.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdint>

#include "net/peer_key.hpp"

namespace cl::net {

void X509Free::operator()(X509* cert) const {
  X509_free(cert);
}
void SslCtxFree::operator()(SSL_CTX* ctx) const {
  SSL_CTX_free(ctx);
}

namespace {

constexpr long kValidDays = 100L * 365;

util::Status openssl_failure(std::string_view what) {
  std::string detail = take_openssl_error();
  return util::internal_error(std::string(what) + (detail.empty() ? "" : ": " + detail));
}

// A certificate is acceptable when it is Ed25519 and signed by its own key. Anything else about
// it (dates, names, extensions) is irrelevant: the key is the identity.
bool acceptable_certificate(X509* cert) {
  if (cert == nullptr) return false;
  EVP_PKEY* key = X509_get0_pubkey(cert);
  if (key == nullptr || !EVP_PKEY_is_a(key, "ED25519")) return false;
  return X509_verify(cert, key) == 1;
}

int verify_callback(int /*preverify_ok*/, X509_STORE_CTX* store) {
  // Called for each problem OpenSSL finds (a self-signed leaf is one); judge the leaf ourselves.
  // A chain of more than one certificate is refused: cl peers send exactly one.
  STACK_OF(X509)* untrusted = X509_STORE_CTX_get0_untrusted(store);
  if (untrusted != nullptr && sk_X509_num(untrusted) > 1) return 0;
  return acceptable_certificate(X509_STORE_CTX_get0_cert(store)) ? 1 : 0;
}

}  // namespace

std::string take_openssl_error() {
  unsigned long last = 0;
  while (unsigned long e = ERR_get_error()) last = e;
  if (last == 0) return "";
  const char* reason = ERR_reason_error_string(last);
  return reason != nullptr ? reason : "openssl error " + std::to_string(last);
}

util::Result<X509Ptr> make_self_signed_certificate(EVP_PKEY* key, std::string_view common_name) {
  X509Ptr cert(X509_new());
  if (!cert) return openssl_failure("cannot allocate a certificate");
  std::uint64_t serial = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&serial), sizeof serial) != 1)
    return openssl_failure("cannot draw a certificate serial");
  serial &= 0x7fffffffffffffffULL;  // positive
  X509_NAME* name = X509_get_subject_name(cert.get());
  if (X509_set_version(cert.get(), 2) != 1 ||
      ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), serial) != 1 ||
      X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), kValidDays, 0, nullptr) == nullptr ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>(common_name.data()),
                                 static_cast<int>(common_name.size()), -1, 0) != 1 ||
      X509_set_issuer_name(cert.get(), name) != 1 || X509_set_pubkey(cert.get(), key) != 1) {
    return openssl_failure("cannot fill in the certificate");
  }
  // Ed25519 signs the whole message: no separate digest.
  if (X509_sign(cert.get(), key, nullptr) <= 0) return openssl_failure("cannot sign the certificate");
  return cert;
}

util::Result<SslCtxPtr> make_tls_context(EVP_PKEY* key, X509* cert) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_method()));
  if (!ctx) return openssl_failure("cannot create a tls context");
  SSL_CTX* c = ctx.get();
  if (SSL_CTX_set_min_proto_version(c, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(c, TLS1_3_VERSION) != 1) {
    return openssl_failure("cannot restrict the tls context to TLS 1.3");
  }
  if (SSL_CTX_use_certificate(c, cert) != 1 || SSL_CTX_use_PrivateKey(c, key) != 1 ||
      SSL_CTX_check_private_key(c) != 1) {
    return openssl_failure("cannot install the identity certificate");
  }
  SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verify_callback);
  SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(c, SSL_OP_NO_TICKET);
  SSL_CTX_set_num_tickets(c, 0);
  return ctx;
}

util::Result<std::string> peer_id_of_session(SSL* ssl) {
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (cert == nullptr) return util::permission_denied("the peer presented no certificate");
  return peer_id_of_key(X509_get0_pubkey(cert));
}

}  // namespace cl::net
