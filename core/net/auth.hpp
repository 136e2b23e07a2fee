#pragma once
// The cluster-secret proof each side of a connection sends right after the TLS handshake.
//
//   exporter = TLS-Exporter(label "EXPORTER-cl-cluster-secret", no context, 32 bytes)   (RFC 8446 7.5)
//   proof    = HMAC-SHA256(secret, "cl-auth-v1" || role || exporter || sender's peer ID text)
//
// role is one byte: 0x01 when the sender dialed the connection, 0x02 when it accepted it. The
// exporter differs for every TLS session, so a proof cannot be replayed on another connection; the
// role byte keeps a proof from being reflected back to its sender; the peer ID binds it to the
// certificate's key. Proofs are compared in constant time (CRYPTO_memcmp).
#include <openssl/types.h>

#include <cstdint>
#include <string_view>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace cl::net {

inline constexpr std::size_t kClusterSecretBytes = 32;
inline constexpr std::size_t kProofBytes = 32;
inline constexpr std::size_t kExporterBytes = 32;
inline constexpr std::string_view kProofContext = "cl-auth-v1";
inline constexpr std::string_view kExporterLabel = "EXPORTER-cl-cluster-secret";

enum class Role : std::uint8_t { dialer = 1, listener = 2 };

// The 32-byte proof. secret must be kClusterSecretBytes and exporter kExporterBytes (CL_ASSERT).
util::Bytes make_proof(util::BytesView secret, Role role, util::BytesView exporter, std::string_view peer_id);

// Constant-time equality of two proofs; false when the sizes differ.
bool proofs_equal(util::BytesView a, util::BytesView b);

// The exporter value of an established TLS 1.3 session. Secret: the caller wipes it when done.
util::Result<util::Bytes> export_session_secret(SSL* ssl);

}  // namespace cl::net
