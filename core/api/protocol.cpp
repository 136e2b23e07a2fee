#include "api/protocol.hpp"

#include <string>

namespace cl::api {

namespace {

// Messages built from library text that may quote user input: keep them short.
constexpr std::size_t kDetailMaxChars = 160;

std::string type_name(const Json& j) {
  return j.type_name();
}

// nlohmann's parse error reads "[json.exception.parse_error.101] parse error at line 1, column 5:
// syntax error ...". Keep "column 5: syntax error ..." (the line is ours to name) and cut it short.
std::string parse_error_detail(const char* what) {
  std::string_view s(what);
  if (auto p = s.find("] "); p != std::string_view::npos) s.remove_prefix(p + 2);
  constexpr std::string_view kPrefix = "parse error at line ";
  if (s.substr(0, kPrefix.size()) == kPrefix) {
    if (auto p = s.find(", "); p != std::string_view::npos) s.remove_prefix(p + 2);
  }
  std::string out;
  for (char c : s.substr(0, kDetailMaxChars)) out += (static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
  if (s.size() > kDetailMaxChars) out += "...";
  return out;
}

std::string on_line(std::uint64_t line_no) {
  return "on line " + std::to_string(line_no);
}

}  // namespace

void append_json(std::string& out, const Json& value) {
  out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void append_request_line(std::string& out, const Json& id, std::string_view method, const Json& params) {
  out += "{\"id\":";
  append_json(out, id);
  out += ",\"method\":";
  append_json(out, Json(method));
  if (!params.is_null()) {
    out += ",\"params\":";
    append_json(out, params);
  }
  out += "}\n";
}

std::string id_to_json(const Json& id) {
  return id.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void append_result_line(std::string& out, std::string_view id_json, const Json& result) {
  out += "{\"id\":";
  out += id_json;
  out += ",\"result\":";
  append_json(out, result);
  out += "}\n";
}

void append_item_line(std::string& out, std::string_view id_json, const Json& item) {
  out += "{\"id\":";
  out += id_json;
  out += ",\"result\":";
  append_json(out, item);
  out += ",\"more\":true}\n";
}

void append_end_line(std::string& out, std::string_view id_json, std::uint64_t count) {
  out += "{\"id\":";
  out += id_json;
  out += ",\"end\":true,\"count\":";
  out += std::to_string(count);
  out += "}\n";
}

void append_error_line(std::string& out, std::string_view id_json, const util::Status& status) {
  CL_ASSERT(!status.is_ok(), "an error line needs an error status");
  out += "{\"id\":";
  out += id_json;
  out += ",\"error\":{\"code\":\"";
  out += util::code_name(status.code());
  out += "\",\"message\":";
  append_json(out, Json(status.message()));
  out += "}}\n";
}

ParsedRequest parse_request(std::string_view line, std::uint64_t line_no) {
  ParsedRequest out;
  Json doc;
  try {
    doc = Json::parse(line);
  } catch (const Json::parse_error& e) {
    out.status = util::invalid_argument("malformed json " + on_line(line_no) + ", " +
                                        parse_error_detail(e.what()) + "; send one json object per line");
    return out;
  }
  if (!doc.is_object()) {
    out.status =
        util::invalid_argument("line " + std::to_string(line_no) + " is a json " + type_name(doc) +
                               ", not an object; send {\"id\":1,\"method\":\"...\",\"params\":{...}}");
    return out;
  }
  auto id = doc.find("id");
  if (id == doc.end()) {
    out.status =
        util::invalid_argument("request " + on_line(line_no) + " has no 'id' (a number or a string)");
    return out;
  }
  if (!id->is_number() && !id->is_string()) {
    out.status = util::invalid_argument("'id' " + on_line(line_no) + " must be a number or a string, not " +
                                        type_name(*id));
    return out;
  }
  out.request.id = std::move(*id);
  auto method = doc.find("method");
  if (method == doc.end() || !method->is_string()) {
    out.status = util::invalid_argument("request " + on_line(line_no) + " has no 'method' string");
    return out;
  }
  out.request.method = method->get<std::string>();
  auto params = doc.find("params");
  if (params == doc.end() || params->is_null()) {
    out.request.params = Json::object();
  } else if (params->is_object()) {
    out.request.params = std::move(*params);
  } else {
    out.status = util::invalid_argument("'params' " + on_line(line_no) + " must be an object, not " +
                                        type_name(*params));
  }
  return out;
}

util::Result<Reply> parse_reply(std::string_view line) {
  Json doc;
  try {
    doc = Json::parse(line);
  } catch (const Json::parse_error& e) {
    return util::corrupt("malformed reply from cl-raftd: " + parse_error_detail(e.what()));
  }
  auto bad = [&](const std::string& why) {
    return util::corrupt("invalid reply from cl-raftd (" + why + "): " + util::quote(line));
  };
  if (!doc.is_object()) return bad("not an object");
  auto id = doc.find("id");
  if (id == doc.end()) return bad("no id");
  Reply r;
  r.id = std::move(*id);
  if (auto err = doc.find("error"); err != doc.end()) {
    if (!err->is_object()) return bad("error is not an object");
    auto code = err->find("code");
    auto message = err->find("message");
    if (code == err->end() || !code->is_string()) return bad("error without a code");
    std::string text = (message != err->end() && message->is_string()) ? message->get<std::string>() : "";
    util::Code c = util::code_from_name(code->get<std::string>());
    if (c == util::Code::ok) return bad("error with code ok");
    r.kind = Reply::Kind::error;
    r.error = util::Status(c, std::move(text));
    return r;
  }
  if (auto end = doc.find("end"); end != doc.end()) {
    auto count = doc.find("count");
    if (*end != true || count == doc.end() || !count->is_number_unsigned()) return bad("end without a count");
    r.kind = Reply::Kind::end;
    r.count = count->get<std::uint64_t>();
    return r;
  }
  auto result = doc.find("result");
  if (result == doc.end()) return bad("no result, error or end");
  r.value = std::move(*result);
  auto more = doc.find("more");
  r.kind = (more != doc.end() && *more == true) ? Reply::Kind::item : Reply::Kind::result;
  return r;
}

}  // namespace cl::api
