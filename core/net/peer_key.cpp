#include "net/peer_key.hpp"

#include <openssl/evp.h>

#include "util/bytes.hpp"

namespace cl::net {

// STOPGAP until core/identity lands on main: hex of the raw key, so that tests can run. Replaced by
// identity::PeerId::from_public_key(...).to_string().
util::Result<std::string> peer_id_of_key(const EVP_PKEY* key) {
  if (key == nullptr || !EVP_PKEY_is_a(key, "ED25519"))
    return util::permission_denied("the certificate key is not an Ed25519 key");
  unsigned char raw[32];
  std::size_t len = sizeof raw;
  if (EVP_PKEY_get_raw_public_key(key, raw, &len) != 1 || len != sizeof raw)
    return util::permission_denied("cannot read the certificate's Ed25519 key");
  return util::to_hex(util::BytesView(reinterpret_cast<const char*>(raw), len));
}

}  // namespace cl::net
