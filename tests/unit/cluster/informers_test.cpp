#include <catch2/catch.hpp>

#include "cluster/informers.hpp"

using namespace cl;

namespace {

ipfs::RepoStat stat(std::uint64_t repo_size, std::uint64_t storage_max) {
  ipfs::RepoStat s;
  s.repo_size_bytes = repo_size;
  s.storage_max_bytes = storage_max;
  return s;
}

}  // namespace

TEST_CASE("freespace is the smaller of StorageMax - RepoSize and the filesystem's free space") {
  CHECK(cluster::freespace_bytes(stat(300, 1000), std::nullopt) == 700);
  CHECK(cluster::freespace_bytes(stat(300, 1000), 5000) == 700);
  CHECK(cluster::freespace_bytes(stat(300, 1000), 200) == 200);  // the disk is the limit
  CHECK(cluster::freespace_bytes(stat(1000, 1000), 5000) == 0);
  CHECK(cluster::freespace_bytes(stat(2000, 1000), 5000) == 0);  // over StorageMax
  // js-ipfs without StorageMax: 2^53-1, so the filesystem decides.
  CHECK(cluster::freespace_bytes(stat(300, (std::uint64_t{1} << 53) - 1), 123'456) == 123'456);
}

TEST_CASE("filesystem_free_bytes reads the filesystem under a path") {
  auto here = cluster::filesystem_free_bytes("/");
  REQUIRE(here.has_value());
  CHECK(*here > 0);
  CHECK_FALSE(cluster::filesystem_free_bytes("").has_value());
  CHECK_FALSE(cluster::filesystem_free_bytes("/no/such/dir/cl-informers-test").has_value());
}

TEST_CASE("only an IPFS API on this machine has a repo path here") {
  CHECK(cluster::ipfs_api_is_local("http://127.0.0.1:5001"));
  CHECK(cluster::ipfs_api_is_local("http://127.0.0.2:5001/api/v0"));
  CHECK(cluster::ipfs_api_is_local("http://localhost:5001"));
  CHECK(cluster::ipfs_api_is_local("http://[::1]:5001"));
  CHECK(cluster::ipfs_api_is_local("localhost"));
  CHECK_FALSE(cluster::ipfs_api_is_local("http://10.0.0.5:5001"));
  CHECK_FALSE(cluster::ipfs_api_is_local("http://127.example.com:5001"));
  CHECK_FALSE(cluster::ipfs_api_is_local("http://ipfs.example.org"));
  CHECK_FALSE(cluster::ipfs_api_is_local("http://[::1"));
}
