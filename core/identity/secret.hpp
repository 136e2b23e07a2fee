#pragma once
// The cluster secret: 32 random bytes shared by every peer of a cluster. Peers prove they know it
// when they connect (core/net); a peer without it learns nothing and changes nothing.
//
// On disk ($CL_HOME/secret, mode 0600) and on the command line it is 64 hex digits; the file may
// end with a newline. Error messages never contain the secret, or a would-be secret, in full.
#include <string>
#include <string_view>

#include "util/bytes.hpp"
#include "util/result.hpp"

namespace cl::identity {

inline constexpr std::size_t kSecretBytes = 32;

// Move-only; the bytes are wiped (OPENSSL_cleanse) on destruction.
class ClusterSecret {
 public:
  // 32 bytes from OpenSSL's RAND_bytes. Code::internal if the generator fails.
  static util::Result<ClusterSecret> generate();
  // Exactly 64 hex digits (either case). Code::invalid_argument: "expected 64 hex digits, got 12
  // characters" / "expected 64 hex digits, found a non-hex character at offset 7" (the text itself
  // is never repeated). Callers prefix what it was ("invalid --secret: ...").
  static util::Result<ClusterSecret> from_hex(std::string_view hex);

  ClusterSecret(ClusterSecret&&) noexcept;
  ClusterSecret& operator=(ClusterSecret&&) noexcept;
  ClusterSecret(const ClusterSecret&) = delete;
  ClusterSecret& operator=(const ClusterSecret&) = delete;
  ~ClusterSecret();

  util::BytesView bytes() const { return bytes_; }
  std::string to_hex() const;  // 64 lowercase hex digits

  // Constant-time comparison.
  bool equals(const ClusterSecret& other) const;

 private:
  explicit ClusterSecret(util::Bytes bytes) : bytes_(std::move(bytes)) {}
  void wipe();
  util::Bytes bytes_;
};

// Write "<64 hex>\n" to path, mode 0600 from the start. replace == false: Code::already_exists if
// path exists.
util::Status write_secret_file(const std::string& path, const ClusterSecret& secret, bool replace);

// Load the secret at path; errors name the path: Code::not_found, Code::permission_denied (group or
// others may access it: "run chmod 600 PATH"), Code::corrupt (not 64 hex digits).
util::Result<ClusterSecret> load_secret_file(const std::string& path);

}  // namespace cl::identity
