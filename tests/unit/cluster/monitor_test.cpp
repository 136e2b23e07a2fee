#include <catch2/catch.hpp>

#include "cluster/monitor.hpp"

using namespace cl;
using namespace std::chrono_literals;
using cluster::AlertKind;
using cluster::PeerReport;
using cluster::PeerReports;

namespace {

constexpr std::int64_t kWall0 = 1'700'000'000'000;

PeerReport up(std::uint64_t numpin = 0) {
  PeerReport r;
  r.metrics = cluster::PeerMetrics{};
  r.metrics->numpin = numpin;
  r.metrics->freespace_bytes = 1'000'000;
  return r;
}

PeerReport lost(PeerReport r) {
  r.contact_lost = true;
  return r;
}

// Observes `reports` at t (ms since start).
void at(cluster::Monitor& m, std::int64_t t_ms, const PeerReports& reports) {
  m.observe(util::Nanos(util::Millis(t_ms)), kWall0 + t_ms, reports);
}

std::vector<std::pair<std::string, AlertKind>> kinds(const cluster::Monitor& m) {
  std::vector<std::pair<std::string, AlertKind>> out;
  for (const auto& a : m.alerts()) out.emplace_back(a.peer_id, a.kind);
  return out;
}

}  // namespace

TEST_CASE("a peer is down when contact is lost or its metrics expired; never the leader itself") {
  CHECK_FALSE(cluster::report_is_down(up()));
  CHECK(cluster::report_is_down(lost(up())));
  PeerReport expired = up();
  expired.metrics_expired = true;
  CHECK(cluster::report_is_down(expired));
  CHECK(cluster::report_is_down(PeerReport{}));  // no metrics ever
  PeerReport self;
  self.self = true;
  self.contact_lost = true;
  CHECK_FALSE(cluster::report_is_down(self));
}

TEST_CASE("a down peer is in grace until repin_delay, then dead") {
  cluster::Monitor m(2000ms);
  at(m, 0, {{"a", up()}, {"b", up()}});
  CHECK(m.dead().empty());
  CHECK(m.table().at("b").metrics.has_value());
  CHECK_FALSE(m.table().at("b").in_grace);

  at(m, 1000, {{"a", up()}, {"b", lost(up(7))}});
  auto grace = m.table().at("b");
  CHECK(grace.in_grace);
  CHECK_FALSE(grace.is_down);
  REQUIRE(grace.metrics.has_value());
  CHECK(grace.metrics->numpin == 7);  // the last known metrics
  CHECK(cluster::is_live(m.table(), "b"));
  CHECK(m.down_for("b") == 0ms);
  CHECK(kinds(m) == std::vector<std::pair<std::string, AlertKind>>{{"b", AlertKind::down}});

  at(m, 2999, {{"a", up()}, {"b", lost(up())}});
  CHECK(m.dead().empty());
  at(m, 3000, {{"a", up()}, {"b", lost(up())}});
  CHECK(m.dead() == std::set<std::string>{"b"});
  CHECK(m.table().at("b").is_down);
  CHECK_FALSE(cluster::is_live(m.table(), "b"));
  CHECK(m.down_for("b") == 2000ms);
  CHECK_THAT(m.alerts().at(0).message, Catch::Contains("moved"));
  CHECK(m.alerts().at(0).since_ms == kWall0 + 1000);  // since the first observation

  SECTION("back up: live again, alert gone") {
    at(m, 4000, {{"a", up()}, {"b", up()}});
    CHECK(m.dead().empty());
    CHECK_FALSE(m.down_for("b").has_value());
    CHECK(m.alerts().empty());
    at(m, 4100, {{"a", up()}, {"b", lost(up())}});  // down again: the delay starts over
    CHECK(m.dead().empty());
    CHECK(m.alerts().at(0).since_ms == kWall0 + 4100);
  }
  SECTION("removed from the cluster: forgotten") {
    at(m, 4000, {{"a", up()}});
    CHECK(m.dead().empty());
    CHECK(m.alerts().empty());
    CHECK_FALSE(m.table().contains("b"));
  }
  SECTION("a new leader starts the delay again") {
    m.reset();
    at(m, 5000, {{"a", up()}, {"b", lost(up())}});
    CHECK(m.dead().empty());
    at(m, 7000, {{"a", up()}, {"b", lost(up())}});
    CHECK(m.dead() == std::set<std::string>{"b"});
  }
}

