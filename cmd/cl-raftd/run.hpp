#pragma once
// cl-raftd run: the daemon's main loop.
#include <optional>
#include <string>

namespace cl::raftd {

struct RunFlags {
  std::string home;
  std::optional<std::string> join;
  std::optional<std::string> listen;
  std::optional<std::string> advertise;
  std::optional<std::string> socket;
  std::optional<std::string> profile;
  std::optional<std::string> ipfs_api;
  std::optional<std::string> log_level;
  int verbose = 0;
  std::uint64_t seed = 0;
};

// Runs until SIGINT/SIGTERM or until the node stops itself; returns the exit status.
int run_daemon(const RunFlags& flags);

}  // namespace cl::raftd
