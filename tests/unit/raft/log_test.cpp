// The log's building blocks: Unstable, Log, MemoryStorage, Inflights, Progress, ConfChange.
#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "raft/conf_change.hpp"
#include "raft/inflights.hpp"
#include "raft/log.hpp"
#include "raft/memory_storage.hpp"
#include "raft/progress.hpp"

using namespace cl::raft;
using cl::raft::test::ent;

namespace {
MemoryStorage storage_with(std::vector<Entry> entries) {
  MemoryStorage s;
  REQUIRE(s.append(std::move(entries)).is_ok());
  return s;
}
}  // namespace

TEST_CASE("memory storage follows the Storage contract") {
  MemoryStorage s = storage_with({ent(1, 1), ent(1, 2), ent(2, 3), ent(3, 4)});
  CHECK(s.first_index() == 1);
  CHECK(s.last_index() == 4);
  CHECK(*s.term(0) == 0);
  CHECK(*s.term(3) == 2);
  CHECK(s.term(5).code() == cl::util::Code::not_found);

  SECTION("entries stop at bytes_max but return at least one") {
    auto big = storage_with({ent(1, 1, std::string(100, 'a')), ent(1, 2, std::string(100, 'b'))});
    CHECK(big.entries(1, 3, 1)->size() == 1);
    CHECK(big.entries(1, 3, 1000)->size() == 2);
  }
  SECTION("append replaces a suffix") {
    REQUIRE(s.append({ent(4, 3), ent(4, 4), ent(4, 5)}).is_ok());
    CHECK(s.last_index() == 5);
    CHECK(*s.term(2) == 1);
    CHECK(*s.term(3) == 4);
  }
  SECTION("append refuses a gap") {
    CHECK(s.append({ent(4, 7)}).code() == cl::util::Code::invalid_argument);
  }
  SECTION("compact keeps the term of the compaction point") {
    REQUIRE(s.create_snapshot(3, test::voters({1}), "state").is_ok());
    REQUIRE(s.compact(3).is_ok());
    CHECK(s.first_index() == 4);
    CHECK(*s.term(3) == 2);
    CHECK(s.term(2).code() == cl::util::Code::not_found);
    CHECK(s.entries(3, 5, 100).code() == cl::util::Code::not_found);
    CHECK(s.snapshot_meta()->index == 3);
    auto chunk = s.snapshot_chunk(3, 2, 2);
    CHECK(chunk->data == "at");
    CHECK_FALSE(chunk->last);
    CHECK(s.snapshot_chunk(3, 4, 2)->last);
    CHECK(s.snapshot_chunk(2, 0, 2).code() == cl::util::Code::not_found);
  }
  SECTION("a snapshot older than the compaction point is unavailable") {
    REQUIRE(s.compact(2).is_ok());
    CHECK(s.snapshot_meta().code() == cl::util::Code::unavailable);
  }
  SECTION("apply_snapshot resets the log") {
    SnapshotMeta meta{10, 5, test::voters({1, 2}), 3};
    s.apply_snapshot(meta, "abc");
    CHECK(s.first_index() == 11);
    CHECK(s.last_index() == 10);
    CHECK(*s.term(10) == 5);
    CHECK(s.initial_state()->conf == meta.conf);
  }
}

TEST_CASE("unstable answers terms for its tail and its pending snapshot") {
  Unstable u(5);
  u.truncate_and_append({ent(1, 5), ent(1, 6), ent(2, 7)});
  CHECK(*u.maybe_last_index() == 7);
  CHECK(*u.maybe_term(7) == 2);
  CHECK_FALSE(u.maybe_term(4));
  CHECK_FALSE(u.maybe_term(8));

  SECTION("truncate in the middle") {
    u.truncate_and_append({ent(3, 6)});
    CHECK(*u.maybe_last_index() == 6);
    CHECK(*u.maybe_term(6) == 3);
  }
  SECTION("replace from before the offset") {
    u.truncate_and_append({ent(3, 4)});
    CHECK(u.offset() == 4);
    CHECK(u.entries().size() == 1);
  }
  SECTION("stable_to drops what was persisted") {
    std::vector<TermRun> runs;
    for (auto& e : {ent(1, 5), ent(1, 6)}) add_to_runs(runs, e);
    u.stable_to(runs);
    CHECK(u.offset() == 7);
    CHECK(u.entries().size() == 1);
  }
  SECTION("stable_to keeps entries replaced while the write was in flight") {
    std::vector<TermRun> runs;
    for (auto& e : {ent(1, 5), ent(1, 6), ent(2, 7)}) add_to_runs(runs, e);
    u.truncate_and_append({ent(3, 7)});  // 7 replaced after the Ready was handed out
    u.stable_to(runs);
    CHECK(u.offset() == 7);  // 5 and 6 are the same entries: stable; the new 7 is not
    REQUIRE(u.entries().size() == 1);
    CHECK(u.entries()[0].term == 3);
  }
  SECTION("restore replaces everything with the snapshot") {
    u.restore(SnapshotMeta{20, 4, {}, 0});
    CHECK(*u.maybe_last_index() == 20);
    CHECK(*u.maybe_first_index() == 21);
    CHECK(*u.maybe_term(20) == 4);
    u.stable_snap_to(SnapshotMeta{20, 3, {}, 0});  // another snapshot at the same index: stays
    CHECK(u.snapshot());
    u.stable_snap_to(SnapshotMeta{20, 4, {}, 0});
    CHECK_FALSE(u.snapshot());
  }
}

