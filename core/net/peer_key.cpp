#include "net/peer_key.hpp"

#include "identity/keys.hpp"
#include "identity/peer_id.hpp"

namespace cl::net {

util::Result<std::string> peer_id_of_key(const EVP_PKEY* key) {
  if (key == nullptr) return util::permission_denied("no certificate key");
  auto public_key = identity::PublicKey::from_evp(key);
  if (!public_key)
    return util::permission_denied("unusable certificate key: " + public_key.status().message());
  return identity::PeerId::from_public_key(*public_key).to_string();
}

}  // namespace cl::net
