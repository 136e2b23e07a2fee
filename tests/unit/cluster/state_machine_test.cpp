#include <catch2/catch.hpp>

#include "cluster/state_machine.hpp"
#include "support/temp_dir.hpp"

using namespace cl;

namespace {

cid::Cid cid_n(int n) {
  // distinct valid CIDv1 raw identity CIDs
  std::string digest = "pin-" + std::to_string(n);
  return cid::Cid::v1(cid::Codec::raw, cid::Multihash::sha2_256(digest));
}

pin::Pin pin_n(int n) {
  pin::Pin p;
  p.cid = cid_n(n);
  p.name = "p" + std::to_string(n);
  p.rmin = 1;
  p.rmax = 2;
  p.allocations = {"peerA"};
  p.timestamp_ms = 1000 + n;
  return p;
}

struct Recorder final : cluster::ChangeSink {
  std::vector<std::string> events;
  void pin_set(const pin::Pin& p) override { events.push_back("set " + p.name); }
  void pin_removed(const cid::Cid& c) override { events.push_back("rm " + c.to_string()); }
  void pinset_replaced() override { events.push_back("replaced"); }
  void peer_set(const pin::PeerInfo& p) override { events.push_back("peer " + p.peer_id); }
  void peer_removed(const std::string& id) override { events.push_back("peer-rm " + id); }
};

struct Fixture {
  testing::TempDir dir;
  std::unique_ptr<store::Store> s;
  raft::Index next = 1;
  Recorder rec;

  Fixture() {
    store::OpenOptions o;
    o.dir = dir.path();
    o.cluster_id = "c";
    o.peer_id = "p";
    auto r = store::Store::open(o);
    REQUIRE(r.is_ok());
    s = std::move(*r);
  }
  // Applies one entry holding `c`; returns whether it was skipped as malformed.
  bool apply(const std::string& data) {
    store::SaveBatch b;
    b.entries = {raft::Entry{1, next++, raft::EntryType::normal, data}};
    b.committed = b.entries;
    bool malformed = false;
    auto st = s->save(b, [&](const raft::Entry& e, store::StateWriter& w) {
      auto r = cluster::apply_command(e.data, w, &rec);
      if (!r) return r.status();
      malformed = r->malformed;
      return util::Status::ok();
    });
    REQUIRE(st.is_ok());
    return malformed;
  }
  bool apply(const pin::Command& c) { return apply(pin::encode_command(c)); }
};

}  // namespace

TEST_CASE("pins and unpins change the pinset and tell the sink") {
  Fixture f;
  pin::Command c;
  c.ops = {pin::PinOp{pin_n(1)}, pin::PinOp{pin_n(2)}};
  CHECK_FALSE(f.apply(c));
  CHECK(f.s->count(store::Ns::pins).value() == 2);
  auto got = cluster::read_pin(*f.s, cid_n(1));
  REQUIRE(got.is_ok());
  REQUIRE(got->has_value());
  CHECK(**got == pin_n(1));
  pin::Command rm;
  rm.ops = {pin::UnpinOp{cid_n(1)}, pin::UnpinOp{cid_n(99)}};  // removing an absent pin is fine
  CHECK_FALSE(f.apply(rm));
  CHECK_FALSE(cluster::read_pin(*f.s, cid_n(1))->has_value());
  CHECK(f.rec.events == std::vector<std::string>{"set p1", "set p2", "rm " + cid_n(1).to_string(),
                                                 "rm " + cid_n(99).to_string()});
}

TEST_CASE("applying the same pin twice is idempotent") {
  Fixture f;
  pin::Command c;
  c.ops = {pin::PinOp{pin_n(1)}};
  f.apply(c);
  f.apply(c);
  CHECK(f.s->count(store::Ns::pins).value() == 1);
}

TEST_CASE("import --replace swaps the whole pinset at commit, not before") {
  Fixture f;
  pin::Command c;
  c.ops = {pin::PinOp{pin_n(1)}, pin::PinOp{pin_n(2)}};
  f.apply(c);
  const std::string token(16, 'x');
  pin::Command begin;
  begin.ops = {pin::ImportBegin{token}, pin::ImportPut{token, {pin_n(3), pin_n(4)}}};
  f.apply(begin);
  pin::Command more;
  more.ops = {pin::ImportPut{token, {pin_n(5)}}};
  f.apply(more);
  CHECK(f.s->count(store::Ns::pins).value() == 2);  // nothing visible yet
  pin::Command commit;
  commit.ops = {pin::ImportCommit{token}};
  f.apply(commit);
  CHECK(f.s->count(store::Ns::pins).value() == 3);
  CHECK(f.s->count(store::Ns::staging).value() == 0);
  CHECK_FALSE(cluster::read_pin(*f.s, cid_n(1))->has_value());
  CHECK(cluster::read_pin(*f.s, cid_n(5))->value() == pin_n(5));
  CHECK(f.rec.events.back() == "replaced");
}

