// HttpConnector against real js-ipfs daemons: every endpoint, content moving between nodes over
// bitswap, and CIDs compared by bytes across bases. Nodes come from the ctest fixture
// ipfs_connector (3 nodes, meshed); faults (timeouts, a killed daemon) are in faults_test.cpp.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "helpers.hpp"
#include "nodes.hpp"

using namespace cl::ipfs;
using namespace cl::ipfs::test;
using cl::util::Code;
using Clock = std::chrono::steady_clock;

TEST_CASE("id and version of every node") {
  const Nodes& nodes = Nodes::get();
  REQUIRE(nodes.count() >= 3);
  std::vector<std::string> ids;
  for (int i = 0; i < nodes.count(); ++i) {
    auto ipfs = nodes.connect(i);
    auto id = ipfs->id();
    REQUIRE(id.is_ok());
    CHECK(id->id.rfind("12D3KooW", 0) == 0);
    CHECK(id->agent_version.rfind("js-ipfs/", 0) == 0);
    bool listed = std::any_of(id->addresses.begin(), id->addresses.end(), [&](const std::string& a) {
      return a.rfind(nodes.swarm_addr(i) + "/p2p/" + id->id, 0) == 0;
    });
    CHECK(listed);
    ids.push_back(id->id);
    auto version = ipfs->version();
    REQUIRE(version.is_ok());
    CHECK(version->version == "0.18.1");  // ipfs-core's version in js-ipfs 0.66.1
    CHECK(version->repo == "12");
  }
  std::sort(ids.begin(), ids.end());
  CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
}

TEST_CASE("swarm/peers lists the other nodes; swarm/connect succeeds, or says why not") {
  const Nodes& nodes = Nodes::get();
  auto a = nodes.connect(0);
  auto b = nodes.connect(1);
  auto c = nodes.connect(2);
  std::string id_b = b->id()->id, id_c = c->id()->id;
  auto peers = a->swarm_peers();
  REQUIRE(peers.is_ok());
  auto has = [&](const std::string& id) {
    return std::any_of(peers->begin(), peers->end(), [&](const SwarmPeer& p) { return p.peer == id; });
  };
  CHECK(has(id_b));
  CHECK(has(id_c));

  CHECK(a->swarm_connect(nodes.swarm_addr(1) + "/p2p/" + id_b).is_ok());
  // Nothing listens on the swarm port of a node 9: the dial fails, and the error names the
  // address. (Without /p2p/: js-ipfs answers "success" for an ID it is already connected to.)
  std::string nowhere = nodes.swarm_addr(9);
  Status st = a->swarm_connect(nowhere);
  CHECK(st.code() == Code::internal);
  CHECK_THAT(st.message(), Catch::Contains(nowhere));
  CHECK_THAT(st.message(), Catch::Contains("swarm/connect"));
  CHECK(a->swarm_connect("not-a-multiaddr").code() == Code::invalid_argument);
}

TEST_CASE("a 1 MB file added on node 0 is pinned on node 1, fetched over bitswap") {
  const Nodes& nodes = Nodes::get();
  auto a = nodes.connect(0);
  auto b = nodes.connect(1);
  cl::testing::TempDir dir;
  std::string content = random_bytes(1 << 20, 1);

  AddRequest req;
  req.path = write_file(dir, "big.bin", content);
  std::vector<AddedEntry> entries;
  auto root = a->add(req, [&](const AddedEntry& e) {
    entries.push_back(e);
    return Status::ok();
  });
  REQUIRE(root.is_ok());
  CHECK(root->name == "big.bin");
  CHECK(root->size_bytes > content.size());  // data plus the DAG's links
  CHECK(entries.size() == 1);
  // An independent implementation (Debian's ipfs-cid) gives the same CIDv0.
  std::string independent = run("ipfs_cid '" + req.path.string() + "' 2>/dev/null");
  CHECK_THAT(independent, Catch::Contains("\"CIDv0\":\"" + root->cid.to_string() + "\""));
  CHECK(has_pin(*a, PinType::recursive, root->cid));  // add pins by default
  REQUIRE_FALSE(has_pin(*b, PinType::recursive, root->cid));

  auto t0 = Clock::now();
  PinAddOptions options;
  options.stall_timeout = std::chrono::seconds(60);
  Status pinned = b->pin_add(root->cid, options);
  double secs = seconds_since(t0);
  REQUIRE(pinned.is_ok());
  std::printf("measured: pin/add on node 1 of a 1 MB file held by node 0: %.3f s\n", secs);

  auto pins = pins_of(*b, PinType::recursive);
  CHECK(std::count_if(pins.begin(), pins.end(), [&](const PinInfo& p) { return p.cid == root->cid; }) == 1);
  CHECK_FALSE(has_pin(*b, PinType::direct, root->cid));
  auto block = b->block_stat(root->cid);
  REQUIRE(block.is_ok());
  CHECK(block->cid == root->cid);
  CHECK(block->size_bytes > 0);
}