TEST_CASE("log append checks consistency and truncates conflicts") {
  MemoryStorage s = storage_with({ent(1, 1), ent(2, 2), ent(3, 3)});
  Log log(s, 1, 0);
  CHECK(log.last_index() == 3);
  CHECK(log.last_term() == 3);

  SECTION("mismatched previous entry fails") {
    CHECK_FALSE(log.maybe_append(2, 3, 3, {ent(4, 3)}, false));
    CHECK_FALSE(log.maybe_append(4, 3, 3, {ent(4, 5)}, false));
  }
  SECTION("matching entries are not rewritten and commit is capped by the last new entry") {
    auto last = log.maybe_append(1, 1, 10, {ent(2, 2)}, false);
    REQUIRE(last);
    CHECK(*last == 2);
    CHECK(log.committed() == 2);
    CHECK(log.last_index() == 3);  // entry 3 is kept: no conflict
  }
  SECTION("a conflict truncates the suffix") {
    auto last = log.maybe_append(1, 1, 1, {ent(4, 2), ent(4, 3), ent(4, 4)}, false);
    REQUIRE(last);
    CHECK(log.last_index() == 4);
    CHECK(log.term_or_zero(2) == 4);
  }
  SECTION("find_conflict_by_term skips a term at a time") {
    MemoryStorage s2 = storage_with({ent(1, 1), ent(1, 2), ent(4, 3), ent(4, 4), ent(4, 5), ent(6, 6)});
    Log l2(s2, 0, 0);
    CHECK(l2.find_conflict_by_term(6, 5) == std::pair<Index, Term>{5, 4});
    CHECK(l2.find_conflict_by_term(6, 3) == std::pair<Index, Term>{2, 1});
    CHECK(l2.find_conflict_by_term(6, 0) == std::pair<Index, Term>{0, 0});
  }
  SECTION("up-to-date compares last term, then length") {
    CHECK(log.is_up_to_date(3, 3));
    CHECK(log.is_up_to_date(1, 4));
    CHECK_FALSE(log.is_up_to_date(5, 2));
    CHECK_FALSE(log.is_up_to_date(2, 3));
  }
  SECTION("commit needs an entry of the current term") {
    CHECK_FALSE(log.maybe_commit(2, 3, false));
    CHECK(log.maybe_commit(3, 3, false));
    CHECK(log.committed() == 3);
  }
  SECTION("slice spans storage and the unstable tail, within the byte limit") {
    log.append(ent(3, 4, std::string(50, 'x')));
    log.append(ent(3, 5, std::string(50, 'y')));
    CHECK(log.slice(2, 6, 1 << 20)->size() == 4);
    CHECK(log.slice(2, 6, 1 << 20, 2)->size() == 2);
    CHECK(log.slice(4, 6, 80)->size() == 1);
    CHECK(log.slice(1, 6, 60)->size() == 2);  // 24 + 24 bytes, then the big one would exceed
  }
  SECTION("next committed entries move the applying cursor") {
    log.commit_to(3);
    auto ents = log.next_committed(1 << 20);
    CHECK(ents.size() == 3);
    CHECK_FALSE(log.has_next_committed());
    log.applied_to(3);
    CHECK(log.applied() == 3);
  }
}

