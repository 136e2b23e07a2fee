#include "cluster/tracker_json.hpp"

#include "util/time.hpp"

namespace cl::cluster {

namespace {

util::Status bad_field(std::string_view field, const nlohmann::json& value, std::string_view want) {
  return util::invalid_argument("invalid pin status field " + std::string(field) + " " +
                                util::quote(value.dump()) + ": " + std::string(want));
}

}  // namespace

nlohmann::json to_json(const PinInfo& info) {
  return nlohmann::json{
      {"cid", info.cid.to_string()},
      {"peer", info.peer},
      {"status", std::string(tracker_status_name(info.status))},
      {"timestamp", util::format_rfc3339(info.timestamp)},
      {"error", info.error},
      {"attempt_count", info.attempt_count},
  };
}

util::Result<PinInfo> pin_info_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return bad_field("(line)", j, "want a JSON object");
  PinInfo out;
  auto string_field = [&](const char* name) -> util::Result<std::string> {
    auto it = j.find(name);
    if (it == j.end() || !it->is_string()) {
      return bad_field(name, it == j.end() ? nlohmann::json() : *it, "want a string");
    }
    return it->get<std::string>();
  };
  auto cid_text = string_field("cid");
  if (!cid_text) return cid_text.status();
  auto cid = cid::Cid::parse(*cid_text);
  if (!cid) return cid.status();
  out.cid = std::move(*cid);
  auto peer = string_field("peer");
  if (!peer) return peer.status();
  out.peer = std::move(*peer);
  auto status_text = string_field("status");
  if (!status_text) return status_text.status();
  auto status = parse_tracker_status(*status_text);
  if (!status) return status.status();
  out.status = *status;
  auto ts_text = string_field("timestamp");
  if (!ts_text) return ts_text.status();
  auto ts = util::parse_rfc3339(*ts_text);
  if (!ts) return ts.status();
  out.timestamp = *ts;
  if (auto it = j.find("error"); it != j.end()) {
    if (!it->is_string()) return bad_field("error", *it, "want a string");
    out.error = it->get<std::string>();
  }
  if (auto it = j.find("attempt_count"); it != j.end()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() < 0) {
      return bad_field("attempt_count", *it, "want a whole number >= 0");
    }
    out.attempt_count = it->get<int>();
  }
  return out;
}

}  // namespace cl::cluster
