// Store: installing a received snapshot (follower side).
#include <openssl/evp.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "store/store.hpp"
#include "util/bytes.hpp"

namespace cl::store {

using util::Result;
using util::Status;

namespace {

// Reads the staged file sequentially, hashing everything except the trailing digest.
class SnapshotReader {
 public:
  SnapshotReader(const std::string& path, std::uint64_t size) : in_(path, std::ios::binary), size_(size) {
    md_ = EVP_MD_CTX_new();
    EVP_DigestInit_ex(md_, EVP_sha256(), nullptr);
  }
  ~SnapshotReader() { EVP_MD_CTX_free(md_); }
  bool good() const { return static_cast<bool>(in_); }

  // Reads n bytes into out (hashing them); false if the file ends first.
  bool read(std::size_t n, std::string& out, bool hash = true) {
    out.resize(n);
    if (n == 0) return true;
    in_.read(out.data(), static_cast<std::streamsize>(n));
    if (static_cast<std::size_t>(in_.gcount()) != n) return false;
    pos_ += n;
    if (hash) EVP_DigestUpdate(md_, out.data(), n);
    return true;
  }
  std::optional<std::uint64_t> varint() {
    std::string b;
    std::uint64_t v = 0;
    for (int i = 0; i < 9; ++i) {
      if (!read(1, b)) return std::nullopt;
      auto c = static_cast<unsigned char>(b[0]);
      v |= static_cast<std::uint64_t>(c & 0x7f) << (7 * i);
      if ((c & 0x80) == 0) return v;
    }
    return std::nullopt;
  }
  std::string digest() {
    unsigned char d[32];
    unsigned int n = 0;
    EVP_DigestFinal_ex(md_, d, &n);
    return std::string(reinterpret_cast<char*>(d), 32);
  }
  std::uint64_t pos() const { return pos_; }
  std::uint64_t size() const { return size_; }

 private:
  std::ifstream in_;
  std::uint64_t size_;
  std::uint64_t pos_ = 0;
  EVP_MD_CTX* md_;
};

}  // namespace

Status Store::install_snapshot(const raft::SnapshotMeta& meta,
                               const std::optional<raft::HardState>& hard_state) {
  if (!write_fault_.is_ok()) return write_fault_;
  const std::string path = incoming_path();
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec || size != meta.size_bytes) {
    return util::corrupt("incoming snapshot " + std::to_string(meta.index) + " has " +
                         std::to_string(ec ? 0 : size) + " bytes staged, expected " +
                         std::to_string(meta.size_bytes));
  }
  SnapshotReader r(path, size);
  std::string magic;
  if (!r.good() || !r.read(8, magic) || magic != "CLSNAP01") {
    return util::corrupt("incoming snapshot " + std::to_string(meta.index) + " is not a cl snapshot");
  }
  auto bad = [&](const std::string& why) {
    return util::corrupt("incoming snapshot " + std::to_string(meta.index) + " at byte " +
                         std::to_string(r.pos()) + ": " + why);
  };
  CL_TRY_STATUS(set_sync_full(true));
  auto txn = Txn::begin(db_);
  if (!txn) return txn.status();
  CL_TRY_STATUS(db_.exec("DELETE FROM state; DELETE FROM log;"));
  std::string nsb, key, value;
  for (;;) {
    if (!r.read(1, nsb)) return bad("truncated");
    auto ns = static_cast<std::uint8_t>(nsb[0]);
    if (ns == 0) break;
    auto klen = r.varint();
    if (!klen || *klen > r.size() || !r.read(*klen, key)) return bad("truncated key");
    auto vlen = r.varint();
    if (!vlen || *vlen > r.size() || !r.read(*vlen, value)) return bad("truncated value");
    put_state_.bind(1, static_cast<std::int64_t>(ns)).bind(2, key).bind(3, value);
    CL_TRY_STATUS(put_state_.run());
  }
  const std::string computed = r.digest();
  std::string stored;
  if (!r.read(32, stored, false) || stored != computed) return bad("checksum mismatch");
  if (r.pos() != size) return bad("trailing bytes");
  auto meta_set = [&](const char* k, std::uint64_t v) {
    set_meta_.bind_text(1, k).bind(2, static_cast<std::int64_t>(v));
    return set_meta_.run();
  };
  CL_TRY_STATUS(meta_set("applied", meta.index));
  CL_TRY_STATUS(meta_set("log_start", meta.index));
  CL_TRY_STATUS(meta_set("log_start_term", meta.term));
  raft::HardState hs = hard_state.value_or(hard_state_);
  hs.commit = std::max(hs.commit, meta.index);
  CL_TRY_STATUS(meta_set("term", hs.term));
  CL_TRY_STATUS(meta_set("vote", hs.vote));
  CL_TRY_STATUS(meta_set("commit", hs.commit));
  set_meta_.bind_text(1, "conf").bind(2, encode_conf(meta.conf));
  CL_TRY_STATUS(set_meta_.run());
  CL_TRY_STATUS(txn->commit());
  applied_ = meta.index;
  log_start_ = meta.index;
  log_start_term_ = meta.term;
  last_index_ = meta.index;
  hard_state_ = hs;
  conf_ = meta.conf;
  cache_.clear();
  cache_bytes_ = 0;
  std::filesystem::remove(path, ec);
  return Status::ok();
}

}  // namespace cl::store
