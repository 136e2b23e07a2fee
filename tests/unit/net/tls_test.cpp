#include "net/tls.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <catch2/catch.hpp>

#include "identity/peer_id.hpp"
#include "net/peer_key.hpp"
#include "net_fixture.hpp"

using namespace cl::net;

TEST_CASE("the certificate is self-signed by the identity key and names the peer") {
  auto pair = testing::make_key();
  EVP_PKEY* key = pair.evp();
  auto id = peer_id_of_key(key);
  REQUIRE(id.is_ok());
  auto cert = make_self_signed_certificate(key, *id);
  REQUIRE(cert.is_ok());
  X509* c = cert->get();
  CHECK(X509_verify(c, key) == 1);
  CHECK(EVP_PKEY_eq(X509_get0_pubkey(c), key) == 1);
  CHECK(X509_check_issued(c, c) == X509_V_OK);
  char cn[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(c), NID_commonName, cn, sizeof cn);
  CHECK(std::string(cn) == *id);
  // Valid now and for decades: a long-running peer never sees its certificate expire.
  CHECK(X509_cmp_current_time(X509_get0_notBefore(c)) < 0);
  time_t in_50_years = time(nullptr) + 50LL * 365 * 24 * 3600;
  CHECK(X509_cmp_time(X509_get0_notAfter(c), &in_50_years) > 0);
}

TEST_CASE("the tls context allows TLS 1.3 only and requires a peer certificate") {
  auto key = testing::make_key();
  auto cert = make_self_signed_certificate(key.evp(), "x");
  REQUIRE(cert.is_ok());
  auto ctx = make_tls_context(key.evp(), cert->get());
  REQUIRE(ctx.is_ok());
  CHECK(SSL_CTX_get_min_proto_version(ctx->get()) == TLS1_3_VERSION);
  CHECK(SSL_CTX_get_max_proto_version(ctx->get()) == TLS1_3_VERSION);
  CHECK((SSL_CTX_get_verify_mode(ctx->get()) & SSL_VERIFY_PEER) != 0);
  CHECK((SSL_CTX_get_verify_mode(ctx->get()) & SSL_VERIFY_FAIL_IF_NO_PEER_CERT) != 0);
  CHECK(SSL_CTX_get_num_tickets(ctx->get()) == 0);
}

TEST_CASE("the peer id of a certificate key is its libp2p peer id; other key types are refused") {
  auto a = testing::make_key();
  auto id = peer_id_of_key(a.evp());
  REQUIRE(id.is_ok());
  CHECK(*id == cl::identity::PeerId::from_public_key(a.public_key()).to_string());
  CHECK(id->rfind("12D3KooW", 0) == 0);
  EVP_PKEY* ec = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  REQUIRE(ec != nullptr);
  CHECK(peer_id_of_key(ec).code() == cl::util::Code::permission_denied);
  EVP_PKEY_free(ec);
  CHECK(peer_id_of_key(nullptr).code() == cl::util::Code::permission_denied);
}
