#pragma once
// Informers: the metrics a peer measures about itself and pushes to the leader (node_alloc.cpp).
// freespace is the only one computed from several sources, here as a pure function, with the two
// effects that feed it (statvfs, and whether the IPFS API is on this machine) beside it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ipfs/types.hpp"

namespace cl::cluster {

// The free space a peer offers for pins: the smaller of IPFS's StorageMax - RepoSize (0 when the
// repo is at or over StorageMax) and, when known, the free space of the filesystem under the repo
// (IPFS Cluster reads only the first, so peers whose StorageMax exceeds the disk fill up until
// they break). js-ipfs reports StorageMax 2^53-1 when unset: then the filesystem decides.
std::uint64_t freespace_bytes(const ipfs::RepoStat& stat, std::optional<std::uint64_t> filesystem_free_bytes);

// Bytes an unprivileged process may still write on the filesystem holding `path` (statvfs
// f_bavail * f_frsize); nullopt when path is empty or cannot be examined (e.g. not on this machine).
std::optional<std::uint64_t> filesystem_free_bytes(const std::string& path);

// True when the IPFS API URL names this machine (localhost, 127.0.0.0/8, [::1]): only then is the
// repo path that repo/stat reports a path that filesystem_free_bytes may examine.
bool ipfs_api_is_local(std::string_view api_url);

}  // namespace cl::cluster
