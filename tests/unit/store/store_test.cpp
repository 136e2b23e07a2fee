#include <catch2/catch.hpp>

#include <fstream>

#include "store/store.hpp"
#include "support/temp_dir.hpp"

using namespace cl;
using store::Ns;
using store::Store;

namespace {

store::OpenOptions opts(const std::string& dir) {
  store::OpenOptions o;
  o.dir = dir;
  o.cluster_id = "cluster-a";
  o.peer_id = "peer-1";
  return o;
}

raft::Entry entry(raft::Term term, raft::Index index, std::string data) {
  return raft::Entry{term, index, raft::EntryType::normal, std::move(data)};
}

// The apply function of these tests: "put k=v" or "del k" on the pins namespace.
util::Status apply_kv(const raft::Entry& e, store::StateWriter& w) {
  if (e.data.rfind("put ", 0) == 0) {
    auto eq = e.data.find('=');
    return w.put(Ns::pins, e.data.substr(4, eq - 4), e.data.substr(eq + 1));
  }
  if (e.data.rfind("del ", 0) == 0) return w.del(Ns::pins, e.data.substr(4));
  return util::Status::ok();
}

std::unique_ptr<Store> open_ok(const store::OpenOptions& o) {
  auto s = Store::open(o);
  INFO(s.status().to_string());
  REQUIRE(s.is_ok());
  return std::move(*s);
}

}  // namespace

TEST_CASE("entries and hard state survive a reopen") {
  testing::TempDir dir;
  {
    auto s = open_ok(opts(dir.path()));
    CHECK(s->first_index() == 1);
    CHECK(s->last_index() == 0);
    store::SaveBatch b;
    b.hard_state = raft::HardState{3, 7, 2};
    b.entries = {entry(1, 1, "a"), entry(2, 2, "b"), entry(3, 3, "c")};
    REQUIRE(s->save(b, apply_kv).is_ok());
  }
  auto s = open_ok(opts(dir.path()));
  CHECK(s->last_index() == 3);
  CHECK(s->hard_state() == raft::HardState{3, 7, 2});
  auto init = s->initial_state();
  REQUIRE(init.is_ok());
  CHECK(init->hard_state.vote == 7);
  auto es = s->entries(1, 4, 1 << 20);
  REQUIRE(es.is_ok());
  REQUIRE(es->size() == 3);
  CHECK((*es)[1] == entry(2, 2, "b"));
  CHECK(*s->term(3) == 3);
  CHECK(s->term(0).value() == 0);
  CHECK(s->term(4).code() == util::Code::not_found);
}

TEST_CASE("a conflicting suffix is replaced") {
  testing::TempDir dir;
  auto s = open_ok(opts(dir.path()));
  store::SaveBatch b;
  b.entries = {entry(1, 1, "a"), entry(1, 2, "b"), entry(1, 3, "c")};
  REQUIRE(s->save(b, apply_kv).is_ok());
  store::SaveBatch b2;
  b2.entries = {entry(2, 2, "B")};
  REQUIRE(s->save(b2, apply_kv).is_ok());
  CHECK(s->last_index() == 2);
  CHECK(*s->term(2) == 2);
  auto es = s->entries(1, 3, 1 << 20);
  REQUIRE(es->size() == 2);
  CHECK((*es)[1].data == "B");
  auto reopened = (s.reset(), open_ok(opts(dir.path())));
  CHECK(reopened->last_index() == 2);
  CHECK(reopened->entries(2, 3, 100)->front().data == "B");
}

TEST_CASE("entries() honours bytes_max but returns at least one entry") {
  testing::TempDir dir;
  auto o = opts(dir.path());
  o.log_cache_bytes = 200;  // most entries come from SQLite, the newest from the cache
  auto s = open_ok(o);
  store::SaveBatch b;
  for (raft::Index i = 1; i <= 20; ++i) b.entries.push_back(entry(1, i, std::string(50, 'x')));
  REQUIRE(s->save(b, apply_kv).is_ok());
  auto all = s->entries(1, 21, 1 << 20);
  REQUIRE(all->size() == 20);
  for (raft::Index i = 1; i <= 20; ++i) CHECK((*all)[i - 1].index == i);
  CHECK(s->entries(1, 21, 200)->size() == 2);
  CHECK(s->entries(5, 21, 1)->size() == 1);
}

