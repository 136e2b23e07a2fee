// Request/reply over a real socket: answers, errors, bad input, cancellation.
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace cl;
using namespace cl::api;
using namespace cl::api::test;

namespace {

Reply receive_ok(Client& c) {
  auto r = c.receive(kWait);
  INFO(r.status().to_string());
  REQUIRE(r.is_ok());
  return std::move(*r);
}

}  // namespace

TEST_CASE("server: echo, fail and a delayed reply") {
  TestServer server;
  Client c = server.connect();

  auto echo = c.call("echo", Json{{"cid", "QmX"}, {"n", 3}}, kWait);
  REQUIRE(echo.is_ok());
  CHECK(*echo == Json{{"cid", "QmX"}, {"n", 3}});

  auto fail = c.call("fail", Json{{"code", "not_leader"}, {"message", "ask peer 12D3KooWabc"}}, kWait);
  CHECK(fail.status() == util::Status(util::Code::not_leader, "ask peer 12D3KooWabc"));

  auto slow = c.call("slow", Json{{"ms", 5}, {"value", "later"}}, kWait);
  REQUIRE(slow.is_ok());
  CHECK(*slow == "later");

  CHECK(server.stats().calls_started == 3);
}

TEST_CASE("server: string ids are echoed") {
  TestServer server;
  Client c = server.connect();
  REQUIRE(c.send_raw("{\"id\":\"req-1\",\"method\":\"echo\",\"params\":{\"x\":1}}\n", kWait).is_ok());
  Reply r = receive_ok(c);
  CHECK(r.id == "req-1");
  CHECK(r.kind == Reply::Kind::result);
  CHECK(r.value == Json{{"x", 1}});
}

TEST_CASE("server: unknown method is not_found with a hint") {
  TestServer server;
  Client c = server.connect();
  auto r = c.call("pin.foo", Json::object(), kWait);
  CHECK(r.code() == util::Code::not_found);
  CHECK(r.status().message() == "unknown method 'pin.foo'; see cl-raftd(8) for the methods");
  CHECK(c.call("echo", Json{{"still", "works"}}, kWait).is_ok());
}

TEST_CASE("server: a malformed line is answered with its line number and the connection goes on") {
  TestServer server;
  Client c = server.connect();
  REQUIRE(c.send_raw("{\"id\":1,\"method\":\"echo\"}\n\n{bad json\n", kWait).is_ok());
  Reply first = receive_ok(c);
  CHECK(first.id == 1);
  CHECK(first.kind == Reply::Kind::result);
  Reply bad = receive_ok(c);
  CHECK(bad.id.is_null());
  CHECK(bad.error.code() == util::Code::invalid_argument);
  CHECK_THAT(bad.error.message(), Catch::StartsWith("malformed json on line 3, column"));

  REQUIRE(c.send_raw("[1,2]\n{\"id\":9}\n{\"id\":10,\"method\":\"echo\",\"params\":3}\n", kWait).is_ok());
  Reply array = receive_ok(c);
  CHECK(array.id.is_null());
  CHECK_THAT(array.error.message(), Catch::StartsWith("line 4 is a json array, not an object"));
  Reply no_method = receive_ok(c);
  CHECK(no_method.id == 9);
  CHECK(no_method.error.message() == "request on line 5 has no 'method' string");
  Reply bad_params = receive_ok(c);
  CHECK(bad_params.id == 10);
  CHECK(bad_params.error.message() == "'params' on line 6 must be an object, not number");

  auto ok = c.call("echo", Json{{"after", "errors"}}, kWait);
  REQUIRE(ok.is_ok());
  CHECK(*ok == Json{{"after", "errors"}});
  CHECK(server.stats().bad_lines == 4);
}

TEST_CASE("server: a handler that throws on bad params answers invalid_argument") {
  TestServer server;
  Client c = server.connect();
  auto r = c.call("throw_json", Json{{"other", 1}}, kWait);
  CHECK(r.code() == util::Code::invalid_argument);
  CHECK_THAT(r.status().message(), Catch::StartsWith("invalid params for 'throw_json': key 'cid' not found"));
}

TEST_CASE("server: a call dropped unanswered by its handler is answered internal") {
  TestServer server;
  Client c = server.connect();
  auto r = c.call("drop", Json::object(), kWait);
  CHECK(r.code() == util::Code::internal);
  CHECK_THAT(r.status().message(), Catch::Contains("'drop' was dropped without an answer"));
  CHECK(server.stats().calls_dropped == 1);
}

TEST_CASE("server: a client that shuts down its sending side still gets its answers") {
  TestServer server;
  int fd = raw_connect(server.path());
  std::string req =
      "{\"id\":1,\"method\":\"slow\",\"params\":{\"ms\":20,\"value\":\"late\"}}\n"
      "{\"id\":2,\"method\":\"echo\",\"params\":{\"no\":\"newline\"}}";  // last line unterminated
  REQUIRE(::write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size()));
  REQUIRE(::shutdown(fd, SHUT_WR) == 0);
  std::string all = raw_read_lines(fd, 1000);  // the server closes once both are answered
  ::close(fd);
  CHECK(all ==
        "{\"id\":2,\"result\":{\"no\":\"newline\"}}\n"
        "{\"id\":1,\"result\":\"late\"}\n");
  CHECK(server.toys().cancels == 0);
}

TEST_CASE("server: a client that goes away cancels its calls") {
  TestServer server;
  {
    Client c = server.connect();
    REQUIRE(c.send("hold", Json::object()).is_ok());
    REQUIRE(c.send("hold", Json::object()).is_ok());
    REQUIRE(wait_until([&] { return server.stats().calls_alive == 2; }));
  }
  REQUIRE(wait_until([&] { return server.toys().cancels == 2; }));
  REQUIRE(wait_until([&] { return server.stats().calls_alive == 0; }));
  CHECK(server.stats().calls_cancelled == 2);
}

TEST_CASE("client: a call that times out closes the connection and the server cancels it") {
  TestServer server;
  Client c = server.connect();
  auto r = c.call("hold", Json::object(), util::Millis(30));
  CHECK(r.code() == util::Code::timeout);
  CHECK_THAT(r.status().message(), Catch::StartsWith("no reply from cl-raftd to 'hold' within 30ms"));
  CHECK_FALSE(c.is_open());
  REQUIRE(wait_until([&] { return server.toys().cancels == 1; }));
  auto after = c.call("echo", Json::object(), kWait);
  CHECK(after.code() == util::Code::unavailable);
}

TEST_CASE("client: receive times out without losing the connection") {
  TestServer server;
  Client c = server.connect();
  REQUIRE(c.send("slow", Json{{"ms", 50}, {"value", 1}}).is_ok());
  auto early = c.receive(util::Millis(1));
  CHECK(early.code() == util::Code::timeout);
  CHECK(c.is_open());
  CHECK(c.outstanding() == 1);
  Reply r = receive_ok(c);
  CHECK(r.value == 1);
  CHECK(c.outstanding() == 0);
}

TEST_CASE("server: stop cancels calls in flight and the client learns the daemon left") {
  TestServer server;
  Client c = server.connect();
  REQUIRE(c.send("hold", Json::object()).is_ok());
  REQUIRE(wait_until([&] { return server.stats().calls_alive == 1; }));
  server.stop();
  CHECK(server.toys().cancels == 1);
  auto r = c.receive(kWait);
  CHECK(r.code() == util::Code::unavailable);
  CHECK_THAT(r.status().message(), Catch::Contains("closed the connection"));
}
