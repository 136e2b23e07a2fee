// allocate(): the selection (user allocations, kept current allocations, ranked candidates) and
// the greedy ranking by allocate_by. The per-peer rules live in allocator_rules.cpp.
#include "cluster/allocator.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <set>

namespace cl::cluster {

using util::Result;

namespace {

// A candidate's ranking data, taken once from its metrics.
struct Candidate {
  const std::string* id = nullptr;
  bool free_known = false;
  std::uint64_t free_avail = 0;  // freespace - storage_reserve
  std::uint64_t numpin = 0;
  std::uint64_t pinqueue = 0;
  std::array<std::uint32_t, kAllocateByMax> groups{};  // per allocate_by entry: its tag's group index
  bool taken = false;
};

// Greedy ranking: each pick is the best untaken candidate of a pool given the peers chosen so far
// (tag keys count chosen peers per group, so the choice depends on what was picked before).
class Ranker {
 public:
  // `eligible` points into a table that outlives the ranker.
  Ranker(const std::vector<PeerTable::const_iterator>& eligible, const std::vector<SortKey>& keys)
      : keys_(keys), counts_(keys.size()) {
    CL_ASSERT(keys.size() <= kAllocateByMax, "allocate_by comes from parse_allocate_by");
    candidates_.reserve(eligible.size());
    std::vector<std::map<std::string_view, std::uint32_t>> group_index(keys.size());
    for (const auto& entry : eligible) {
      const PeerState& st = entry->second;
      CL_ASSERT(st.metrics.has_value(), "an eligible peer has metrics");
      const PeerMetrics& m = *st.metrics;
      Candidate c;
      c.id = &entry->first;
      c.free_known = m.freespace_bytes.has_value();
      if (c.free_known && *m.freespace_bytes > st.quotas.storage_reserve_bytes) {
        c.free_avail = *m.freespace_bytes - st.quotas.storage_reserve_bytes;
      }
      c.numpin = m.numpin;
      c.pinqueue = m.pinqueue;
      for (std::size_t k = 0; k < keys.size(); ++k) {
        if (keys[k].kind != SortKey::Kind::tag) continue;
        auto tag = m.tags.find(keys[k].tag);
        std::string_view value = tag == m.tags.end() ? std::string_view() : std::string_view(tag->second);
        auto next = static_cast<std::uint32_t>(group_index[k].size());
        c.groups[k] = group_index[k].try_emplace(value, next).first->second;
      }
      candidates_.push_back(std::move(c));
    }
    group_names_.resize(keys.size());
    for (std::size_t k = 0; k < keys.size(); ++k) {
      counts_[k].assign(group_index[k].size(), 0);
      group_names_[k].resize(group_index[k].size());
      for (const auto& [value, i] : group_index[k]) group_names_[k][i] = value;
    }
  }

  bool contains(std::string_view id) const { return index_of(id) != kNone; }
  std::size_t size() const { return candidates_.size(); }

  // Marks `id` (an eligible peer) chosen.
  void take(std::string_view id) {
    const std::size_t i = index_of(id);
    CL_ASSERT(i != kNone, "only eligible peers are chosen");
    Candidate& c = candidates_[i];
    CL_ASSERT(!c.taken, "a peer is chosen once");
    c.taken = true;
    for (std::size_t k = 0; k < keys_.size(); ++k) {
      if (keys_[k].kind == SortKey::Kind::tag) ++counts_[k][c.groups[k]];
    }
  }

  // The best untaken peer among `pool` (eligible IDs), or nullptr when all are taken.
  const std::string* best_of(const std::vector<std::string>& pool) const {
    const Candidate* top = nullptr;
    for (const auto& id : pool) {
      const Candidate& c = candidates_.at(index_of(id));
      if (!c.taken && (top == nullptr || better(c, *top))) top = &c;
    }
    return top == nullptr ? nullptr : top->id;
  }
  // The best untaken eligible peer, or nullptr when all are taken.
  const std::string* best() const {
    const Candidate* top = nullptr;
    for (const auto& c : candidates_) {
      if (!c.taken && (top == nullptr || better(c, *top))) top = &c;
    }
    return top == nullptr ? nullptr : top->id;
  }