TEST_CASE("pin/add of content the node already holds, timed") {
  const Nodes& nodes = Nodes::get();
  auto a = nodes.connect(0);
  constexpr int kPins = 20;
  double total = 0, worst = 0;
  for (int i = 0; i < kPins; ++i) {
    AddRequest req;
    req.content = random_bytes(1000, 100 + i);
    req.name = "small.bin";
    req.pin = false;
    auto added = a->add(req);
    REQUIRE(added.is_ok());
    REQUIRE_FALSE(has_pin(*a, PinType::recursive, added->cid));
    auto t0 = Clock::now();
    REQUIRE(a->pin_add(added->cid, {}).is_ok());
    double s = seconds_since(t0);
    total += s;
    worst = std::max(worst, s);
    CHECK(has_pin(*a, PinType::recursive, added->cid));
  }
  std::printf("measured: pin/add of a local 1 kB CID: mean %.1f ms, worst %.1f ms over %d\n",
              total / kPins * 1000, worst * 1000, kPins);
}

TEST_CASE("a direct pin is listed as direct; pin/rm removes it; pin/rm of a CID not pinned is done") {
  const Nodes& nodes = Nodes::get();
  auto a = nodes.connect(0);
  auto c = nodes.connect(2);
  AddRequest req;
  req.content = random_bytes(5000, 2);  // one block: a direct pin holds it all
  req.name = "direct.bin";
  req.pin = false;
  auto added = a->add(req);
  REQUIRE(added.is_ok());

  PinAddOptions direct;
  direct.type = PinType::direct;
  direct.stall_timeout = std::chrono::seconds(60);
  REQUIRE(c->pin_add(added->cid, direct).is_ok());
  CHECK(has_pin(*c, PinType::direct, added->cid));
  CHECK_FALSE(has_pin(*c, PinType::recursive, added->cid));

  REQUIRE(c->pin_rm(added->cid).is_ok());
  CHECK_FALSE(has_pin(*c, PinType::direct, added->cid));
  CHECK(c->pin_rm(added->cid).is_ok());  // js-ipfs answers 500 "... is not pinned": that is done
  CHECK(c->pin_rm(random_cid(8)).is_ok());
}

TEST_CASE("repo/stat reports the node's repo; its string numbers are read") {
  const Nodes& nodes = Nodes::get();
  auto a = nodes.connect(0);
  auto stat = a->repo_stat();
  REQUIRE(stat.is_ok());
  CHECK(stat->repo_size_bytes > 0);
  CHECK(stat->num_objects > 0);
  CHECK(stat->storage_max_bytes >= stat->repo_size_bytes);
  CHECK(stat->version == "12");
  CHECK_THAT(stat->repo_path, Catch::EndsWith("/node0"));
}

