// Effects and RecordingWriter (node/effects.hpp): every pin change carries the pin as it was
// before it, read in the same store transaction, which the pin tracker needs to skip useless
// IPFS calls.
#include <catch2/catch.hpp>

#include "node/effects.hpp"
#include "support/temp_dir.hpp"

using namespace cl;

namespace {

pin::Pin pin_of(const std::string& seed, std::vector<std::string> allocations) {
  pin::Pin p;
  p.cid = cid::Cid::v1(cid::Codec::raw, cid::Multihash::sha2_256(seed));
  p.name = seed;
  p.rmin = 1;
  p.rmax = 2;
  p.allocations = std::move(allocations);
  return p;
}

struct Fixture {
  testing::TempDir dir;
  std::unique_ptr<store::Store> s;
  raft::Index next = 1;

  Fixture() {
    store::OpenOptions o;
    o.dir = dir.path();
    o.cluster_id = "c";
    o.peer_id = "p";
    auto r = store::Store::open(o);
    REQUIRE(r.is_ok());
    s = std::move(*r);
  }
  // Applies the entries (one per command) in one save, as the node's Ready loop does.
  node::Effects apply(const std::vector<pin::Command>& commands) {
    node::Effects fx;
    store::SaveBatch b;
    for (const auto& c : commands) {
      b.entries.push_back(raft::Entry{1, next++, raft::EntryType::normal, pin::encode_command(c)});
    }
    b.committed = b.entries;
    auto st = s->save(b, [&](const raft::Entry& e, store::StateWriter& w) {
      node::RecordingWriter rw(w, fx);
      auto r = cluster::apply_command(e.data, rw, &fx);
      return r ? util::Status::ok() : r.status();
    });
    REQUIRE(st.is_ok());
    return fx;
  }
};

}  // namespace

TEST_CASE("each pin change carries the version it replaced, in order", "[effects]") {
  Fixture f;
  auto a1 = pin_of("a", {"peerA"});
  auto a2 = pin_of("a", {"peerB"});
  auto b = pin_of("b", {"peerA"});

  // New pins: nothing before.
  auto fx = f.apply({pin::Command{{pin::PinOp{a1}, pin::PinOp{b}}}});
  REQUIRE(fx.pins_set.size() == 2);
  REQUIRE(fx.pins_set_before.size() == 2);
  CHECK_FALSE(fx.pins_set_before[0].has_value());
  CHECK_FALSE(fx.pins_set_before[1].has_value());

  // a re-allocated, then a removed, in two entries of one Ready: each sees its own predecessor.
  fx = f.apply({pin::Command{{pin::PinOp{a2}}}, pin::Command{{pin::UnpinOp{a1.cid}}}});
  REQUIRE(fx.pins_set.size() == 1);
  REQUIRE(fx.pins_set_before[0].has_value());
  CHECK(fx.pins_set_before[0]->allocations == std::vector<std::string>{"peerA"});
  REQUIRE(fx.pins_removed.size() == 1);
  REQUIRE(fx.pins_removed_before.size() == 1);
  REQUIRE(fx.pins_removed_before[0].has_value());
  CHECK(fx.pins_removed_before[0]->allocations == std::vector<std::string>{"peerB"});

  // Removing a CID that is not pinned: nothing before.
  fx = f.apply({pin::Command{{pin::UnpinOp{a1.cid}}}});
  REQUIRE(fx.pins_removed_before.size() == 1);
  CHECK_FALSE(fx.pins_removed_before[0].has_value());
  // The state itself is what the commands say.
  auto stored = cluster::read_pin(*f.s, b.cid);
  REQUIRE(stored.is_ok());
  REQUIRE(stored->has_value());
  CHECK((*stored)->name == "b");
}
