// Random clusters, seeded: the allocator's invariants hold for every input, not only the examples.
#include <catch2/catch.hpp>
#include <set>

#include "cluster/allocator.hpp"
#include "util/rng.hpp"

using namespace cl;
using cluster::PeerState;
using cluster::PeerTable;

namespace {

constexpr std::uint64_t kGB = 1'000'000'000;

PeerTable random_peers(util::Rng& rng) {
  PeerTable peers;
  const int n = static_cast<int>(rng.between(0, 12));
  for (int i = 0; i < n; ++i) {
    PeerState p;
    p.is_down = rng.chance(1, 6);
    if (!rng.chance(1, 10)) {
      cluster::PeerMetrics m;
      if (!rng.chance(1, 8)) m.freespace_bytes = rng.below(100) * kGB;
      m.numpin = rng.below(200);
      m.pinqueue = rng.below(20);
      if (!rng.chance(1, 5)) m.tags["group"] = "g" + std::to_string(rng.below(4));
      p.metrics = m;
    }
    if (rng.chance(1, 3)) p.quotas.max_pins = 1 + rng.below(200);
    if (rng.chance(1, 3)) p.quotas.storage_reserve_bytes = rng.below(30) * kGB;
    peers.emplace("peer" + std::to_string(rng.below(1000)), p);
  }
  return peers;
}

std::vector<std::string> random_ids(util::Rng& rng, const PeerTable& peers, std::size_t count_max) {
  std::vector<std::string> ids;
  const std::size_t n = rng.below(count_max + 1);
  for (std::size_t i = 0; i < n; ++i) {
    if (peers.empty() || rng.chance(1, 10)) {
      ids.push_back("ghost" + std::to_string(rng.below(3)));
      continue;
    }
    auto it = peers.begin();
    std::advance(it, static_cast<long>(rng.below(peers.size())));
    ids.push_back(it->first);
  }
  return ids;
}

cluster::AllocationRequest random_request(util::Rng& rng, const PeerTable& peers) {
  cluster::AllocationRequest r;
  r.cid = cid::Cid::v1(cid::Codec::raw, cid::Multihash::sha2_256("prop" + std::to_string(rng.next())));
  r.rmin = rng.chance(1, 8) ? -1 : static_cast<int>(rng.between(1, 6));
  r.rmax = (r.rmin == -1 || rng.chance(1, 6)) ? -1 : r.rmin + static_cast<int>(rng.between(0, 3));
  r.user_allocations = rng.chance(1, 2) ? random_ids(rng, peers, 4) : std::vector<std::string>{};
  r.current_allocations = rng.chance(1, 2) ? random_ids(rng, peers, 6) : std::vector<std::string>{};
  r.size_bytes = rng.chance(1, 3) ? rng.below(20) * kGB : 0;
  return r;
}

// The eligibility rules of allocator.hpp written out plainly, independent of exclusion_reason.
bool valid_for(const PeerTable& peers, const cluster::AllocationRequest& r, const std::string& id) {
  const bool holds = std::find(r.current_allocations.begin(), r.current_allocations.end(), id) !=
                     r.current_allocations.end();
  auto it = peers.find(id);
  if (it == peers.end() || it->second.is_down || !it->second.metrics) return false;
  const auto& m = *it->second.metrics;
  const auto& q = it->second.quotas;
  if (q.max_pins > 0 && (holds ? m.numpin > q.max_pins : m.numpin >= q.max_pins)) return false;
  if (!m.freespace_bytes) return holds || (r.size_bytes == 0 && q.storage_reserve_bytes == 0);
  if (*m.freespace_bytes <= q.storage_reserve_bytes) return false;
  return holds || *m.freespace_bytes >= q.storage_reserve_bytes + r.size_bytes;
}

}  // namespace

