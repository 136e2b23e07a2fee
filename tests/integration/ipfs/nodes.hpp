#pragma once
// The js-ipfs nodes of this test's ctest fixture (cmake/ipfs_fixture.cmake), found through the
// environment the fixture sets: CL_IPFS_API_BASE, CL_IPFS_SWARM_BASE, CL_IPFS_NODES,
// CL_IPFS_RUN and CL_IPFS_NODES_SCRIPT. Node i's API is http://127.0.0.1:(API_BASE+i).
// By hand: start nodes with scripts/ipfs-nodes.sh under the same variables, then run the test
// binary (tests/integration/README.md).
#include <memory>
#include <string>

#include "ipfs/http_connector.hpp"

namespace cl::ipfs::test {

class Nodes {
 public:
  // The nodes named by the environment; fails the test (with what to do) when it is not set.
  static const Nodes& get();

  int count() const { return count_; }
  std::string api_url(int i) const;
  // /ip4/127.0.0.1/tcp/<SWARM_BASE+i>
  std::string swarm_addr(int i) const;
  // A connector to node i with the given configuration (api_url is filled in).
  std::unique_ptr<HttpConnector> connect(int i, HttpConfig config = {}) const;

  // scripts/ipfs-nodes.sh <command>, with the fixture's environment; true when it exits 0.
  bool script(const std::string& command) const;

 private:
  int count_ = 0;
  int api_base_ = 0;
  int swarm_base_ = 0;
  std::string script_;
};

}  // namespace cl::ipfs::test
