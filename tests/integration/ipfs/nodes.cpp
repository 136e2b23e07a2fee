#include "nodes.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

namespace cl::ipfs::test {

namespace {
std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}
}  // namespace

const Nodes& Nodes::get() {
  static const Nodes nodes = [] {
    Nodes n;
    std::string api = env("CL_IPFS_API_BASE"), swarm = env("CL_IPFS_SWARM_BASE"),
                count = env("CL_IPFS_NODES");
    n.script_ = env("CL_IPFS_NODES_SCRIPT");
    if (api.empty() || swarm.empty() || count.empty() || n.script_.empty()) {
      FAIL(
          "CL_IPFS_API_BASE, CL_IPFS_SWARM_BASE, CL_IPFS_NODES and CL_IPFS_NODES_SCRIPT are not set: run "
          "this "
          "through ctest (ctest -R integration.ipfs), or start nodes by hand as tests/integration/README.md "
          "says");
    }
    n.api_base_ = std::stoi(api);
    n.swarm_base_ = std::stoi(swarm);
    n.count_ = std::stoi(count);
    return n;
  }();
  return nodes;
}

std::string Nodes::api_url(int i) const {
  return "http://127.0.0.1:" + std::to_string(api_base_ + i);
}

std::string Nodes::swarm_addr(int i) const {
  return "/ip4/127.0.0.1/tcp/" + std::to_string(swarm_base_ + i);
}

std::unique_ptr<HttpConnector> Nodes::connect(int i, HttpConfig config) const {
  REQUIRE(i < count_);
  config.api_url = api_url(i);
  auto c = HttpConnector::create(std::move(config));
  REQUIRE(c.is_ok());
  return std::move(*c);
}

bool Nodes::script(const std::string& command) const {
  std::string line = "'" + script_ + "' " + command;
  return std::system(line.c_str()) == 0;
}

}  // namespace cl::ipfs::test