TEST_CASE("allocation invariants hold on random clusters") {
  util::Rng seeds(20240611);
  const auto keys = cluster::default_allocate_by();
  int errors = 0, kept_only = 0, ranked = 0;
  for (int round = 0; round < 3000; ++round) {
    util::Rng rng = seeds.fork();
    const PeerTable peers = random_peers(rng);
    const auto r = random_request(rng, peers);
    INFO("round " << round);
    auto a = cluster::allocate(r, peers, keys);
    auto again = cluster::allocate(r, peers, keys);
    REQUIRE(a.code() == again.code());

    if (r.rmin == -1) {
      REQUIRE(a.is_ok());
      CHECK(a->everywhere);
      CHECK(a->peers.empty());
      continue;
    }
    std::size_t candidates = 0;
    for (const auto& [id, state] : peers) {
      const bool valid = valid_for(peers, r, id);
      candidates += valid ? 1 : 0;
      const bool holds = std::find(r.current_allocations.begin(), r.current_allocations.end(), id) !=
                         r.current_allocations.end();
      CHECK(valid == !cluster::exclusion_reason(peers, id, holds, r.size_bytes).has_value());
    }
    if (!a.is_ok()) {
      ++errors;
      CHECK(a.code() == util::Code::failed_precondition);
      CHECK(candidates < static_cast<std::size_t>(r.rmin));
      CHECK_THAT(a.status().message(), Catch::Contains("need " + std::to_string(r.rmin) + ", found " +
                                                       std::to_string(candidates) + " ("));
      continue;
    }
    CHECK(a->peers == again->peers);
    CHECK_FALSE(a->everywhere);
    const auto& got = a->peers;
    CHECK(std::is_sorted(got.begin(), got.end()));
    CHECK(std::adjacent_find(got.begin(), got.end()) == got.end());
    CHECK(got.size() >= static_cast<std::size_t>(r.rmin));
    if (r.rmax != -1) CHECK(got.size() <= static_cast<std::size_t>(r.rmax));
    const std::set<std::string> chosen(got.begin(), got.end());
    for (const auto& id : got) {
      INFO(id);
      CHECK(valid_for(peers, r, id));  // never down, over quota or without room
    }

    // The first valid user allocations (as many as rmax allows) are always in.
    std::set<std::string> users;
    for (const auto& id : r.user_allocations) {
      if (r.rmax != -1 && users.size() == static_cast<std::size_t>(r.rmax)) break;
      if (valid_for(peers, r, id)) users.insert(id);
    }
    for (const auto& id : users) CHECK(chosen.contains(id));

    // No churn: with enough valid current allocations, nothing outside them and the user's is added.
    std::set<std::string> current_valid;
    for (const auto& id : r.current_allocations) {
      if (valid_for(peers, r, id)) current_valid.insert(id);
    }
    std::set<std::string> base = current_valid;
    base.insert(users.begin(), users.end());
    if (base.size() >= static_cast<std::size_t>(r.rmin)) {
      ++kept_only;
      for (const auto& id : got) CHECK(base.contains(id));
    } else {
      ++ranked;
      for (const auto& id : base) CHECK(chosen.contains(id));
      // Below rmin, candidates are added up to rmax (all of them when rmax is -1).
      const std::size_t limit = r.rmax == -1 ? candidates : static_cast<std::size_t>(r.rmax);
      CHECK(got.size() == std::min(limit, candidates));
    }

    // Spreading: with nothing imposed, a group never has two more replicas than another group
    // that still had a candidate left.
    if (r.user_allocations.empty() && r.current_allocations.empty()) {
      std::map<std::string, std::size_t> in_result, left;
      for (const auto& [id, state] : peers) {
        if (!valid_for(peers, r, id)) continue;
        auto tag = state.metrics->tags.find("group");
        std::string g = tag == state.metrics->tags.end() ? "" : tag->second;
        (chosen.contains(id) ? in_result[g] : left[g]) += 1;
        in_result.try_emplace(g, 0);
      }
      for (const auto& [g, n] : in_result) {
        for (const auto& [h, m] : in_result) {
          if (n >= m + 2) CHECK(left[h] == 0);
        }
      }
    }
  }
  // The generator reaches every branch often enough to mean something.
  CHECK(errors > 100);
  CHECK(kept_only > 100);
  CHECK(ranked > 100);
}
