#pragma once
// The wire format of the local socket (PROTOCOL.md): one JSON object per '\n'-terminated line.
// Pure functions shared by the server and the client: encoding appends to a caller-owned buffer
// (so a connection reuses one buffer for many lines), decoding reads a line without its '\n'.
// No I/O here.
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "util/result.hpp"
#include "util/status.hpp"

namespace cl::api {

using Json = nlohmann::json;

// A request as the server's handlers see it. `id` is a number or a string, echoed in every line
// of the answer; `params` is always an object (empty when the request had none).
struct Request {
  Json id;
  std::string method;
  Json params;
};

// ---- encoding (each appends exactly one line, with its '\n') ----

// Strings with invalid UTF-8 are written with U+FFFD in place of the bad bytes rather than failing.
void append_json(std::string& out, const Json& value);
void append_request_line(std::string& out, const Json& id, std::string_view method, const Json& params);
// Answer lines take the id already serialized (`id_json`, e.g. `7` or `"a"`): a call serializes
// its id once, not once per streamed item.
// {"id":X,"result":R}
void append_result_line(std::string& out, std::string_view id_json, const Json& result);
// {"id":X,"result":R,"more":true}
void append_item_line(std::string& out, std::string_view id_json, const Json& item);
// {"id":X,"end":true,"count":N}
void append_end_line(std::string& out, std::string_view id_json, std::uint64_t count);
// {"id":X,"error":{"code":"<code_name>","message":"..."}}; status must not be ok.
void append_error_line(std::string& out, std::string_view id_json, const util::Status& status);
// The id as it goes on the wire.
std::string id_to_json(const Json& id);

// ---- decoding ----

// The outcome of reading one request line. When `status` is not ok the line is answered with an
// error line carrying `request.id` (null when no valid id could be read).
struct ParsedRequest {
  Request request;
  util::Status status;
};

// Parse one request line (without '\n'); line_no (1-based, per connection) goes into messages.
// Never throws; errors are invalid_argument with a message naming the line.
ParsedRequest parse_request(std::string_view line, std::uint64_t line_no);

// One line from the server, as the client sees it.
struct Reply {
  enum class Kind { result, item, end, error };
  Json id;  // null for an error about a line the server could not read (malformed, too long)
  Kind kind = Kind::result;
  Json value;               // result or item
  util::Status error;       // Kind::error: the code from its name, and the message
  std::uint64_t count = 0;  // Kind::end: the number of items the server sent
  // True when no more lines follow for this id.
  bool terminal() const { return kind != Kind::item; }
};

// Parse one reply line (without '\n'); corrupt when it is not a valid reply.
util::Result<Reply> parse_reply(std::string_view line);

}  // namespace cl::api
