#pragma once
// Small helpers shared by the IPFS integration tests.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ipfs/connector.hpp"
#include "support/temp_dir.hpp"
#include "util/rng.hpp"

namespace cl::ipfs::test {

// The seed of this run's random content: CL_TEST_SEED if set, else the time (printed, so that a
// failing run can be replayed). Content must differ between runs against the same nodes, or a
// "fetched from another node" test would find the blocks already there.
inline std::uint64_t run_seed() {
  static const std::uint64_t seed = [] {
    const char* s = std::getenv("CL_TEST_SEED");
    std::uint64_t v =
        s != nullptr
            ? std::strtoull(s, nullptr, 10)
            : static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
    std::printf("integration_ipfs: CL_TEST_SEED=%llu\n", static_cast<unsigned long long>(v));
    return v;
  }();
  return seed;
}

// n random bytes from the run's seed and a per-use salt.
inline std::string random_bytes(std::size_t n, std::uint64_t salt) {
  util::Rng rng(run_seed() ^ (salt * 0x9e3779b97f4a7c15ull));
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(rng.next() & 0xff);
  return out;
}

// A CID whose content nobody has: the CIDv0 of random bytes.
inline Cid random_cid(std::uint64_t salt) {
  return *cid::Cid::v0(cid::Multihash::sha2_256(random_bytes(64, salt)));
}

// Every pin of that type on the node, in the daemon's order.
inline std::vector<PinInfo> pins_of(Connector& ipfs, PinType type) {
  std::vector<PinInfo> out;
  Status st = ipfs.pin_ls(type, [&](const PinInfo& p) {
    out.push_back(p);
    return Status::ok();
  });
  REQUIRE(st.is_ok());
  return out;
}

inline bool has_pin(Connector& ipfs, PinType type, const Cid& cid) {
  for (const auto& p : pins_of(ipfs, type)) {
    if (p.cid == cid) return true;
  }
  return false;
}

// Runs a shell command and returns its stdout (bounded to 1 MB); fails the test if it fails.
inline std::string run(const std::string& command) {
  std::FILE* f = ::popen(command.c_str(), "r");
  REQUIRE(f != nullptr);
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0 && out.size() < (1u << 20)) out.append(buf, n);
  int rc = ::pclose(f);
  INFO("command: " << command);
  REQUIRE(rc == 0);
  return out;
}

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Writes bytes to dir/rel, creating the folders on the way.
inline std::filesystem::path write_file(const cl::testing::TempDir& dir, const std::string& rel,
                                        const std::string& bytes) {
  std::filesystem::path p = std::filesystem::path(dir.path()) / rel;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
  return p;
}

}  // namespace cl::ipfs::test
