#include "identity/secret.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "util/file.hpp"

namespace cl::identity {

namespace {
bool is_hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
}  // namespace

util::Result<ClusterSecret> ClusterSecret::generate() {
  util::Bytes bytes(kSecretBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(bytes.size())) != 1) {
    return util::internal_error("openssl: RAND_bytes failed to make a cluster secret");
  }
  return ClusterSecret(std::move(bytes));
}

util::Result<ClusterSecret> ClusterSecret::from_hex(std::string_view hex) {
  if (hex.size() != 2 * kSecretBytes) {
    return util::invalid_argument("expected 64 hex digits, got " + std::to_string(hex.size()) +
                                  " characters");
  }
  for (std::size_t i = 0; i < hex.size(); ++i) {
    if (!is_hex_digit(hex[i])) {
      return util::invalid_argument("expected 64 hex digits, found a non-hex character at offset " +
                                    std::to_string(i));
    }
  }
  auto bytes = util::from_hex(hex);
  CL_ASSERT(bytes.is_ok(), "64 checked hex digits decode");
  return ClusterSecret(std::move(*bytes));
}

ClusterSecret::ClusterSecret(ClusterSecret&& other) noexcept : bytes_(std::move(other.bytes_)) {
  other.wipe();
}

ClusterSecret& ClusterSecret::operator=(ClusterSecret&& other) noexcept {
  if (this != &other) {
    wipe();
    bytes_ = std::move(other.bytes_);
    other.wipe();
  }
  return *this;
}

ClusterSecret::~ClusterSecret() {
  wipe();
}

void ClusterSecret::wipe() {
  if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
  bytes_.clear();
}

std::string ClusterSecret::to_hex() const {
  return util::to_hex(bytes_);
}

bool ClusterSecret::equals(const ClusterSecret& other) const {
  return bytes_.size() == other.bytes_.size() &&
         CRYPTO_memcmp(bytes_.data(), other.bytes_.data(), bytes_.size()) == 0;
}

util::Status write_secret_file(const std::string& path, const ClusterSecret& secret, bool replace) {
  std::string text = secret.to_hex() + "\n";
  util::Status st = util::write_file_atomic(path, text, 0600, replace);
  OPENSSL_cleanse(text.data(), text.size());
  return st;
}

util::Result<ClusterSecret> load_secret_file(const std::string& path) {
  auto text = util::read_private_file(path, 4096);
  if (!text) return text.status();
  std::string_view hex = *text;
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' '))
    hex.remove_suffix(1);
  auto secret = ClusterSecret::from_hex(hex);
  OPENSSL_cleanse(text->data(), text->size());
  if (!secret)
    return util::corrupt("invalid cluster secret file " + util::quote(path, 400) + ": " +
                         secret.status().message());
  return secret;
}

}  // namespace cl::identity