TEST_CASE("applying committed entries and the applied index are one transaction") {
  testing::TempDir dir;
  auto s = open_ok(opts(dir.path()));
  store::SaveBatch b;
  b.entries = {entry(1, 1, "put a=1"), entry(1, 2, "put b=2"), entry(1, 3, "del a")};
  b.committed = b.entries;
  b.hard_state = raft::HardState{1, 0, 3};
  REQUIRE(s->save(b, apply_kv).is_ok());
  CHECK(s->applied_index() == 3);
  CHECK_FALSE(s->get(Ns::pins, "a")->has_value());
  CHECK(s->get(Ns::pins, "b")->value() == "2");

  // A failing apply (a storage error) rolls back everything of that Ready: entries too.
  store::SaveBatch bad;
  bad.entries = {entry(1, 4, "put c=3"), entry(1, 5, "boom")};
  bad.committed = bad.entries;
  auto failing = [](const raft::Entry& e, store::StateWriter& w) {
    if (e.data == "boom") return util::io_error("injected");
    return apply_kv(e, w);
  };
  CHECK(s->save(bad, failing).code() == util::Code::io_error);
  CHECK(s->applied_index() == 3);
  CHECK(s->last_index() == 3);
  CHECK_FALSE(s->get(Ns::pins, "c")->has_value());
  s.reset();
  auto again = open_ok(opts(dir.path()));
  CHECK(again->applied_index() == 3);
  CHECK(again->last_index() == 3);
  CHECK_FALSE(again->get(Ns::pins, "c")->has_value());
}

TEST_CASE("only batches with entries, a new term or vote, or a membership change are fsynced") {
  testing::TempDir dir;
  {
    auto s = open_ok(opts(dir.path()));
    store::SaveBatch append;  // entries: synced
    append.entries = {entry(1, 1, "put a=1"), entry(1, 2, "put b=2")};
    append.hard_state = raft::HardState{1, 0, 0};
    REQUIRE(s->save(append, apply_kv).is_ok());
    CHECK(s->stats().saves_synced == 1);

    store::SaveBatch apply;  // only the commit index moves and entries are applied: not synced
    apply.hard_state = raft::HardState{1, 0, 2};
    apply.committed = append.entries;
    REQUIRE(s->save(apply, apply_kv).is_ok());
    CHECK(s->stats().saves_synced == 1);
    CHECK(s->stats().saves_unsynced == 1);
    CHECK(s->applied_index() == 2);

    store::SaveBatch vote;  // a new term: synced even without entries
    vote.hard_state = raft::HardState{2, 5, 2};
    REQUIRE(s->save(vote, apply_kv).is_ok());
    CHECK(s->stats().saves_synced == 2);

    // Compaction after an unsynced apply still works and goes back to FULL for its transaction.
    REQUIRE(s->compact(1).is_ok());
    store::SaveBatch more;
    more.entries = {entry(2, 3, "put c=3")};
    REQUIRE(s->save(more, apply_kv).is_ok());
    CHECK(s->stats().saves_synced == 3);
  }
  // Without a crash nothing is lost: the unsynced apply is in the WAL and is read back.
  auto s = open_ok(opts(dir.path()));
  CHECK(s->applied_index() == 2);
  CHECK(s->get(Ns::pins, "b")->value() == "2");
  CHECK(s->hard_state() == raft::HardState{2, 5, 2});
  CHECK(s->first_index() == 2);
  CHECK(s->last_index() == 3);
}

TEST_CASE("an injected disk-full fault refuses writes and loses nothing") {
  testing::TempDir dir;
  auto s = open_ok(opts(dir.path()));
  store::SaveBatch b;
  b.entries = {entry(1, 1, "put a=1")};
  b.committed = b.entries;
  REQUIRE(s->save(b, apply_kv).is_ok());
  s->inject_write_fault(util::resource_exhausted("disk full"));
  store::SaveBatch b2;
  b2.entries = {entry(1, 2, "put b=2")};
  CHECK(s->save(b2, apply_kv).code() == util::Code::resource_exhausted);
  CHECK(s->last_index() == 1);
  s->inject_write_fault(util::Status::ok());
  REQUIRE(s->save(b2, apply_kv).is_ok());
  CHECK(s->last_index() == 2);
  CHECK(s->get(Ns::pins, "a")->value() == "1");
}

TEST_CASE("a database of another cluster or peer is refused by name") {
  testing::TempDir dir;
  open_ok(opts(dir.path()));
  auto o = opts(dir.path());
  o.cluster_id = "cluster-b";
  auto r = Store::open(o);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.code() == util::Code::failed_precondition);
  CHECK_THAT(r.status().message(), Catch::Contains("'cluster-a'") && Catch::Contains("'cluster-b'"));
  o = opts(dir.path());
  o.peer_id = "peer-2";
  r = Store::open(o);
  REQUIRE_FALSE(r.is_ok());
  CHECK_THAT(r.status().message(), Catch::Contains("'peer-1'") && Catch::Contains("'peer-2'"));
}

