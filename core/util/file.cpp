#include "util/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>

namespace cl::util {

namespace {

std::string errno_text(int err) {
  return std::strerror(err);
}

Status sys_error(std::string_view what, const std::string& path, int err) {
  return io_error(std::string(what) + " " + quote(path, 400) + ": " + errno_text(err));
}

std::string parent_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// A name beside path that no one else uses: ".<base>.tmp-<pid>-<random>".
std::string temp_name(const std::string& path) {
  auto slash = path.find_last_of('/');
  std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::random_device rd;
  char suffix[48];
  std::snprintf(suffix, sizeof suffix, ".tmp-%ld-%08x", static_cast<long>(::getpid()), rd());
  return dir + "." + base + suffix;
}

Status write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return sys_error("cannot write", path, errno);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return Status::ok();
}

Status fsync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return sys_error("cannot open directory", dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return sys_error("cannot fsync directory", dir, err);
  return Status::ok();
}

Result<std::string> read_fd(int fd, const std::string& path, std::size_t bytes_max) {
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return sys_error("cannot read", path, errno);
    }
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > bytes_max) {
      return resource_exhausted("file " + quote(path, 400) + " is larger than " + std::to_string(bytes_max) +
                                " bytes");
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

Result<std::string> read_checked(const std::string& path, std::size_t bytes_max, bool private_file) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return not_found("file " + quote(path, 400) + " does not exist");
    if (err == EACCES) return permission_denied("cannot open " + quote(path, 400) + ": " + errno_text(err));
    return sys_error("cannot open", path, err);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return sys_error("cannot stat", path, err);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return invalid_argument(quote(path, 400) + " is not a regular file");
  }
  if (private_file && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    ::close(fd);
    return permission_denied("permissions " + mode_string(st.st_mode) + " on " + quote(path, 400) +
                             " are too open (group or others may access it): run chmod 600 " + path);
  }
  auto data = read_fd(fd, path, bytes_max);
  ::close(fd);
  return data;
}

}  // namespace

std::string mode_string(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

Status write_file_atomic(const std::string& path, std::string_view data, mode_t mode, bool replace) {
  std::string tmp = temp_name(path);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return sys_error("cannot create", tmp, errno);
  Status st = write_all(fd, data, tmp);
  if (st.is_ok() && ::fsync(fd) != 0) st = sys_error("cannot fsync", tmp, errno);
  if (::close(fd) != 0 && st.is_ok()) st = sys_error("cannot close", tmp, errno);
  if (st.is_ok()) {
    if (replace) {
      if (::rename(tmp.c_str(), path.c_str()) != 0) st = sys_error("cannot rename into", path, errno);
    } else if (::link(tmp.c_str(), path.c_str()) != 0) {
      int err = errno;
      st = err == EEXIST ? already_exists("file " + quote(path, 400) + " already exists")
                         : sys_error("cannot create", path, err);
    }
  }
  // After a rename tmp is gone; after link (or any failure) it must go.
  if (!(replace && st.is_ok())) ::unlink(tmp.c_str());
  if (!st.is_ok()) return st;
  return fsync_dir(parent_of(path));
}

Result<std::string> read_file(const std::string& path, std::size_t bytes_max) {
  return read_checked(path, bytes_max, false);
}

Result<std::string> read_private_file(const std::string& path, std::size_t bytes_max) {
  return read_checked(path, bytes_max, true);
}

Status make_directories(const std::string& path, mode_t mode) {
  if (path.empty()) return invalid_argument("empty directory path");
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return Status::ok();
    return failed_precondition(quote(path, 400) + " exists and is not a directory");
  }
  std::string parent = parent_of(path);
  if (parent != path && parent != "." && parent != "/") CL_TRY_STATUS(make_directories(parent, 0755));
  if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST)
    return sys_error("cannot create directory", path, errno);
  return Status::ok();
}

}  // namespace cl::util
