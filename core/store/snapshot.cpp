// Store: snapshot files. Format (all integers are unsigned varints):
//   "CLSNAP01" then records { u8 ns (1..255), len key, key, len value, value } in (ns, key) order,
//   then a 0 byte and the SHA-256 of every byte before it.
// The metadata (index, term, membership, size) travels in the Raft message, not in the file.
#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "store/store.hpp"
#include "util/bytes.hpp"

namespace cl::store {

using util::Result;
using util::Status;

namespace {
constexpr std::string_view kMagic = "CLSNAP01";

Status sys_error(const std::string& what, const std::string& path) {
  int e = errno;
  if (e == ENOSPC) return util::resource_exhausted(what + " '" + path + "': disk full");
  return util::io_error(what + " '" + path + "': " + std::strerror(e));
}

// Buffered writer that hashes what it writes and syncs on close.
class SnapshotWriter {
 public:
  Status open(const std::string& path) {
    path_ = path;
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd_ < 0) return sys_error("cannot create snapshot", path);
    md_ = EVP_MD_CTX_new();
    EVP_DigestInit_ex(md_, EVP_sha256(), nullptr);
    return write(kMagic);
  }
  ~SnapshotWriter() {
    if (fd_ >= 0) ::close(fd_);
    if (md_ != nullptr) EVP_MD_CTX_free(md_);
  }
  Status record(std::uint8_t ns, std::string_view key, std::string_view value) {
    std::string key_head(1, static_cast<char>(ns));
    util::put_uvarint(key_head, key.size());
    std::string value_head;
    util::put_uvarint(value_head, value.size());
    CL_TRY_STATUS(write(key_head));
    CL_TRY_STATUS(write(key));
    CL_TRY_STATUS(write(value_head));
    return write(value);
  }
  Result<std::uint64_t> finish() {
    CL_TRY_STATUS(write(std::string(1, '\0')));
    unsigned char digest[32];
    unsigned int n = 0;
    EVP_DigestFinal_ex(md_, digest, &n);
    buf_.append(reinterpret_cast<char*>(digest), 32);
    size_ += 32;
    CL_TRY_STATUS(flush());
    if (::fsync(fd_) != 0) return sys_error("cannot sync snapshot", path_);
    ::close(fd_);
    fd_ = -1;
    return size_;
  }

 private:
  Status write(std::string_view b) {
    // cppcheck-suppress invalidLifetime ; b views the caller's buffer, alive for this call
    EVP_DigestUpdate(md_, b.data(), b.size());
    buf_.append(b);
    size_ += b.size();
    return buf_.size() >= (1 << 20) ? flush() : Status::ok();
  }
  Status flush() {
    std::size_t off = 0;
    while (off < buf_.size()) {
      ssize_t n = ::write(fd_, buf_.data() + off, buf_.size() - off);
      if (n < 0) {
        if (errno == EINTR) continue;
        return sys_error("cannot write snapshot", path_);
      }
      off += static_cast<std::size_t>(n);
    }
    buf_.clear();
    return Status::ok();
  }
  std::string path_;
  int fd_ = -1;
  EVP_MD_CTX* md_ = nullptr;
  std::string buf_;
  std::uint64_t size_ = 0;
};

Status sync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return sys_error("cannot open directory", dir);
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::ok() : sys_error("cannot sync directory", dir);
}
}  // namespace

std::string Store::snapshot_path(raft::Index index) const {
  return options_.dir + "/snapshots/snap-" + std::to_string(index) + ".bin";
}

std::string Store::incoming_path() const {
  return options_.dir + "/snapshots/incoming.part";
}

