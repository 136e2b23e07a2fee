#pragma once
// Internal to cl_api: the socket file's life. Before binding, a path must be free: nothing there,
// or a stale socket left by a daemon that died (nobody accepts on it), which is removed. A live
// socket (a daemon answers) or a file that is not a socket is never touched. On stop, the file is
// removed only if it is still the one this server bound (same device and inode), so a successor's
// socket survives.
#include <cstdint>
#include <optional>
#include <string>

#include "util/status.hpp"

namespace cl::api::detail {

// The longest path a Unix socket address can hold (sun_path without its NUL).
std::size_t socket_path_bytes_max();

// ok when `path` is free to bind (after removing a stale socket); failed_precondition when a live
// server listens there or the path is not a socket; invalid_argument when it is too long.
util::Status prepare_socket_path(const std::string& path);

struct FileId {
  std::uint64_t dev = 0;
  std::uint64_t ino = 0;
};
std::optional<FileId> file_id(const std::string& path);

// Remove `path` if it is still the file `id`; quietly does nothing otherwise.
void remove_socket_if_ours(const std::string& path, FileId id);

}  // namespace cl::api::detail
