#include "tool/items.hpp"

namespace cl::tool {

util::Result<nlohmann::json> parse_json_object(std::string_view text) {
  try {
    auto j = nlohmann::json::parse(text);
    if (!j.is_object()) return util::invalid_argument("expected a json object, got " + util::quote(text));
    return j;
  } catch (const nlohmann::json::parse_error& e) {
    return util::invalid_argument("malformed json at byte " + std::to_string(e.byte) + " of " +
                                  util::quote(text));
  }
}

namespace {

util::Result<cid::Cid> parse_cid_text(std::string_view text) {
  auto parsed = cid::parse_ipfs_path(text);
  if (!parsed) return parsed.status();
  if (!parsed->path.empty() && parsed->path != "/") {
    const std::string c = parsed->cid.to_string();
    return util::invalid_argument("invalid cid " + util::quote(text) + ": it names a path inside " + c +
                                  ", and the cluster pins whole cids; resolve it to its own cid first "
                                  "(ipfs resolve)");
  }
  return std::move(parsed->cid);
}

}  // namespace

util::Result<CidItem> parse_cid_item(std::string_view text) {
  if (!text.empty() && text.front() == '{') {
    auto j = parse_json_object(text);
    if (!j) return j.status();
    auto it = j->find("cid");
    if (it == j->end() || !it->is_string()) {
      return util::invalid_argument("json line without a \"cid\" string: " + util::quote(text));
    }
    auto c = parse_cid_text(it->get<std::string>());
    if (!c) return c.status();
    return CidItem{std::move(*c), std::move(*j)};
  }
  auto c = parse_cid_text(text);
  if (!c) return c.status();
  return CidItem{std::move(*c), nullptr};
}

util::Result<std::string> parse_peer_item(std::string_view text) {
  if (!text.empty() && text.front() == '{') {
    auto j = parse_json_object(text);
    if (!j) return j.status();
    for (const char* field : {"peer_id", "id"}) {
      auto it = j->find(field);
      if (it != j->end() && it->is_string()) return it->get<std::string>();
    }
    return util::invalid_argument("json line without a \"peer_id\" string: " + util::quote(text));
  }
  if (text.empty()) return util::invalid_argument("empty peer id");
  return std::string(text);
}

std::vector<std::string> split_list(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    std::size_t start = 0;
    while (start <= v.size()) {
      auto comma = v.find(',', start);
      if (comma == std::string::npos) comma = v.size();
      if (comma > start) out.push_back(v.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return out;
}

}  // namespace cl::tool
