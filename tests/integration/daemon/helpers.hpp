#pragma once
// Shared bits of the daemon integration tests.
#include <cstdlib>
#include <set>
#include <string>

#include "cid/cid.hpp"
#include "support/local_cluster.hpp"

namespace cl::testing {

inline std::string bin_dir() {
  const char* d = std::getenv("CL_BIN_DIR");
  return d != nullptr ? d : "build/cmd/cl-raftd";
}

// A distinct valid CID for n: CIDv1 raw of sha2-256("cl-test-<n>").
inline std::string test_cid(std::uint64_t n) {
  return cid::Cid::v1(cid::Codec::raw, cid::Multihash::sha2_256("cl-test-" + std::to_string(n))).to_string();
}

// The pinset as peer i lists it: cid -> the pin's JSON text (allocations and timestamps included).
inline std::map<std::string, std::string> pinset(const LocalCluster& c, int i) {
  std::map<std::string, std::string> out;
  auto items = c.stream(i, "pin.ls", api::Json::object(), 60'000);
  if (!items) return {{"error", items.status().to_string()}};
  for (const auto& p : *items) out[p["cid"].get<std::string>()] = p.dump();
  return out;
}

}  // namespace cl::testing