TEST_CASE("an aborted import leaves the pinset alone") {
  Fixture f;
  const std::string token(16, 'y');
  pin::Command c;
  c.ops = {pin::ImportBegin{token}, pin::ImportPut{token, {pin_n(3)}}, pin::ImportAbort{token}};
  f.apply(c);
  CHECK(f.s->count(store::Ns::pins).value() == 0);
  CHECK(f.s->count(store::Ns::staging).value() == 0);
}

TEST_CASE("peers are recorded and removed") {
  Fixture f;
  pin::Command c;
  c.ops = {pin::PeerSet{pin::PeerInfo{"12D3KooWA", 7, "127.0.0.1:9096", {}, "0.1.0"}}};
  f.apply(c);
  auto row = f.s->get(store::Ns::peers, "12D3KooWA");
  REQUIRE(row->has_value());
  CHECK(pin::decode_peer(**row)->node_id == 7);
  pin::Command rm;
  rm.ops = {pin::PeerRemove{"12D3KooWA"}};
  f.apply(rm);
  CHECK_FALSE(f.s->get(store::Ns::peers, "12D3KooWA")->has_value());
}

TEST_CASE("a malformed entry is skipped, deterministically, and the next one applies") {
  Fixture f;
  CHECK(f.apply(std::string("\x0a\x05garbage", 9)));
  CHECK(f.s->applied_index() == 1);
  pin::Command bad_token;
  bad_token.ops = {pin::ImportBegin{"short"}};
  CHECK(f.apply(bad_token));
  pin::Command c;
  c.ops = {pin::PinOp{pin_n(1)}};
  CHECK_FALSE(f.apply(c));
  CHECK(f.s->count(store::Ns::pins).value() == 1);
  CHECK(f.apply(std::string()) == false);  // the leader's empty no-op
}

TEST_CASE("reallocate and expire apply only to the pin version the leader read") {
  Fixture f;
  pin::Command c;
  c.ops = {pin::PinOp{pin_n(1)}, pin::PinOp{pin_n(2)}};
  f.apply(c);
  f.rec.events.clear();

  pin::Command moves;
  moves.ops = {pin::ReallocateOp{cid_n(1), {"peerB", "peerC"}, pin_n(1).timestamp_ms},
               pin::ReallocateOp{cid_n(2), {"peerB"}, 999},                     // changed since
               pin::ReallocateOp{cid_n(3), {"peerB"}, pin_n(3).timestamp_ms}};  // removed since
  CHECK_FALSE(f.apply(moves));
  auto one = cluster::read_pin(*f.s, cid_n(1));
  REQUIRE(one->has_value());
  pin::Pin want = pin_n(1);
  want.allocations = {"peerB", "peerC"};
  CHECK(**one == want);  // only the allocations changed
  CHECK(cluster::read_pin(*f.s, cid_n(2))->value() == pin_n(2));
  CHECK_FALSE(cluster::read_pin(*f.s, cid_n(3))->has_value());  // not brought back
  CHECK(f.rec.events == std::vector<std::string>{"set p1"});

  pin::Command expire;
  expire.ops = {pin::ExpireOp{cid_n(1), pin_n(1).timestamp_ms}, pin::ExpireOp{cid_n(2), 5}};
  CHECK_FALSE(f.apply(expire));
  CHECK_FALSE(cluster::read_pin(*f.s, cid_n(1))->has_value());
  CHECK(cluster::read_pin(*f.s, cid_n(2))->has_value());  // re-added with a new timestamp: kept
  CHECK(f.rec.events.back() == "rm " + cid_n(1).to_string());

  SECTION("both round-trip through the command encoding") {
    auto back = pin::decode_command(pin::encode_command(moves));
    REQUIRE(back.is_ok());
    const auto& r = std::get<pin::ReallocateOp>(back->ops[0]);
    CHECK(r.cid == cid_n(1));
    CHECK(r.allocations == std::vector<std::string>{"peerB", "peerC"});
    CHECK(r.if_timestamp_ms == pin_n(1).timestamp_ms);
    auto e = pin::decode_command(pin::encode_command(expire));
    REQUIRE(e.is_ok());
    CHECK(std::get<pin::ExpireOp>(e->ops[1]).if_timestamp_ms == 5);
  }
}