TEST_CASE("repin_delay 0: down peers stay in grace forever") {
  cluster::Monitor m(0ms);
  at(m, 0, {{"a", up()}, {"b", lost(up())}});
  at(m, 86'400'000, {{"a", up()}, {"b", lost(up())}});
  CHECK(m.dead().empty());
  CHECK(m.table().at("b").in_grace);
  CHECK_THAT(m.alerts().at(0).message, Catch::Contains("repinning is off"));
}

TEST_CASE("expired or missing metrics raise metrics_expired, quotas raise over_quota and low_space") {
  cluster::Monitor m(60'000ms);
  PeerReport expired = up();
  expired.metrics_expired = true;
  PeerReport full = up(10);
  full.quotas.max_pins = 10;
  PeerReport tight = up();
  tight.quotas.storage_reserve_bytes = 1'000'000;  // freespace 1'000'000: at the reserve
  PeerReport fine = up(9);
  fine.quotas.max_pins = 10;
  PeerReport self;
  self.self = true;  // the leader without metrics yet: no alert
  at(m, 0, {{"e", expired}, {"f", full}, {"n", PeerReport{}}, {"ok", fine}, {"s", self}, {"t", tight}});
  CHECK(kinds(m) == std::vector<std::pair<std::string, AlertKind>>{{"e", AlertKind::metrics_expired},
                                                                   {"f", AlertKind::over_quota},
                                                                   {"n", AlertKind::metrics_expired},
                                                                   {"t", AlertKind::low_space}});
  CHECK_THAT(m.alerts()[1].message, Catch::Contains("numpin 10 reached max_pins 10"));
  CHECK_THAT(m.alerts()[2].message, Catch::StartsWith("no metrics received"));
  // Neither down nor in grace because of a quota: the allocator excludes them by their metrics.
  CHECK_FALSE(m.table().at("f").in_grace);
  CHECK(m.table().at("n").in_grace);
  CHECK(m.table().at("s").metrics.has_value());
  CHECK(std::string(cluster::alert_kind_name(AlertKind::low_space)) == "low_space");
}

TEST_CASE("known allocation counts replace the reported numpin for quotas and ranking") {
  cluster::Monitor m(60'000ms);
  PeerReport r = up(2);  // its IPFS pinned 2 so far
  r.quotas.max_pins = 5;
  r.allocated = 5;  // the pinset already allocates 5 to it
  at(m, 0, {{"a", r}});
  CHECK(m.table().at("a").metrics->numpin == 5);
  REQUIRE(m.alerts().size() == 1);
  CHECK(m.alerts()[0].message == "allocated pins 5 reached max_pins 5: no new allocations");
  r.allocated.reset();
  at(m, 10, {{"a", r}});
  CHECK(m.table().at("a").metrics->numpin == 2);
  CHECK(m.alerts().empty());
}

TEST_CASE("repin records are bounded and kept for an hour") {
  cluster::Monitor m(1000ms);
  m.record_repin("old", 3, kWall0);
  m.record_repin("b", 5, kWall0 + 1000);
  CHECK(m.repins(kWall0 + 1000) ==
        std::vector<cluster::RepinRecord>{{"old", 3, kWall0}, {"b", 5, kWall0 + 1000}});
  CHECK(m.repins(kWall0 + cluster::kRepinRecordsKeptMs + 500) ==
        std::vector<cluster::RepinRecord>{{"b", 5, kWall0 + 1000}});
  for (std::size_t i = 0; i < cluster::kRepinRecordsMax + 10; ++i) m.record_repin("p", i, kWall0 + 2000);
  auto all = m.repins(kWall0 + 2000);
  CHECK(all.size() == cluster::kRepinRecordsMax);
  CHECK(all.back().moved == cluster::kRepinRecordsMax + 9);
  m.reset();
  CHECK(m.repins(kWall0 + 2000).size() == cluster::kRepinRecordsMax);
}
