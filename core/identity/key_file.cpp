#include "identity/key_file.hpp"

#include <openssl/crypto.h>

#include "util/file.hpp"

namespace cl::identity {

util::Status write_key_file(const std::string& path, const KeyPair& key, bool replace) {
  auto pem = key.to_pem();
  if (!pem) return pem.status().with_context("writing identity key " + util::quote(path, 400));
  util::Status st = util::write_file_atomic(path, *pem, 0600, replace);
  OPENSSL_cleanse(pem->data(), pem->size());
  return st;
}

util::Result<KeyPair> load_key_file(const std::string& path) {
  auto pem = util::read_private_file(path, kKeyFileBytesMax);
  if (!pem) return pem.status();
  auto key = KeyPair::from_pem(*pem);
  OPENSSL_cleanse(pem->data(), pem->size());
  if (!key) {
    return util::corrupt("invalid identity key file " + util::quote(path, 400) + ": " +
                         key.status().message() +
                         ": restore it from a backup, or make a new identity with 'cl-raftd init --force'");
  }
  return key;
}

}  // namespace cl::identity
