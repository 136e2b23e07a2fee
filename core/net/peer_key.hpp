#pragma once
// The one place where net turns a public key into a peer ID.
#include <openssl/types.h>

#include <string>

#include "util/result.hpp"

namespace cl::net {

// The peer ID of an Ed25519 public key (borrowed). Code::permission_denied for another key type.
util::Result<std::string> peer_id_of_key(const EVP_PKEY* key);

}  // namespace cl::net
