#include "api/protocol.hpp"

#include <map>

#include <catch2/catch.hpp>

#include "api/paths.hpp"

using namespace cl;
using namespace cl::api;

TEST_CASE("protocol: answer lines have the documented shape") {
  std::string out;
  append_result_line(out, id_to_json(7), Json{{"cid", "Qm"}});
  append_item_line(out, id_to_json("a"), 1);
  append_end_line(out, id_to_json("a"), 3);
  append_error_line(out, id_to_json(nullptr), util::invalid_argument("invalid cid 'Qmfoo'"));
  CHECK(out ==
        "{\"id\":7,\"result\":{\"cid\":\"Qm\"}}\n"
        "{\"id\":\"a\",\"result\":1,\"more\":true}\n"
        "{\"id\":\"a\",\"end\":true,\"count\":3}\n"
        "{\"id\":null,\"error\":{\"code\":\"invalid_argument\",\"message\":\"invalid cid 'Qmfoo'\"}}\n");
}

TEST_CASE("protocol: invalid utf-8 in a result is replaced, not thrown") {
  std::string out;
  append_result_line(out, "1",
                     Json(std::string("a\xff"
                                      "b")));
  CHECK(out ==
        "{\"id\":1,\"result\":\"a\xef\xbf\xbd"
        "b\"}\n");
}

TEST_CASE("protocol: a request line round-trips") {
  std::string out;
  append_request_line(out, 42, "pin.add", Json{{"cid", "Qm"}});
  REQUIRE(out.back() == '\n');
  out.pop_back();
  auto p = parse_request(out, 1);
  REQUIRE(p.status.is_ok());
  CHECK(p.request.id == 42);
  CHECK(p.request.method == "pin.add");
  CHECK(p.request.params == Json{{"cid", "Qm"}});
}

TEST_CASE("protocol: params are optional and always an object for the handler") {
  auto a = parse_request(R"({"id":"x","method":"status"})", 1);
  REQUIRE(a.status.is_ok());
  CHECK(a.request.params == Json::object());
  auto b = parse_request(R"({"id":1,"method":"status","params":null})", 1);
  REQUIRE(b.status.is_ok());
  CHECK(b.request.params == Json::object());
}

TEST_CASE("protocol: bad request lines are invalid_argument naming the line") {
  struct Case {
    std::string line;
    Json id;
    std::string message_part;
  };
  std::vector<Case> cases = {
      {"{\"id\":1,", nullptr, "malformed json on line 9, column"},
      {"[1,2]", nullptr, "line 9 is a json array, not an object"},
      {"{\"method\":\"x\"}", nullptr, "request on line 9 has no 'id'"},
      {"{\"id\":[1],\"method\":\"x\"}", nullptr, "'id' on line 9 must be a number or a string, not array"},
      {"{\"id\":true,\"method\":\"x\"}", nullptr, "not boolean"},
      {"{\"id\":5}", 5, "request on line 9 has no 'method' string"},
      {"{\"id\":5,\"method\":3}", 5, "has no 'method' string"},
      {"{\"id\":\"q\",\"method\":\"x\",\"params\":[1]}", "q",
       "'params' on line 9 must be an object, not array"},
  };
  for (const auto& c : cases) {
    INFO(c.line);
    auto p = parse_request(c.line, 9);
    CHECK(p.status.code() == util::Code::invalid_argument);
    CHECK_THAT(p.status.message(), Catch::Contains(c.message_part));
    CHECK(p.request.id == c.id);
  }
}

TEST_CASE("protocol: a malformed line's message stays short") {
  std::string line = "{\"id\":1,\"method\":\"" + std::string(100000, 'a');  // unterminated string
  auto p = parse_request(line, 1);
  CHECK(p.status.code() == util::Code::invalid_argument);
  CHECK(p.status.message().size() < 400);
}

TEST_CASE("protocol: replies parse into their kinds") {
  auto r = parse_reply(R"({"id":1,"result":{"a":1}})");
  REQUIRE(r.is_ok());
  CHECK(r->kind == Reply::Kind::result);
  CHECK(r->terminal());
  CHECK(r->value == Json{{"a", 1}});

  auto i = parse_reply(R"({"id":1,"result":5,"more":true})");
  REQUIRE(i.is_ok());
  CHECK(i->kind == Reply::Kind::item);
  CHECK_FALSE(i->terminal());

  auto e = parse_reply(R"({"id":1,"end":true,"count":12})");
  REQUIRE(e.is_ok());
  CHECK(e->kind == Reply::Kind::end);
  CHECK(e->count == 12);

  auto x = parse_reply(R"({"id":null,"error":{"code":"not_leader","message":"ask 12D3KooW"}})");
  REQUIRE(x.is_ok());
  CHECK(x->kind == Reply::Kind::error);
  CHECK(x->id.is_null());
  CHECK(x->error == util::Status(util::Code::not_leader, "ask 12D3KooW"));
}

TEST_CASE("protocol: what is not a reply is corrupt") {
  for (std::string line : {"nope", "[]", R"({"result":1})", R"({"id":1})", R"({"id":1,"error":"x"})",
                           R"({"id":1,"error":{"code":"ok","message":""}})", R"({"id":1,"end":true})"}) {
    INFO(line);
    CHECK(parse_reply(line).code() == util::Code::corrupt);
  }
}

TEST_CASE("paths: CL_SOCKET, then CL_HOME, then HOME/.cl") {
  std::map<std::string, std::string> vars;
  EnvLookup env = [&](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  CHECK(default_socket_path(env).code() == util::Code::invalid_argument);
  vars["HOME"] = "/home/ann";
  CHECK(*default_socket_path(env) == "/home/ann/.cl/raftd.sock");
  CHECK(*cl_home(env) == "/home/ann/.cl");
  vars["CL_HOME"] = "";  // empty counts as unset
  CHECK(*default_socket_path(env) == "/home/ann/.cl/raftd.sock");
  vars["CL_HOME"] = "/srv/cl";
  CHECK(*default_socket_path(env) == "/srv/cl/raftd.sock");
  vars["CL_SOCKET"] = "/run/cl.sock";
  CHECK(*default_socket_path(env) == "/run/cl.sock");
  CHECK(*resolve_socket_path("/tmp/flag.sock", env) == "/tmp/flag.sock");
  CHECK(*resolve_socket_path("", env) == "/run/cl.sock");
}