  // The metrics that rank `id` now, for the trail: "tag:group=eu-1 (0 chosen) freespace=1000".
  std::string describe(const std::string& id) const {
    const Candidate& c = candidates_.at(index_of(id));
    std::string out;
    for (std::size_t k = 0; k < keys_.size(); ++k) {
      if (!out.empty()) out += ' ';
      switch (keys_[k].kind) {
        case SortKey::Kind::tag:
          out += "tag:" + keys_[k].tag + "=" + std::string(group_names_[k][c.groups[k]]) + " (" +
                 std::to_string(counts_[k][c.groups[k]]) + " chosen)";
          break;
        case SortKey::Kind::freespace:
          out += "freespace=" + (c.free_known ? std::to_string(c.free_avail) : std::string("unknown"));
          break;
        case SortKey::Kind::numpin:
          out += "numpin=" + std::to_string(c.numpin);
          break;
        case SortKey::Kind::pinqueue:
          out += "pinqueue=" + std::to_string(c.pinqueue);
          break;
      }
    }
    return out;
  }

 private:
  static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

  // Candidates are in the table's order, sorted by peer ID: a binary search, no index to build.
  std::size_t index_of(std::string_view id) const {
    auto it = std::lower_bound(candidates_.begin(), candidates_.end(), id,
                               [](const Candidate& c, std::string_view v) { return *c.id < v; });
    if (it == candidates_.end() || *it->id != id) return kNone;
    return static_cast<std::size_t>(it - candidates_.begin());
  }

  bool better(const Candidate& a, const Candidate& b) const {
    for (std::size_t k = 0; k < keys_.size(); ++k) {
      switch (keys_[k].kind) {
        case SortKey::Kind::tag: {
          std::size_t ca = counts_[k][a.groups[k]], cb = counts_[k][b.groups[k]];
          if (ca != cb) return ca < cb;
          break;
        }
        case SortKey::Kind::freespace:
          if (a.free_known != b.free_known) return a.free_known;
          if (a.free_avail != b.free_avail) return a.free_avail > b.free_avail;
          break;
        case SortKey::Kind::numpin:
          if (a.numpin != b.numpin) return a.numpin < b.numpin;
          break;
        case SortKey::Kind::pinqueue:
          if (a.pinqueue != b.pinqueue) return a.pinqueue < b.pinqueue;
          break;
      }
    }
    return *a.id < *b.id;
  }