TEST_CASE("inflights fill, free in order, and bound count and bytes") {
  Inflights in(4, 100);
  in.add(1, 10);
  in.add(2, 10);
  in.add(3, 10);
  CHECK_FALSE(in.full());
  in.add(4, 10);
  CHECK(in.full());
  in.free_le(2);
  CHECK(in.count() == 2);
  CHECK(in.bytes() == 20);
  in.add(5, 90);
  CHECK(in.full());  // bytes
  in.free_first();
  CHECK(in.count() == 2);
  in.free_le(10);
  CHECK(in.count() == 0);
  for (Index i = 1; i <= 4; ++i) in.add(10 + i, 1);  // wraps around
  CHECK(in.full());
}

TEST_CASE("progress moves between probe, replicate and snapshot") {
  Progress pr(5, 2, 0, false);
  CHECK(pr.state == ProgressState::probe);
  pr.sent_entries(6, 2, 10);
  CHECK(pr.paused());                   // one probe at a time
  CHECK_FALSE(pr.maybe_decr_to(3, 0));  // stale reject: not for the append we sent
  CHECK(pr.maybe_decr_to(4, 2));        // next - 1 == 4 was rejected, hint 2
  CHECK(pr.next == 3);
  CHECK_FALSE(pr.paused());
  CHECK(pr.maybe_update(4));
  pr.become_replicate();
  CHECK(pr.next == 5);
  pr.sent_entries(6, 2, 10);
  pr.sent_entries(8, 2, 10);
  CHECK(pr.next == 9);
  CHECK(pr.paused());  // window of 2
  pr.inflights.free_le(6);
  CHECK_FALSE(pr.paused());
  CHECK_FALSE(pr.maybe_decr_to(4, 0));  // at or below match: stale
  CHECK(pr.maybe_decr_to(7, 0));
  CHECK(pr.next == 5);
  pr.become_snapshot(20);
  CHECK(pr.paused());
  pr.become_probe();
  CHECK(pr.next == 21);
}

TEST_CASE("conf changes round-trip and apply one server at a time") {
  ConfChange cc{ConfChangeType::promote_to_voter, 0x0123456789abcdefULL, "addr:1"};
  auto bytes = encode_conf_change(cc);
  CHECK(*decode_conf_change(bytes) == cc);
  CHECK(decode_conf_change(bytes.substr(0, 5)).code() == cl::util::Code::corrupt);
  CHECK(decode_conf_change(bytes + "x").code() == cl::util::Code::corrupt);
  std::string bad = bytes;
  bad[1] = 9;
  CHECK(decode_conf_change(bad).code() == cl::util::Code::corrupt);

  ConfState c = test::voters({1, 2, 3});
  auto with_learner = apply_conf_change(c, {ConfChangeType::add_learner, 4, ""});
  REQUIRE(with_learner.is_ok());
  CHECK(with_learner->learners == std::vector<NodeId>{4});
  auto promoted = apply_conf_change(*with_learner, {ConfChangeType::promote_to_voter, 4, ""});
  CHECK(promoted->voters == std::vector<NodeId>{1, 2, 3, 4});
  CHECK(promoted->learners.empty());
  CHECK(apply_conf_change(c, {ConfChangeType::add_voter, 2, ""}).code() ==
        cl::util::Code::failed_precondition);
  CHECK(apply_conf_change(c, {ConfChangeType::promote_to_voter, 2, ""}).code() ==
        cl::util::Code::failed_precondition);
  CHECK(apply_conf_change(c, {ConfChangeType::remove, 9, ""}).code() == cl::util::Code::failed_precondition);
  CHECK(apply_conf_change(test::voters({1}), {ConfChangeType::remove, 1, ""}).code() ==
        cl::util::Code::failed_precondition);
  CHECK(apply_conf_change(c, {ConfChangeType::remove, 2, ""})->voters == std::vector<NodeId>{1, 3});
}

TEST_CASE("config validation names the bad field") {
  MemoryStorage s;
  Config c;
  c.id = 1;
  c.storage = &s;
  CHECK(c.validate().is_ok());
  c.heartbeat_ticks = 10;
  auto st = c.validate();
  CHECK(st.code() == cl::util::Code::invalid_argument);
  CHECK(st.message().find("heartbeat_ticks 10") != std::string::npos);
  c.heartbeat_ticks = 1;
  c.id = 0;
  CHECK_FALSE(c.validate().is_ok());
}
