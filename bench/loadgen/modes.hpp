#pragma once
// The load generator's modes (see main.cpp for the command line). Each prints one line that
// starts with an upper-case word (RESULT, FAILOVER, LEADER, LS, IMPORT) for run.sh to parse,
// and returns the process exit status (0 ok, 1 failed).
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace cl::bench {

struct Options {
  std::string kind = "cl";             // cl | etcd
  std::vector<std::string> endpoints;  // sockets (cl) or base URLs (etcd); load modes use the first
  std::vector<pid_t> pids;             // failover: the members' PIDs, in endpoint order
  int clients = 1;                     // concurrent connections, one thread each; 1..1024
  double duration_s = 0;               // load: run this long (when count is 0)
  std::uint64_t count = 0;             // load/fill/import: writes in all
  int window = 64;                     // fill: requests in flight per connection
  int batch = 10'000;                  // import: pins per state.import call (daemon limit 10,000)
  int timeout_ms = 10'000;             // per request
  std::uint64_t tag = 0;               // keeps the CIDs of different runs apart
  std::size_t voters = 3;              // ready: voters every cl peer must report
};

int run_load(const Options& o);      // sequential writes per client: ops/s, p50, p99
int run_fill(const Options& o);      // cl: pipelined pin.add, `window` in flight per client
int run_import(const Options& o);    // cl: state.import batches
int run_ls(const Options& o);        // cl: pin.ls stream: first item and total
int run_failover(const Options& o);  // SIGKILL the leader, time to the next committed write
int run_leader(const Options& o);    // print the leader's index
int run_ready(const Options& o);     // wait (bounded by timeout_ms) until all_ready

}  // namespace cl::bench
