#include "pin/pin_json.hpp"

#include "util/time.hpp"

namespace cl::pin {

using nlohmann::json;
using std::chrono::milliseconds;

json to_json(const Pin& p) {
  json j = {
      {"cid", p.cid.to_string()},         {"name", p.name},
      {"mode", mode_name(p.mode)},        {"replication_factor_min", p.rmin},
      {"replication_factor_max", p.rmax}, {"allocations", p.allocations},
  };
  if (!p.user_allocations.empty()) j["user_allocations"] = p.user_allocations;
  if (!p.metadata.empty()) j["metadata"] = p.metadata;
  if (p.expire_at_ms != 0) j["expire_at"] = util::format_rfc3339(milliseconds(p.expire_at_ms));
  j["timestamp"] = util::format_rfc3339(milliseconds(p.timestamp_ms));
  if (p.pin_update_from.is_defined()) j["pin_update"] = p.pin_update_from.to_string();
  if (p.size_bytes != 0) j["size"] = p.size_bytes;
  return j;
}

namespace {

util::Status bad_field(const char* field, const json& value, const std::string& want) {
  return util::invalid_argument("invalid " + std::string(field) + " " + util::quote(value.dump()) + ": " +
                                want);
}

util::Status read_strings(const json& j, const char* field, std::vector<std::string>& out) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return util::Status::ok();
  if (!it->is_array()) return bad_field(field, *it, "expected an array of strings");
  for (const auto& v : *it) {
    if (!v.is_string()) return bad_field(field, *it, "expected an array of strings");
    out.push_back(v.get<std::string>());
  }
  return util::Status::ok();
}

util::Status read_int(const json& j, const char* field, int& out) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return util::Status::ok();
  if (!it->is_number_integer()) return bad_field(field, *it, "expected an integer");
  auto v = it->get<std::int64_t>();
  if (v < -1 || v > kReplicationMax) return bad_field(field, *it, "out of range");
  out = static_cast<int>(v);
  return util::Status::ok();
}

util::Status read_time(const json& j, const char* field, std::int64_t& out) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return util::Status::ok();
  if (!it->is_string()) return bad_field(field, *it, "expected an RFC 3339 time");
  auto t = util::parse_rfc3339(it->get<std::string>());
  if (!t) return t.status();
  out = t->count();
  return util::Status::ok();
}

}  // namespace

util::Result<Pin> pin_from_json(const json& j) {
  if (!j.is_object()) return util::invalid_argument("expected a JSON object with a \"cid\" field");
  auto c = j.find("cid");
  if (c == j.end() || !c->is_string()) return util::invalid_argument("missing \"cid\" string field");
  auto parsed = cid::Cid::parse(c->get<std::string>());
  if (!parsed) return parsed.status();
  Pin p;
  p.rmin = 0;
  p.rmax = 0;
  p.cid = std::move(*parsed);
  if (auto it = j.find("name"); it != j.end() && !it->is_null()) {
    if (!it->is_string()) return bad_field("name", *it, "expected a string");
    p.name = it->get<std::string>();
  }
  if (auto it = j.find("mode"); it != j.end() && !it->is_null()) {
    if (!it->is_string()) return bad_field("mode", *it, "expected recursive or direct");
    auto m = parse_mode(it->get<std::string>());
    if (!m) return m.status();
    p.mode = *m;
  }
  CL_TRY_STATUS(read_int(j, "replication_factor_min", p.rmin));
  CL_TRY_STATUS(read_int(j, "replication_factor_max", p.rmax));
  CL_TRY_STATUS(read_strings(j, "allocations", p.allocations));
  CL_TRY_STATUS(read_strings(j, "user_allocations", p.user_allocations));
  if (auto it = j.find("metadata"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) return bad_field("metadata", *it, "expected an object of strings");
    for (const auto& [k, v] : it->items()) {
      if (!v.is_string()) return bad_field("metadata", *it, "expected an object of strings");
      p.metadata.emplace(k, v.get<std::string>());
    }
  }
  CL_TRY_STATUS(read_time(j, "expire_at", p.expire_at_ms));
  CL_TRY_STATUS(read_time(j, "timestamp", p.timestamp_ms));
  if (auto it = j.find("pin_update"); it != j.end() && !it->is_null()) {
    if (!it->is_string()) return bad_field("pin_update", *it, "expected a cid");
    auto from = cid::Cid::parse(it->get<std::string>());
    if (!from) return from.status();
    p.pin_update_from = std::move(*from);
  }
  if (auto it = j.find("size"); it != j.end() && !it->is_null()) {
    if (!it->is_number_unsigned()) return bad_field("size", *it, "expected a byte count");
    p.size_bytes = it->get<std::uint64_t>();
  }
  return p;
}

}  // namespace cl::pin
