#include "ipfs/json_reply.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <string>

namespace cl::ipfs::detail {

using nlohmann::json;

namespace {

Status bad_field(std::string_view key, const json& value, std::string_view expected) {
  return util::corrupt("daemon reply field " + util::quote(key) + " is " + util::quote(value.dump(), 120) +
                       ", expected " + std::string(expected));
}

Status missing(std::string_view key, const json& object) {
  return util::corrupt("daemon reply " + util::quote(object.dump(), 200) + " has no field " +
                       util::quote(key));
}

const json* find(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(std::string(key));
  return it == object.end() ? nullptr : &*it;
}

Result<std::string> read_string(const json& object, std::string_view key) {
  const json* v = find(object, key);
  if (v == nullptr) return missing(key, object);
  if (!v->is_string()) return bad_field(key, *v, "a string");
  return v->get<std::string>();
}

std::string string_or_empty(const json& object, std::string_view key) {
  const json* v = find(object, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

}  // namespace

Result<json> parse_object(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return util::corrupt("daemon reply is not a JSON object: " + util::quote(text, 200));
  }
  return j;
}

Result<std::uint64_t> read_u64(const json& object, std::string_view key) {
  const json* v = find(object, key);
  if (v == nullptr) return missing(key, object);
  if (v->is_number_unsigned()) return v->get<std::uint64_t>();
  if (v->is_number_integer()) {
    auto i = v->get<std::int64_t>();
    if (i >= 0) return static_cast<std::uint64_t>(i);
  } else if (v->is_number_float()) {
    double d = v->get<double>();  // e.g. 9007199254740991 printed as 9.007199254740991e15
    if (d >= 0 && d < 18446744073709551616.0 && std::floor(d) == d) return static_cast<std::uint64_t>(d);
  } else if (v->is_string()) {
    const auto& s = v->get_ref<const std::string&>();
    std::uint64_t out = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (!s.empty() && ec == std::errc() && end == s.data() + s.size()) return out;
  }
  return bad_field(key, *v, "a non-negative integer (number or decimal string)");
}

Result<Cid> read_cid(const json& object, std::string_view key) {
  const json* v = find(object, key);
  if (v == nullptr) return missing(key, object);
  const json* text = v->is_object() ? find(*v, "/") : v;
  if (text == nullptr || !text->is_string()) return bad_field(key, *v, "a CID");
  auto cid = Cid::parse(text->get_ref<const std::string&>());
  if (!cid) return util::corrupt("daemon reply field " + util::quote(key) + ": " + cid.status().message());
  return std::move(*cid);
}

Result<NodeInfo> parse_node_info(const json& reply) {
  NodeInfo info;
  auto id = read_string(reply, "ID");
  if (!id) return id.status();
  info.id = *id;
  info.agent_version = string_or_empty(reply, "AgentVersion");
  if (const json* addrs = find(reply, "Addresses"); addrs != nullptr && !addrs->is_null()) {
    if (!addrs->is_array()) return bad_field("Addresses", *addrs, "an array of multiaddrs");
    for (const auto& a : *addrs) {
      if (!a.is_string()) return bad_field("Addresses", *addrs, "an array of multiaddrs");
      info.addresses.push_back(a.get<std::string>());
    }
  }
  return info;
}

Result<VersionInfo> parse_version(const json& reply) {
  auto v = read_string(reply, "Version");
  if (!v) return v.status();
  return VersionInfo{*v, string_or_empty(reply, "Commit"), string_or_empty(reply, "Repo")};
}

Result<RepoStat> parse_repo_stat(const json& reply) {
  RepoStat stat;
  auto size = read_u64(reply, "RepoSize");
  if (!size) return size.status();
  auto max = read_u64(reply, "StorageMax");
  if (!max) return max.status();
  auto objects = read_u64(reply, "NumObjects");
  if (!objects) return objects.status();
  stat.repo_size_bytes = *size;
  stat.storage_max_bytes = *max;
  stat.num_objects = *objects;
  stat.repo_path = string_or_empty(reply, "RepoPath");
  // "12" (js-ipfs) or "fs-repo@15" (Kubo); a number is accepted too.
  if (const json* version = find(reply, "Version"); version != nullptr) {
    stat.version = version->is_string() ? version->get<std::string>() : version->dump();
  }
  return stat;
}

Result<std::vector<SwarmPeer>> parse_swarm_peers(const json& reply) {
  std::vector<SwarmPeer> peers;
  const json* list = find(reply, "Peers");
  if (list == nullptr || list->is_null()) return peers;  // Kubo sends "Peers":null when alone
  if (!list->is_array()) return bad_field("Peers", *list, "an array");
  for (const auto& p : *list) {
    auto peer = read_string(p, "Peer");
    if (!peer) return peer.status();
    peers.push_back({*peer, string_or_empty(p, "Addr")});
  }
  return peers;
}

Result<BlockStat> parse_block_stat(const json& reply) {
  auto key = read_cid(reply, "Key");
  if (!key) return key.status();
  auto size = read_u64(reply, "Size");
  if (!size) return size.status();
  return BlockStat{*key, *size};
}

Result<PinInfo> parse_pin_line(const json& line) {
  auto cid = read_cid(line, "Cid");
  if (!cid) return cid.status();
  auto type = read_string(line, "Type");
  if (!type) return type.status();
  if (*type == "recursive") return PinInfo{*cid, PinType::recursive};
  if (*type == "direct") return PinInfo{*cid, PinType::direct};
  return bad_field("Type", *find(line, "Type"), "\"recursive\" or \"direct\"");
}

Result<std::optional<AddedEntry>> parse_add_line(const json& line) {
  if (find(line, "Hash") == nullptr) return std::optional<AddedEntry>();
  auto cid = read_cid(line, "Hash");
  if (!cid) return cid.status();
  AddedEntry entry{string_or_empty(line, "Name"), *cid, 0};
  if (find(line, "Size") != nullptr) {  // a number in js-ipfs, a string in Kubo
    auto size = read_u64(line, "Size");
    if (!size) return size.status();
    entry.size_bytes = *size;
  }
  return std::optional<AddedEntry>(std::move(entry));
}

Result<std::optional<std::uint64_t>> parse_pin_progress(const json& line) {
  if (find(line, "Progress") == nullptr) return std::optional<std::uint64_t>();
  auto n = read_u64(line, "Progress");
  if (!n) return n.status();
  return std::optional<std::uint64_t>(*n);
}

Status check_pins_reply(const json& reply) {
  const json* pins = find(reply, "Pins");
  if (pins == nullptr) return missing("Pins", reply);
  if (!pins->is_array() || pins->empty()) return bad_field("Pins", *pins, "a non-empty array of CIDs");
  for (const auto& p : *pins) {
    if (!(p.is_string() || p.is_object())) return bad_field("Pins", *pins, "a non-empty array of CIDs");
  }
  return Status::ok();
}

std::optional<std::string> error_line(const json& line) {
  const json* type = find(line, "Type");
  if (type == nullptr || !type->is_string() || type->get_ref<const std::string&>() != "error")
    return std::nullopt;
  std::string m = string_or_empty(line, "Message");
  return m.empty() ? line.dump() : m;
}

}  // namespace cl::ipfs::detail