Result<raft::SnapshotMeta> Store::prepare_snapshot() const {
  auto db = Db::open(options_.dir + "/state.db", false);
  if (!db) return db.status();
  CL_TRY_STATUS(db->exec("BEGIN"));
  raft::SnapshotMeta meta;
  raft::Index log_start = 0;
  raft::Term log_start_term = 0;
  {
    auto st = db->prepare(
        "SELECT key, value FROM meta WHERE key IN ('applied','conf','log_start','log_start_term')");
    if (!st) return st.status();
    for (;;) {
      auto row = st->step();
      if (!row) return row.status();
      if (!*row) break;
      std::string key(st->col_blob(0));
      if (key == "applied") meta.index = static_cast<raft::Index>(st->col_int(1));
      if (key == "log_start") log_start = static_cast<raft::Index>(st->col_int(1));
      if (key == "log_start_term") log_start_term = static_cast<raft::Term>(st->col_int(1));
      if (key == "conf") {
        auto conf = decode_conf(st->col_blob(1));
        if (!conf) return conf.status();
        meta.conf = std::move(*conf);
      }
    }
  }
  if (meta.index == log_start) {
    meta.term = log_start_term;
  } else {
    auto st = db->prepare("SELECT term FROM log WHERE idx = ?1");
    if (!st) return st.status();
    st->bind(1, static_cast<std::int64_t>(meta.index));
    auto row = st->step();
    if (!row) return row.status();
    if (!*row) return util::corrupt("applied entry " + std::to_string(meta.index) + " missing from the log");
    meta.term = static_cast<raft::Term>(st->col_int(0));
  }
  const std::string path = snapshot_path(meta.index);
  const std::string tmp = path + ".tmp";
  SnapshotWriter w;
  CL_TRY_STATUS(w.open(tmp));
  auto st = db->prepare("SELECT ns, key, value FROM state ORDER BY ns, key");
  if (!st) return st.status();
  for (;;) {
    auto row = st->step();
    if (!row) return row.status();
    if (!*row) break;
    CL_TRY_STATUS(w.record(static_cast<std::uint8_t>(st->col_int(0)), st->col_blob(1), st->col_blob(2)));
  }
  auto size = w.finish();
  if (!size) return size.status();
  meta.size_bytes = *size;
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return sys_error("cannot rename snapshot", tmp);
  CL_TRY_STATUS(sync_dir(options_.dir + "/snapshots"));
  return meta;
}

void Store::adopt_snapshot(const raft::SnapshotMeta& meta) {
  snapshot_requested_ = false;
  if (snapshot_ && snapshot_->index >= meta.index) return;
  if (snapshot_) {
    std::error_code ec;
    std::filesystem::remove(snapshot_path(snapshot_->index), ec);
  }
  snapshot_ = meta;
}

bool Store::snapshot_wanted() const {
  return !snapshot_ || snapshot_->index < log_start_;
}

Result<raft::SnapshotMeta> Store::snapshot_meta() const {
  if (!snapshot_ || snapshot_->index < log_start_) {
    snapshot_requested_ = true;
    return util::unavailable("no snapshot covers the log start " + std::to_string(log_start_) + " yet");
  }
  return *snapshot_;
}

Result<raft::SnapshotChunk> Store::snapshot_chunk(raft::Index index, std::uint64_t offset,
                                                  std::uint64_t bytes_max) const {
  if (!snapshot_ || snapshot_->index != index) {
    return util::not_found("snapshot at index " + std::to_string(index) + " is no longer available");
  }
  const std::string path = snapshot_path(index);
  std::ifstream in(path, std::ios::binary);
  if (!in) return util::io_error("cannot open snapshot '" + path + "'");
  if (offset > snapshot_->size_bytes) return util::invalid_argument("snapshot offset past its end");
  std::uint64_t n = std::min(bytes_max, snapshot_->size_bytes - offset);
  raft::SnapshotChunk chunk;
  chunk.data.resize(n);
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(chunk.data.data(), static_cast<std::streamsize>(n));
  if (static_cast<std::uint64_t>(in.gcount()) != n)
    return util::io_error("short read of snapshot '" + path + "'");
  chunk.last = offset + n == snapshot_->size_bytes;
  return chunk;
}

Status Store::stage_snapshot_chunk(const raft::SnapshotMeta& meta, std::uint64_t offset,
                                   std::string_view data) {
  if (!write_fault_.is_ok()) return write_fault_;
  const std::string path = incoming_path();
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (offset == 0 ? O_TRUNC : O_APPEND);
  int fd = ::open(path.c_str(), flags, 0600);
  if (fd < 0) return sys_error("cannot open incoming snapshot", path);
  struct stat_guard {
    int fd;
    ~stat_guard() { ::close(fd); }
  } guard{fd};
  off_t size = ::lseek(fd, 0, SEEK_END);
  if (size < 0 || static_cast<std::uint64_t>(size) != offset) {
    return util::corrupt("snapshot " + std::to_string(meta.index) + " chunk at offset " +
                         std::to_string(offset) + " does not follow the " + std::to_string(size) +
                         " bytes staged");
  }
  if (offset + data.size() > meta.size_bytes)
    return util::corrupt("snapshot chunk runs past the snapshot's size");
  std::size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return sys_error("cannot write incoming snapshot", path);
    }
    off += static_cast<std::size_t>(n);
  }
  if (::fdatasync(fd) != 0) return sys_error("cannot sync incoming snapshot", path);
  return Status::ok();
}

}  // namespace cl::store