  const std::vector<SortKey>& keys_;
  std::vector<Candidate> candidates_;
  std::vector<std::vector<std::size_t>> counts_;            // per key, per group: peers chosen
  std::vector<std::vector<std::string_view>> group_names_;  // per key, per group: the tag's value
};

util::Status check_factors(int rmin, int rmax) {
  const bool rmin_ok = rmin == -1 || (rmin >= 1 && rmin <= pin::kReplicationMax);
  const bool rmax_ok = rmax == -1 || (rmax >= rmin && rmax <= pin::kReplicationMax);
  if (rmin_ok && (rmin == -1 || rmax_ok)) return util::Status::ok();
  return util::invalid_argument("invalid replication factors rmin " + std::to_string(rmin) + ", rmax " +
                                std::to_string(rmax) + ": resolve cluster defaults first; rmin is -1 or 1.." +
                                std::to_string(pin::kReplicationMax) + ", rmax is -1 or rmin.." +
                                std::to_string(pin::kReplicationMax));
}

std::string not_enough_message(const AllocationRequest& request, std::size_t found, const PeerTable& peers,
                               const std::map<std::string, std::string>& excluded) {
  std::string msg = "not enough peers to allocate " + request.cid.to_string() + ": need " +
                    std::to_string(request.rmin) + ", found " + std::to_string(found) + " (";
  if (excluded.empty()) {
    msg += "no peer was excluded: the cluster is too small";
  }
  std::size_t listed = 0;
  for (const auto& [id, reason] : excluded) {
    if (listed == kReasonsListedMax) {
      msg += "; and " + std::to_string(excluded.size() - listed) + " more";
      break;
    }
    if (listed > 0) msg += "; ";
    // IDs not in the table come from the request (user input): quote them.
    msg += peers.contains(id) ? short_peer_id(id) : util::quote(short_peer_id(id));
    msg += ": " + reason;
    ++listed;
  }
  msg += "); bring peers back, free space or lower rmin";
  return msg;
}

}  // namespace

Result<Allocation> allocate(const AllocationRequest& request, const PeerTable& peers,
                            const std::vector<SortKey>& allocate_by) {
  CL_TRY_STATUS(check_factors(request.rmin, request.rmax));
  const std::set<std::string> current(request.current_allocations.begin(), request.current_allocations.end());
  Allocation out;
  if (request.rmin == -1) {
    out.everywhere = true;
    out.changed = !current.empty();
    return out;
  }

  // Sort every peer named anywhere into eligible or excluded (with the reason).
  std::vector<PeerTable::const_iterator> eligible;  // in the table's order
  std::map<std::string, std::string> excluded;
  for (auto it = peers.begin(); it != peers.end(); ++it) {
    auto reason = exclusion_reason(it->second, current.contains(it->first), request.size_bytes);
    if (reason) {
      excluded.emplace(it->first, std::move(*reason));
    } else {
      eligible.push_back(it);
    }
  }
  for (const auto* named : {&request.user_allocations, &request.current_allocations}) {
    for (const auto& id : *named) {
      if (!peers.contains(id)) excluded.emplace(id, "not a cluster peer");
    }
  }
  if (eligible.size() < static_cast<std::size_t>(request.rmin)) {
    return util::failed_precondition(not_enough_message(request, eligible.size(), peers, excluded));
  }

  const std::size_t limit =
      request.rmax == -1 ? std::numeric_limits<std::size_t>::max() : static_cast<std::size_t>(request.rmax);
  Ranker ranker(eligible, allocate_by);
  std::set<std::string> chosen;
  auto choose = [&](const std::string& id, Decision::Choice choice, std::string reason) {
    ranker.take(id);
    chosen.insert(id);
    if (request.explain) out.trail.push_back({id, choice, std::move(reason)});
  };

  // 1. The user's choice, in its order.
  for (const auto& id : request.user_allocations) {
    if (chosen.size() >= limit) break;
    if (ranker.contains(id) && !chosen.contains(id)) choose(id, Decision::Choice::user, "user allocation");
  }
  // 2. Valid current allocations: kept, best first while rmax allows.
  std::vector<std::string> pool;
  for (const auto& id : current) {
    if (ranker.contains(id) && !chosen.contains(id)) pool.push_back(id);
  }
  while (chosen.size() < limit) {
    const std::string* id = ranker.best_of(pool);
    if (id == nullptr) break;
    choose(*id, Decision::Choice::kept, "current allocation");
  }
  // 3. Below rmin: add ranked candidates up to rmax. At or above rmin: move nothing.
  if (chosen.size() < static_cast<std::size_t>(request.rmin) && limit >= ranker.size() && !request.explain) {
    // Every candidate is taken: the order does not matter, skip the quadratic ranking.
    for (const auto& entry : eligible) {
      if (!chosen.contains(entry->first)) choose(entry->first, Decision::Choice::ranked, "");
    }
  }
  if (chosen.size() < static_cast<std::size_t>(request.rmin)) {
    std::size_t rank = 0;
    while (chosen.size() < limit) {
      const std::string* id = ranker.best();
      if (id == nullptr) break;
      std::string why = request.explain ? "rank " + std::to_string(++rank) + ": " + ranker.describe(*id) : "";
      choose(*id, Decision::Choice::ranked, std::move(why));
    }
  }
  CL_ASSERT(chosen.size() >= static_cast<std::size_t>(request.rmin), "enough eligible peers were chosen");

  out.peers.assign(chosen.begin(), chosen.end());
  out.changed = !std::equal(out.peers.begin(), out.peers.end(), current.begin(), current.end());
  if (request.explain) {
    for (const auto& id : current) {
      if (chosen.contains(id)) continue;
      auto ex = excluded.find(id);
      out.trail.push_back({id, Decision::Choice::dropped,
                           ex != excluded.end() ? ex->second : "over rmax " + std::to_string(limit)});
    }
    for (const auto& [id, reason] : excluded) {
      if (!current.contains(id)) out.trail.push_back({id, Decision::Choice::excluded, reason});
    }
  }
  return out;
}

}  // namespace cl::cluster
