#include "net/tls.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <catch2/catch.hpp>

#include "net/peer_key.hpp"
#include "net_fixture.hpp"

using namespace cl::net;

TEST_CASE("the certificate is self-signed by the identity key and names the peer") {
  auto key = testing::make_key();
  auto id = peer_id_of_key(key.get());
  REQUIRE(id.ok());
  auto cert = make_self_signed_certificate(key.get(), *id);
  REQUIRE(cert.ok());
  X509* c = cert->get();
  CHECK(X509_verify(c, key.get()) == 1);
  CHECK(EVP_PKEY_eq(X509_get0_pubkey(c), key.get()) == 1);
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
  auto cert = make_self_signed_certificate(key.get(), "x");
  REQUIRE(cert.ok());
  auto ctx = make_tls_context(key.get(), cert->get());
  REQUIRE(ctx.ok());
  CHECK(SSL_CTX_get_min_proto_version(ctx->get()) == TLS1_3_VERSION);
  CHECK(SSL_CTX_get_max_proto_version(ctx->get()) == TLS1_3_VERSION);
  CHECK((SSL_CTX_get_verify_mode(ctx->get()) & SSL_VERIFY_PEER) != 0);
  CHECK((SSL_CTX_get_verify_mode(ctx->get()) & SSL_VERIFY_FAIL_IF_NO_PEER_CERT) != 0);
  CHECK(SSL_CTX_get_num_tickets(ctx->get()) == 0);
}

TEST_CASE("peer ids come from Ed25519 keys only") {
  auto a = testing::make_key(), b = testing::make_key();
  auto ia = peer_id_of_key(a.get()), ib = peer_id_of_key(b.get());
  REQUIRE(ia.ok());
  REQUIRE(ib.ok());
  CHECK(*ia != *ib);
  CHECK(*peer_id_of_key(a.get()) == *ia);
  testing::Key ec(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  REQUIRE(ec);
  CHECK(peer_id_of_key(ec.get()).code() == cl::util::Code::permission_denied);
}
