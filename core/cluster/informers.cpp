#include "cluster/informers.hpp"

#include <sys/statvfs.h>

#include <algorithm>

namespace cl::cluster {

std::uint64_t freespace_bytes(const ipfs::RepoStat& stat,
                              std::optional<std::uint64_t> filesystem_free_bytes) {
  const std::uint64_t by_ipfs =
      stat.storage_max_bytes > stat.repo_size_bytes ? stat.storage_max_bytes - stat.repo_size_bytes : 0;
  return filesystem_free_bytes ? std::min(by_ipfs, *filesystem_free_bytes) : by_ipfs;
}

std::optional<std::uint64_t> filesystem_free_bytes(const std::string& path) {
  if (path.empty()) return std::nullopt;
  struct statvfs fs {};
  if (::statvfs(path.c_str(), &fs) != 0) return std::nullopt;
  return static_cast<std::uint64_t>(fs.f_bavail) * static_cast<std::uint64_t>(fs.f_frsize);
}

bool ipfs_api_is_local(std::string_view api_url) {
  std::string_view rest = api_url;
  if (auto scheme = rest.find("://"); scheme != std::string_view::npos) rest.remove_prefix(scheme + 3);
  std::string_view host;
  if (rest.starts_with('[')) {
    auto end = rest.find(']');
    if (end == std::string_view::npos) return false;
    host = rest.substr(1, end - 1);
  } else {
    host = rest.substr(0, rest.find_first_of(":/"));
  }
  if (host == "localhost" || host == "::1") return true;
  if (!host.starts_with("127.")) return false;
  // 127.a.b.c: digits and dots only.
  return std::all_of(host.begin(), host.end(), [](char ch) { return ch == '.' || (ch >= '0' && ch <= '9'); });
}

}  // namespace cl::cluster
