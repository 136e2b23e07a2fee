#pragma once
// The identity key file ($CL_HOME/identity.key): the peer's Ed25519 private key as unencrypted
// PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), the format `openssl genpkey -algorithm ed25519`
// writes, so that `openssl pkey -in identity.key -noout -text` can inspect it. Mode 0600.
#include <string>

#include "identity/keys.hpp"
#include "util/result.hpp"

namespace cl::identity {

// A PEM Ed25519 key is ~120 bytes; anything much larger is not one.
inline constexpr std::size_t kKeyFileBytesMax = 16 * 1024;

// Write key to path, created with mode 0600 from the start (util::write_file_atomic).
// replace == false: Code::already_exists if path exists.
util::Status write_key_file(const std::string& path, const KeyPair& key, bool replace);

// Load the key at path. Errors name the path:
//   Code::not_found          path does not exist
//   Code::permission_denied  group or others may access the file ("... run chmod 600 PATH")
//   Code::corrupt            not an unencrypted PEM Ed25519 private key
util::Result<KeyPair> load_key_file(const std::string& path);

}  // namespace cl::identity
