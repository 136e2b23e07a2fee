// The allocator's per-peer rules and its configuration: allocate_by parsing, eligibility, and how
// peer IDs print. allocator.cpp does the selection.
#include <set>

#include "cluster/allocator.hpp"

namespace cl::cluster {

using util::Result;

namespace {

constexpr std::string_view kTagPrefix = "tag:";

}  // namespace

bool is_live(const PeerTable& peers, const std::string& peer_id) {
  auto it = peers.find(peer_id);
  return it != peers.end() && !it->second.is_down && it->second.metrics.has_value();
}

Result<std::vector<SortKey>> parse_allocate_by(const std::vector<std::string>& names) {
  if (names.size() > kAllocateByMax) {
    return util::invalid_argument("allocate_by has " + std::to_string(names.size()) + " entries: at most " +
                                  std::to_string(kAllocateByMax) + " are allowed");
  }
  std::vector<SortKey> keys;
  std::set<std::string> seen;
  for (const auto& name : names) {
    SortKey key;
    if (name == "freespace") {
      key.kind = SortKey::Kind::freespace;
    } else if (name == "numpin") {
      key.kind = SortKey::Kind::numpin;
    } else if (name == "pinqueue") {
      key.kind = SortKey::Kind::pinqueue;
    } else if (name.starts_with(kTagPrefix) && name.size() > kTagPrefix.size()) {
      key.kind = SortKey::Kind::tag;
      key.tag = name.substr(kTagPrefix.size());
    } else {
      return util::invalid_argument("invalid allocate_by entry " + util::quote(name) +
                                    ": use freespace, numpin, pinqueue or tag:<name>");
    }
    if (!seen.insert(name).second) {
      return util::invalid_argument("allocate_by entry " + util::quote(name) + " is repeated: list it once");
    }
    keys.push_back(std::move(key));
  }
  return keys;
}

std::vector<SortKey> default_allocate_by() {
  return {SortKey{SortKey::Kind::tag, "group"}, SortKey{SortKey::Kind::freespace, ""},
          SortKey{SortKey::Kind::numpin, ""}};
}

std::string sort_key_name(const SortKey& key) {
  switch (key.kind) {
    case SortKey::Kind::tag:
      return std::string(kTagPrefix) + key.tag;
    case SortKey::Kind::freespace:
      return "freespace";
    case SortKey::Kind::numpin:
      return "numpin";
    case SortKey::Kind::pinqueue:
      return "pinqueue";
  }
  CL_UNREACHABLE("bad SortKey::Kind");
}

AllocationRequest request_for(const pin::Pin& pin) {
  AllocationRequest r;
  r.cid = pin.cid;
  r.rmin = pin.rmin;
  r.rmax = pin.rmax;
  r.user_allocations = pin.user_allocations;
  r.current_allocations = pin.allocations;
  r.size_bytes = pin.size_bytes;
  return r;
}

std::optional<std::string> exclusion_reason(const PeerTable& peers, const std::string& peer_id,
                                            bool holds_pin, std::uint64_t size_bytes) {
  auto it = peers.find(peer_id);
  if (it == peers.end()) return "not a cluster peer";
  return exclusion_reason(it->second, holds_pin, size_bytes);
}

std::optional<std::string> exclusion_reason(const PeerState& peer, bool holds_pin, std::uint64_t size_bytes) {
  if (peer.is_down) return "down";
  if (peer.in_grace && !holds_pin) return "down (its pins move after repin_delay)";
  if (!peer.metrics) return "no valid metrics (treated as down)";
  const PeerMetrics& m = *peer.metrics;
  const PeerQuotas& q = peer.quotas;

  if (q.max_pins > 0) {
    // A peer holding this pin already counts it in numpin: it must not block keeping it.
    std::uint64_t others = (holds_pin && m.numpin > 0) ? m.numpin - 1 : m.numpin;
    if (others >= q.max_pins) return "max_pins " + std::to_string(q.max_pins) + " reached";
  }

  const std::uint64_t reserve = q.storage_reserve_bytes;
  if (!m.freespace_bytes) {
    if (!holds_pin && size_bytes > 0) return "freespace unknown, needed for a pin of known size";
    if (!holds_pin && reserve > 0) return "freespace unknown, needed for storage_reserve";
    return std::nullopt;
  }
  const std::uint64_t free = *m.freespace_bytes;
  if (free <= reserve) {
    if (reserve == 0) return "no free space";
    return "freespace " + std::to_string(free) + " at or below storage_reserve " + std::to_string(reserve);
  }
  if (!holds_pin && size_bytes > 0 && free - reserve < size_bytes) {
    return "no room for " + std::to_string(size_bytes) + " bytes (freespace " + std::to_string(free) +
           ", storage_reserve " + std::to_string(reserve) + ")";
  }
  return std::nullopt;
}

std::string short_peer_id(std::string_view peer_id) {
  constexpr std::size_t kKeptMax = 16, kHead = 8, kTail = 6;
  if (peer_id.size() <= kKeptMax) return std::string(peer_id);
  std::string out(peer_id.substr(0, kHead));
  out += "..";
  out += peer_id.substr(peer_id.size() - kTail);
  return out;
}

}  // namespace cl::cluster
