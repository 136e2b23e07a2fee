#include <catch2/catch.hpp>

#include <fstream>

#include "store/store.hpp"
#include "support/temp_dir.hpp"

using namespace cl;
using store::Ns;
using store::Store;

namespace {

std::unique_ptr<Store> open_store(const std::string& dir, const std::string& peer) {
  store::OpenOptions o;
  o.dir = dir;
  o.cluster_id = "c";
  o.peer_id = peer;
  auto s = Store::open(o);
  REQUIRE(s.is_ok());
  return std::move(*s);
}

util::Status put_all(const raft::Entry& e, store::StateWriter& w) {
  return w.put(e.index % 2 ? Ns::pins : Ns::peers, "key" + std::to_string(e.index), e.data);
}

// Fills a leader store with n applied entries and returns it.
std::unique_ptr<Store> leader_with(const std::string& dir, int n) {
  auto s = open_store(dir, "leader");
  store::SaveBatch b;
  for (int i = 1; i <= n; ++i) {
    b.entries.push_back(
        raft::Entry{1, static_cast<raft::Index>(i), raft::EntryType::normal, "value-" + std::to_string(i)});
  }
  b.committed = b.entries;
  b.conf = raft::ConfState{{1, 2, 3}, {4}};
  REQUIRE(s->save(b, put_all).is_ok());
  return s;
}

// Copies the adopted snapshot from `from` to `to` in chunks of chunk_bytes.
void ship(Store& from, Store& to, const raft::SnapshotMeta& meta, std::uint64_t chunk_bytes) {
  std::uint64_t offset = 0;
  for (;;) {
    auto chunk = from.snapshot_chunk(meta.index, offset, chunk_bytes);
    REQUIRE(chunk.is_ok());
    REQUIRE(to.stage_snapshot_chunk(meta, offset, chunk->data).is_ok());
    offset += chunk->data.size();
    if (chunk->last) break;
  }
  CHECK(offset == meta.size_bytes);
}

}  // namespace

TEST_CASE("a snapshot moves the whole state to a follower in chunks") {
  testing::TempDir a, b;
  auto leader = leader_with(a.path(), 101);
  REQUIRE(leader->compact(90).is_ok());
  CHECK(leader->snapshot_wanted());
  CHECK(leader->snapshot_meta().code() == util::Code::unavailable);
  auto meta = leader->prepare_snapshot();
  REQUIRE(meta.is_ok());
  CHECK(meta->index == 101);
  CHECK(meta->term == 1);
  CHECK(meta->conf == raft::ConfState{{1, 2, 3}, {4}});
  leader->adopt_snapshot(*meta);
  CHECK_FALSE(leader->snapshot_wanted());
  REQUIRE(leader->snapshot_meta().is_ok());

  auto follower = open_store(b.path(), "follower");
  store::SaveBatch stale;  // a follower with an old, diverging log and state
  stale.entries = {raft::Entry{1, 1, raft::EntryType::normal, "old"}};
  stale.committed = stale.entries;
  REQUIRE(follower
              ->save(stale,
                     [](const raft::Entry&, store::StateWriter& w) { return w.put(Ns::pins, "stale", "x"); })
              .is_ok());

  ship(*leader, *follower, *meta, 100);
  REQUIRE(follower->install_snapshot(*meta).is_ok());
  CHECK(follower->applied_index() == 101);
  CHECK(follower->first_index() == 102);
  CHECK(follower->last_index() == 101);
  CHECK(*follower->term(101) == 1);
  CHECK(follower->conf() == meta->conf);
  CHECK_FALSE(follower->get(Ns::pins, "stale")->has_value());
  CHECK(follower->count(Ns::pins).value() == leader->count(Ns::pins).value());
  CHECK(follower->count(Ns::peers).value() == leader->count(Ns::peers).value());
  CHECK(follower->get(Ns::pins, "key55")->value() == "value-55");

  // It survives a restart, and the follower can take new entries after the snapshot.
  follower.reset();
  follower = open_store(b.path(), "follower");
  CHECK(follower->applied_index() == 101);
  store::SaveBatch next;
  next.entries = {raft::Entry{2, 102, raft::EntryType::normal, "after"}};
  REQUIRE(follower->save(next, put_all).is_ok());
  CHECK(follower->last_index() == 102);
}

TEST_CASE("a damaged snapshot is refused and the old state is kept") {
  testing::TempDir a, b;
  auto leader = leader_with(a.path(), 20);
  auto meta = leader->prepare_snapshot();
  REQUIRE(meta.is_ok());
  leader->adopt_snapshot(*meta);
  auto follower = open_store(b.path(), "follower");
  store::SaveBatch own;
  own.entries = {raft::Entry{1, 1, raft::EntryType::normal, "mine"}};
  own.committed = own.entries;
  REQUIRE(follower->save(own, put_all).is_ok());

  auto chunk = leader->snapshot_chunk(meta->index, 0, meta->size_bytes);
  REQUIRE(chunk.is_ok());
  std::string data = chunk->data;
  data[data.size() / 2] ^= 0x55;  // flip bits in the middle
  REQUIRE(follower->stage_snapshot_chunk(*meta, 0, data).is_ok());
  auto st = follower->install_snapshot(*meta);
  CHECK(st.code() == util::Code::corrupt);
  CHECK(follower->applied_index() == 1);
  CHECK(follower->get(Ns::pins, "key1")->value() == "mine");
}

TEST_CASE("chunks out of order are rejected; offset 0 starts over") {
  testing::TempDir a, b;
  auto leader = leader_with(a.path(), 10);
  auto meta = leader->prepare_snapshot();
  REQUIRE(meta.is_ok());
  leader->adopt_snapshot(*meta);
  auto follower = open_store(b.path(), "follower");
  auto c0 = leader->snapshot_chunk(meta->index, 0, 16);
  auto c1 = leader->snapshot_chunk(meta->index, 16, 16);
  REQUIRE(follower->stage_snapshot_chunk(*meta, 0, c0->data).is_ok());
  CHECK(follower->stage_snapshot_chunk(*meta, 32, "zz").code() == util::Code::corrupt);
  REQUIRE(follower->stage_snapshot_chunk(*meta, 16, c1->data).is_ok());
  ship(*leader, *follower, *meta, 7);  // restarts from 0
  REQUIRE(follower->install_snapshot(*meta).is_ok());
  CHECK(follower->applied_index() == 10);
}

TEST_CASE("adopting a newer snapshot removes the older file") {
  testing::TempDir a;
  auto leader = leader_with(a.path(), 10);
  auto m1 = leader->prepare_snapshot();
  REQUIRE(m1.is_ok());
  leader->adopt_snapshot(*m1);
  store::SaveBatch b;
  b.entries = {raft::Entry{1, 11, raft::EntryType::normal, "x"}};
  b.committed = b.entries;
  REQUIRE(leader->save(b, put_all).is_ok());
  auto m2 = leader->prepare_snapshot();
  REQUIRE(m2.is_ok());
  CHECK(m2->index == 11);
  leader->adopt_snapshot(*m2);
  CHECK_FALSE(std::ifstream(a.sub("snapshots/snap-10.bin")).good());
  CHECK(std::ifstream(a.sub("snapshots/snap-11.bin")).good());
  CHECK(leader->snapshot_chunk(10, 0, 10).code() == util::Code::not_found);
}
