#include "tool/status.hpp"

#include <map>

namespace cl::tool {

namespace {

const nlohmann::json* peer_map_of(const nlohmann::json& item) {
  auto it = item.find("peer_map");
  if (it == item.end() || !it->is_object()) return nullptr;
  return &*it;
}

std::string status_of(const nlohmann::json& peer_info) {
  if (!peer_info.is_object()) return "unknown";
  auto it = peer_info.find("status");
  return it != peer_info.end() && it->is_string() ? it->get<std::string>() : std::string("unknown");
}

// "12D3KooWAbCd...wxyz" -> "…wxyz" is unreadable in scripts; keep the last 6 characters, as
// IPFS Cluster's ctl shows short ids.
std::string short_peer(const std::string& id) {
  return id.size() > 6 ? id.substr(id.size() - 6) : id;
}

std::string top_error(const nlohmann::json& item) {
  auto it = item.find("error");
  if (it != item.end() && it->is_string() && !it->get<std::string>().empty()) return it->get<std::string>();
  return {};
}

}  // namespace

bool status_is_error(const std::string& s) {
  return s == "pin_error" || s == "unpin_error" || s == "cluster_error" || s == "unexpectedly_unpinned";
}

bool item_in_error(const nlohmann::json& item) {
  if (!top_error(item).empty()) return true;
  const auto* pm = peer_map_of(item);
  if (pm == nullptr) return false;
  for (const auto& [peer, info] : pm->items()) {
    if (status_is_error(status_of(info))) return true;
  }
  return false;
}

bool item_pinned(const nlohmann::json& item) {
  if (!top_error(item).empty()) return false;
  const auto* pm = peer_map_of(item);
  if (pm == nullptr) return false;
  std::size_t pinned = 0;
  for (const auto& [peer, info] : pm->items()) {
    const auto s = status_of(info);
    if (s == "pinned") {
      ++pinned;
    } else if (s != "remote") {
      return false;
    }
  }
  return pinned > 0;
}

std::string status_summary(const nlohmann::json& item) {
  if (auto e = top_error(item); !e.empty()) return "error: " + e;
  const auto* pm = peer_map_of(item);
  if (pm == nullptr || pm->empty()) return "-";
  std::map<std::string, int> counts;
  for (const auto& [peer, info] : pm->items()) ++counts[status_of(info)];
  if (counts.size() == 1) return counts.begin()->first;
  std::string out;
  for (const auto& [s, n] : counts) {
    if (!out.empty()) out += ',';
    out += s + ":" + std::to_string(n);
  }
  return out;
}

std::string status_problems(const nlohmann::json& item) {
  if (auto e = top_error(item); !e.empty()) return e;
  const auto* pm = peer_map_of(item);
  if (pm == nullptr || pm->empty()) return "no peer reports a status yet";
  constexpr int kPeersShownMax = 3;
  std::string out;
  int shown = 0;
  int more = 0;
  for (const auto& [peer, info] : pm->items()) {
    const auto s = status_of(info);
    if (s == "pinned" || s == "remote") continue;
    if (shown == kPeersShownMax) {
      ++more;
      continue;
    }
    if (!out.empty()) out += "; ";
    out += peer + ": " + s;
    auto err = info.find("error");
    if (err != info.end() && err->is_string() && !err->get<std::string>().empty()) {
      out += ": " + err->get<std::string>();
    }
    ++shown;
  }
  if (more > 0) out += "; and " + std::to_string(more) + " more peers";
  return out.empty() ? std::string("pinned") : out;
}

std::vector<Column> status_columns() {
  return {
      field_column("CID", "cid"),
      field_column("NAME", "name"),
      Column{"STATUS", status_summary},
      Column{"PEERS",
             [](const nlohmann::json& item) {
               const auto* pm = peer_map_of(item);
               if (pm == nullptr || pm->empty()) return std::string("-");
               std::string out;
               for (const auto& [peer, info] : pm->items()) {
                 if (!out.empty()) out += ',';
                 out += short_peer(peer) + "=" + status_of(info);
               }
               return out;
             }},
  };
}

}  // namespace cl::tool