TEST_CASE("a damaged database file is refused with a clear error") {
  testing::TempDir dir;
  open_ok(opts(dir.path()));
  {
    std::fstream f(dir.sub("state.db"), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(0);
    f.write("this is not sqlite", 18);
  }
  auto r = Store::open(opts(dir.path()));
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.code() == util::Code::corrupt);
  CHECK_THAT(r.status().message(), Catch::Contains("state.db"));
}

TEST_CASE("compaction drops the log prefix and keeps the boundary term") {
  testing::TempDir dir;
  auto s = open_ok(opts(dir.path()));
  store::SaveBatch b;
  for (raft::Index i = 1; i <= 10; ++i)
    b.entries.push_back(entry(i <= 5 ? 1 : 2, i, "put k" + std::to_string(i) + "=v"));
  b.committed = b.entries;
  REQUIRE(s->save(b, apply_kv).is_ok());
  REQUIRE(s->compact(6).is_ok());
  CHECK(s->first_index() == 7);
  CHECK(*s->term(6) == 2);
  CHECK(s->term(5).code() == util::Code::not_found);
  CHECK(s->entries(6, 8, 1000).code() == util::Code::not_found);
  CHECK(s->entries(7, 11, 1000)->size() == 4);
  s.reset();
  auto again = open_ok(opts(dir.path()));
  CHECK(again->first_index() == 7);
  CHECK(*again->term(6) == 2);
  CHECK(again->count(Ns::pins).value() == 10);
}

TEST_CASE("scan pages through a namespace in key order") {
  testing::TempDir dir;
  auto s = open_ok(opts(dir.path()));
  store::SaveBatch b;
  for (int i = 0; i < 25; ++i) {
    char key[8];
    std::snprintf(key, sizeof key, "k%02d", i);
    b.entries.push_back(entry(1, i + 1, std::string("put ") + key + "=" + std::to_string(i)));
  }
  b.committed = b.entries;
  REQUIRE(s->save(b, apply_kv).is_ok());
  std::vector<std::string> seen;
  std::string after;
  for (;;) {
    auto n = s->scan(Ns::pins, after, 10, [&](std::string_view k, std::string_view) {
      seen.emplace_back(k);
      return true;
    });
    REQUIRE(n.is_ok());
    if (*n == 0) break;
    after = seen.back();
  }
  REQUIRE(seen.size() == 25);
  CHECK(std::is_sorted(seen.begin(), seen.end()));
  CHECK(s->count(Ns::peers).value() == 0);
}

TEST_CASE("a read view sees one applied index while writes go on") {
  testing::TempDir dir;
  auto s = open_ok(opts(dir.path()));
  store::SaveBatch b;
  b.entries = {entry(1, 1, "put a=1"), entry(1, 2, "put b=2")};
  b.committed = b.entries;
  REQUIRE(s->save(b, apply_kv).is_ok());
  auto view = s->read_view();
  REQUIRE(view.is_ok());
  store::SaveBatch b2;
  b2.entries = {entry(1, 3, "put c=3"), entry(1, 4, "del a")};
  b2.committed = b2.entries;
  REQUIRE(s->save(b2, apply_kv).is_ok());
  CHECK((*view)->applied_index() == 2);
  std::vector<std::string> keys;
  REQUIRE((*view)
              ->scan(Ns::pins,
                     [&](std::string_view k, std::string_view) {
                       keys.emplace_back(k);
                       return true;
                     })
              .is_ok());
  CHECK(keys == std::vector<std::string>{"a", "b"});
  CHECK(s->count(Ns::pins).value() == 2);  // b, c
}

TEST_CASE("the membership round-trips with full 64-bit node ids, and survives a reopen") {
  const raft::ConfState conf{{1, 0x8000000000000001ULL, 0xffffffffffffffffULL}, {0xe0c1d2b3a4958677ULL}};
  auto back = store::decode_conf(store::encode_conf(conf));
  REQUIRE(back.is_ok());
  CHECK(*back == conf);
  CHECK_FALSE(store::decode_conf(store::encode_conf(conf).substr(3)).is_ok());
  testing::TempDir dir;
  {
    auto s = open_ok(opts(dir.path()));
    store::SaveBatch b;
    b.entries = {entry(1, 1, "x")};
    b.committed = b.entries;
    b.conf = conf;
    REQUIRE(s->save(b, apply_kv).is_ok());
  }
  CHECK(open_ok(opts(dir.path()))->conf() == conf);
}
