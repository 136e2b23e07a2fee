#pragma once
// LocalCluster: real cl-raftd processes on loopback for integration tests. Each peer gets its own
// CL_HOME under a temporary directory, a peer port from a base the test picks (so suites can run
// in parallel), and a log file. Everything started is killed (SIGKILL) by the destructor, by PID.
//
//   LocalCluster c({.bin_dir = CL_BIN_DIR, .base_port = 19700});
//   c.add_peers(3);                       // peer 0 starts a cluster, 1 and 2 join through it
//   REQUIRE(c.wait_for_voters(3));
//   auto r = c.call(1, "pin.add", {{"cid", "..."}});
//   c.kill(c.leader());                   // SIGKILL
//   c.start(i);                           // restart with the same CL_HOME
#include <sys/types.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/client.hpp"
#include "support/temp_dir.hpp"

namespace cl::testing {

struct LocalClusterOptions {
  std::string bin_dir;  // holds cl-raftd
  int base_port = 19700;
  // Extra environment for every daemon, e.g. {"CL_SNAPSHOT_INTERVAL_ENTRIES", "50"}.
  std::map<std::string, std::string> env;
  // Extra environment for peer i only (over env), e.g. {{0, {{"CL_IPFS_API", "http://..."}}}}.
  std::map<int, std::map<std::string, std::string>> peer_env;
  // Timing: fast elections for tests.
  std::string heartbeat = "50ms";
  std::string election = "500ms";
};

class LocalCluster {
 public:
  explicit LocalCluster(LocalClusterOptions options);
  ~LocalCluster();
  LocalCluster(const LocalCluster&) = delete;
  LocalCluster& operator=(const LocalCluster&) = delete;

  // Initialise CL_HOMEs and start peers; the first peer of the cluster bootstraps it, the others
  // join through peer 0 (or `through`). Returns the index of the last peer added.
  int add_peers(int n, int through = 0);
  // Initialise a peer with a secret of our choosing (e.g. a wrong one); not started.
  int init_peer(const std::string& secret_hex);
  // (Re)start peer i; join through `join` on its first start when given.
  void start(int i, std::optional<int> join = std::nullopt, std::map<std::string, std::string> env = {});
  void kill(int i, int sig = 9);
  // Wait for the process to exit (after a kill or a self-stop); its exit status, or -1.
  int wait_exit(int i, int timeout_ms = 10'000);
  bool running(int i) const;

  int size() const { return static_cast<int>(peers_.size()); }
  const std::string& home(int i) const { return peers_[i].home; }
  std::string socket(int i) const { return peers_[i].home + "/raftd.sock"; }
  std::string log(int i) const;  // the log's text so far
  std::string log_path(int i) const { return peers_[i].home + ".log"; }
  int port(int i) const { return options_.base_port + i; }
  std::string addr(int i) const { return "127.0.0.1:" + std::to_string(port(i)); }
  const std::string& secret() const { return secret_; }
  const std::string& peer_id(int i) const { return peers_[i].peer_id; }

  util::Result<api::Json> call(int i, const std::string& method, api::Json params = api::Json::object(),
                               int timeout_ms = 10'000) const;
  // Every item of a streamed method, in order.
  util::Result<std::vector<api::Json>> stream(int i, const std::string& method,
                                              api::Json params = api::Json::object(),
                                              int timeout_ms = 30'000) const;
  // The index of the peer that leads according to a majority-agreeing running peer; -1 if none.
  int leader() const;
  // Wait (bounded) until pred holds; false on timeout.
  static bool wait_until(const std::function<bool()>& pred, int timeout_ms = 30'000);
  bool wait_for_leader(int timeout_ms = 30'000) const;
  // Until some peer reports `n` voters and a leader.
  bool wait_for_voters(std::size_t n, int timeout_ms = 60'000) const;
  // Until every running peer applied at least the leader's commit index.
  bool wait_caught_up(int timeout_ms = 60'000) const;

 private:
  struct Peer {
    std::string home;
    std::string peer_id;
    pid_t pid = -1;
    std::map<std::string, std::string> env;
  };
  void init_home(Peer& p, const std::string& secret_hex);

  LocalClusterOptions options_;
  TempDir dir_;
  std::string secret_;
  std::vector<Peer> peers_;
};

}  // namespace cl::testing