TEST_CASE("a directory tree is added, wrapped or not, and pinned on another node") {
  const Nodes& nodes = Nodes::get();
  auto a = nodes.connect(0);
  auto c = nodes.connect(2);
  cl::testing::TempDir dir;
  write_file(dir, "docs/readme.txt", "read me " + std::to_string(run_seed()));
  write_file(dir, "docs/sub dir/notes+1.txt", random_bytes(300'000, 3));
  write_file(dir, "top.bin", random_bytes(10, 4));
  std::filesystem::create_directories(dir.sub("docs/empty"));

  AddRequest req;
  req.path = dir.sub("docs");
  std::vector<std::string> names;
  auto root = a->add(req, [&](const AddedEntry& e) {
    names.push_back(e.name);
    return Status::ok();
  });
  REQUIRE(root.is_ok());
  CHECK(root->name == "docs");
  std::sort(names.begin(), names.end());
  // js-ipfs reports no line for an empty directory (it is in the DAG all the same); Kubo does.
  names.erase(std::remove(names.begin(), names.end(), "docs/empty"), names.end());
  CHECK(names ==
        std::vector<std::string>{"docs", "docs/readme.txt", "docs/sub dir", "docs/sub dir/notes+1.txt"});

  req.wrap = true;
  auto wrapped = a->add(req);
  REQUIRE(wrapped.is_ok());
  CHECK(wrapped->name.empty());
  CHECK(wrapped->cid != root->cid);

  PinAddOptions options;
  options.stall_timeout = std::chrono::seconds(60);
  REQUIRE(c->pin_add(wrapped->cid, options).is_ok());
  CHECK(has_pin(*c, PinType::recursive, wrapped->cid));
  CHECK(c->block_stat(root->cid).is_ok());  // fetched as part of the wrapped tree
}

TEST_CASE("js-ipfs prints CIDv1 in base58btc; they compare equal to our base32 Cids") {
  const Nodes& nodes = Nodes::get();
  auto a = nodes.connect(0);
  auto b = nodes.connect(1);
  AddRequest req;
  req.content = random_bytes(2000, 5);
  req.name = "v1.bin";
  req.cid_version = 1;
  req.pin = false;
  auto added = a->add(req);
  REQUIRE(added.is_ok());
  REQUIRE(added->cid.version() == 1);
  CHECK(added->cid.codec() == cl::cid::Codec::raw);  // cid-version=1 implies raw leaves

  // We send base32; node 1 pins it and lists it in base58btc.
  std::string base32 = added->cid.to_string();
  std::string base58 = added->cid.to_string(cl::cid::Multibase::base58btc);
  REQUIRE(base32.rfind("bafk", 0) == 0);
  REQUIRE(b->pin_add(added->cid, {}).is_ok());
  std::string raw =
      run("curl -sS -m 30 -X POST '" + nodes.api_url(1) + "/api/v0/pin/ls?type=recursive&stream=true'");
  CHECK_THAT(raw, Catch::Contains("\"" + base58 + "\""));
  CHECK_THAT(raw, !Catch::Contains(base32));
  CHECK(has_pin(*b, PinType::recursive, added->cid));
}

TEST_CASE("pin/update on js-ipfs, which has no such endpoint: pins TO, then unpins FROM") {
  const Nodes& nodes = Nodes::get();
  auto a = nodes.connect(0);
  auto b = nodes.connect(1);
  AddRequest req;
  req.name = "v.bin";
  req.content = random_bytes(3000, 6);
  auto from = a->add(req);
  req.content = random_bytes(3000, 7);
  auto to = a->add(req);
  REQUIRE(from.is_ok());
  REQUIRE(to.is_ok());

  Status missing = b->pin_update(from->cid, to->cid, true);
  CHECK(missing.code() == Code::not_found);
  CHECK_THAT(missing.message(), Catch::Contains(from->cid.to_string()));

  REQUIRE(b->pin_add(from->cid, {}).is_ok());
  REQUIRE(b->pin_update(from->cid, to->cid, true).is_ok());
  CHECK(has_pin(*b, PinType::recursive, to->cid));
  CHECK_FALSE(has_pin(*b, PinType::recursive, from->cid));
}

TEST_CASE("ten pins at once through one connector, as the tracker's workers do") {
  const Nodes& nodes = Nodes::get();
  auto a = nodes.connect(0);
  auto b = nodes.connect(1);
  constexpr int kPins = 10;
  std::vector<Cid> cids;
  for (int i = 0; i < kPins; ++i) {
    AddRequest req;
    req.name = "w.bin";
    req.content = random_bytes(100'000, 200 + i);
    req.pin = false;
    auto added = a->add(req);
    REQUIRE(added.is_ok());
    cids.push_back(added->cid);
  }
  std::vector<Status> results(kPins);
  std::vector<std::thread> workers;
  auto t0 = Clock::now();
  for (int i = 0; i < kPins; ++i) {
    workers.emplace_back([&, i] {
      PinAddOptions options;
      options.stall_timeout = std::chrono::seconds(60);
      results[i] = b->pin_add(cids[i], options);
    });
  }
  for (auto& w : workers) w.join();
  std::printf("measured: %d pins of 100 kB files held by node 0, in parallel on node 1: %.3f s\n", kPins,
              seconds_since(t0));
  for (int i = 0; i < kPins; ++i) {
    INFO("pin " << i << ": " << results[i].to_string());
    CHECK(results[i].is_ok());
  }
  auto pins = pins_of(*b, PinType::recursive);
  for (const auto& cid : cids) {
    CHECK(std::count_if(pins.begin(), pins.end(), [&](const PinInfo& p) { return p.cid == cid; }) == 1);
  }
}
