#pragma once
// TLS for the peer transport: TLS 1.3 only, both sides present a self-signed X.509 certificate for
// their Ed25519 identity key, and both require one from the other. The certificate is only a
// carrier for the key: the handshake proves the peer holds the private key, and the peer ID is
// derived from that key (peer_key.hpp). Dates and names in the certificate are not checked.
#include <openssl/types.h>

#include <memory>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace cl::net {

struct X509Free {
  void operator()(X509* cert) const;
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const;
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;

// A self-signed certificate for key (Ed25519, borrowed): subject and issuer CN = common_name,
// valid from one hour ago for 100 years, a random serial. Code::internal if OpenSSL fails.
util::Result<X509Ptr> make_self_signed_certificate(EVP_PKEY* key, std::string_view common_name);

// A context for both roles: TLS 1.3 only, the certificate and key (borrowed, OpenSSL takes its
// own references), peer certificate required both ways and accepted only when it is a single,
// correctly self-signed Ed25519 certificate; no session resumption (every connection does a full
// handshake, so every connection presents its certificate).
util::Result<SslCtxPtr> make_tls_context(EVP_PKEY* key, X509* cert);

// After a handshake: the peer ID of the key in the peer's certificate. Code::permission_denied
// when there is no certificate or its key is not Ed25519.
util::Result<std::string> peer_id_of_session(SSL* ssl);

// The last OpenSSL error queue entry as text ("wrong version number"), emptied; "" when none.
std::string take_openssl_error();

}  // namespace cl::net
