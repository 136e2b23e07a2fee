#include "api/socket_file.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cl::api::detail {

namespace {
std::string quote_path(const std::string& path) {
  return util::quote(path, 4096);
}

// Can something accept on `path`? Returns 0 when it answers, else the errno of connect().
int probe(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return errno;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  int err = rc == 0 ? 0 : errno;
  ::close(fd);
  return err;
}
}  // namespace

std::size_t socket_path_bytes_max() {
  return sizeof(sockaddr_un::sun_path) - 1;
}

util::Status prepare_socket_path(const std::string& path) {
  if (path.empty()) return util::invalid_argument("the socket path is empty; pass --socket or set CL_HOME");
  if (path.size() > socket_path_bytes_max()) {
    return util::invalid_argument("socket path " + quote_path(path) + " is too long (" +
                                  std::to_string(path.size()) + " bytes, at most " +
                                  std::to_string(socket_path_bytes_max()) + "); choose a shorter --socket");
  }
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return util::Status::ok();
    return util::io_error("cannot inspect the socket path " + quote_path(path) + ": " + std::strerror(errno));
  }
  if (!S_ISSOCK(st.st_mode)) {
    return util::failed_precondition(quote_path(path) +
                                     " exists and is not a socket; remove it or choose another --socket");
  }
  int err = probe(path);
  // EAGAIN: its listen queue is full, so it is alive.
  if (err == 0 || err == EAGAIN || err == EINPROGRESS) {
    return util::failed_precondition("another cl-raftd is already listening on " + quote_path(path) +
                                     "; stop it first, or choose another --socket");
  }
  if (err != ECONNREFUSED) {
    return util::permission_denied("cannot check whether a daemon listens on " + quote_path(path) + ": " +
                                   std::strerror(err));
  }
  // Stale: left behind by a daemon that did not stop cleanly.
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return util::io_error("cannot remove the stale socket " + quote_path(path) + ": " + std::strerror(errno));
  }
  return util::Status::ok();
}

std::optional<FileId> file_id(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return std::nullopt;
  return FileId{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
}

void remove_socket_if_ours(const std::string& path, FileId id) {
  auto now = file_id(path);
  if (now && now->dev == id.dev && now->ino == id.ino) ::unlink(path.c_str());
}

}  // namespace cl::api::detail
