// MemoryConnector: the in-memory daemon later modules test against must behave like the
// Connector contract says (not pinned is done on pin/rm, listings by type, failures on demand).
#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "ipfs/memory_connector.hpp"
#include "test_cids.hpp"

using namespace cl::ipfs;
using cl::util::Code;
using Op = MemoryConnector::Op;
using cl::ipfs::test::cid_of;

namespace {
std::vector<PinInfo> list(Connector& c, PinType type) {
  std::vector<PinInfo> out;
  REQUIRE(c.pin_ls(type, [&](const PinInfo& p) {
             out.push_back(p);
             return Status::ok();
           }).is_ok());
  return out;
}
}  // namespace

TEST_CASE("memory: pins what the network provides, times out on the rest") {
  MemoryConnector ipfs;
  ipfs.provide(cid_of("A"), 100);
  ipfs.provide(cid_of("B"), 5);
  CHECK(ipfs.pin_add(cid_of("A"), {}).is_ok());
  PinAddOptions direct;
  direct.type = PinType::direct;
  CHECK(ipfs.pin_add(cid_of("B"), direct).is_ok());
  CHECK(ipfs.pin_add(cid_of("Nobody"), {}).code() == Code::timeout);

  auto rec = list(ipfs, PinType::recursive);
  REQUIRE(rec.size() == 1);
  CHECK(rec[0].cid == cid_of("A"));
  auto dir = list(ipfs, PinType::direct);
  REQUIRE(dir.size() == 1);
  CHECK(dir[0].cid == cid_of("B"));
  CHECK(ipfs.repo_stat()->repo_size_bytes == 105);

  // A direct pin does not downgrade a recursive one.
  CHECK(ipfs.pin_add(cid_of("A"), direct).is_ok());
  CHECK(ipfs.pins().at(cid_of("A")) == PinType::recursive);

  CHECK(ipfs.pin_rm(cid_of("A")).is_ok());
  CHECK(ipfs.pin_rm(cid_of("A")).is_ok());  // not pinned: done
  CHECK_FALSE(ipfs.is_pinned(cid_of("A")));
  CHECK(ipfs.calls(Op::pin_rm) == 2);
}

TEST_CASE("memory: injected failures, down, and recovery") {
  MemoryConnector ipfs;
  ipfs.provide(cid_of("A"));
  ipfs.fail_next(Op::pin_add, cl::util::internal_error("disk on fire"), 2);
  CHECK(ipfs.pin_add(cid_of("A"), {}).code() == Code::internal);
  CHECK(ipfs.pin_add(cid_of("A"), {}).code() == Code::internal);
  CHECK(ipfs.pin_add(cid_of("A"), {}).is_ok());
  CHECK(ipfs.calls(Op::pin_add) == 3);

  ipfs.set_down(true);
  CHECK(ipfs.id().code() == Code::unavailable);
  CHECK(ipfs.pin_ls(PinType::recursive, [](const PinInfo&) { return Status::ok(); }).code() ==
        Code::unavailable);
  ipfs.set_down(false);
  CHECK(ipfs.id()->id == "12D3KooWMemoryConnector");
}

TEST_CASE("memory: a held pin blocks until released or cancelled") {
  MemoryConnector ipfs;
  ipfs.provide(cid_of("A"));
  ipfs.provide(cid_of("B"));
  ipfs.hold(cid_of("A"));
  ipfs.hold(cid_of("B"));
  CancelFlag cancel_b;
  Status a, b;
  std::thread ta([&] { a = ipfs.pin_add(cid_of("A"), {}); });
  std::thread tb([&] {
    PinAddOptions o;
    o.cancel = &cancel_b;
    b = ipfs.pin_add(cid_of("B"), o);
  });
  while (ipfs.pin_adds_in_flight() < 2) std::this_thread::yield();
  CHECK(ipfs.pins().empty());
  cancel_b.cancel();
  ipfs.release(cid_of("A"));
  ta.join();
  tb.join();
  CHECK(a.is_ok());
  CHECK(b.code() == Code::cancelled);
  CHECK(ipfs.pins().size() == 1);
  CHECK(ipfs.pin_adds_in_flight_max() == 2);
  CHECK(ipfs.pin_adds_in_flight() == 0);
}

TEST_CASE("memory: pin_update, add, block_stat, swarm") {
  MemoryConnector ipfs;
  ipfs.provide(cid_of("Old"));
  ipfs.provide(cid_of("New"), 7);
  CHECK(ipfs.pin_update(cid_of("Old"), cid_of("New"), true).code() == Code::not_found);
  REQUIRE(ipfs.pin_add(cid_of("Old"), {}).is_ok());
  CHECK(ipfs.pin_update(cid_of("Old"), cid_of("New"), true).is_ok());
  CHECK(ipfs.pins() == std::map<Cid, PinType>{{cid_of("New"), PinType::recursive}});

  AddRequest req;
  req.content = "hello";
  req.name = "h.txt";
  auto first = ipfs.add(req);
  auto again = ipfs.add(req);
  REQUIRE(first.is_ok());
  CHECK(first->cid == again->cid);
  CHECK(first->size_bytes == 5);
  CHECK(ipfs.is_pinned(first->cid));
  req.content = "other";
  CHECK(ipfs.add(req)->cid != first->cid);
  CHECK(ipfs.block_stat(first->cid)->size_bytes == 5);
  CHECK(ipfs.block_stat(cid_of("Nobody")).code() == Code::timeout);

  CHECK(ipfs.swarm_connect("/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWPeer").is_ok());
  CHECK(ipfs.swarm_connect("nonsense").code() == Code::invalid_argument);
  auto peers = ipfs.swarm_peers();
  REQUIRE(peers->size() == 1);
  CHECK((*peers)[0].peer == "12D3KooWPeer");
}
