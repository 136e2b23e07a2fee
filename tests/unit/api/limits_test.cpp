// Limits and backpressure: pipelining, in-flight bound, output high-water mark, line length,
// connection count, and no leaked connections or calls.
#include <unistd.h>

#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "harness.hpp"
#include "util/rng.hpp"

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

TEST_CASE("pipelining: 1000 requests answered in reverse are matched by id") {
  TestServer server;
  Client c = server.connect();
  for (int i = 0; i < 1000; ++i) REQUIRE(c.send("collect", Json{{"n", 1000}}).is_ok());
  CHECK(c.outstanding() == 1000);
  std::uint64_t want = 1000;
  for (int i = 0; i < 1000; ++i) {
    Reply r = receive_ok(c);
    REQUIRE(r.kind == Reply::Kind::result);
    CHECK(r.id == want);
    CHECK(r.value == want);  // collect answers each call with its own id
    --want;
  }
  CHECK(c.outstanding() == 0);
}

TEST_CASE("pipelining: 1000 requests with random delays each get their own answer") {
  TestServer server;
  Client c = server.connect();
  util::Rng rng(42);
  std::map<std::uint64_t, int> sent;
  for (int i = 0; i < 1000; ++i) {
    auto id = c.send("slow", Json{{"ms", rng.below(5)}, {"value", i}});
    REQUIRE(id.is_ok());
    sent[*id] = i;
  }
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    Reply r = receive_ok(c);
    auto id = r.id.get<std::uint64_t>();
    REQUIRE(sent.count(id) == 1);
    CHECK(r.value == sent[id]);
    CHECK(seen.insert(id).second);
  }
}

TEST_CASE("backpressure: no more than inflight_per_conn_max calls per connection reach handlers") {
  ServerOptions opt;
  opt.inflight_per_conn_max = 4;
  TestServer server(opt);
  Client c = server.connect();
  for (int i = 0; i < 10; ++i) REQUIRE(c.send("gate", Json::object()).is_ok());
  for (int batch : {4, 4, 2}) {
    REQUIRE(wait_until([&] { return server.toys().gate_held == batch; }));
    server.release_gate();
  }
  for (int i = 0; i < 10; ++i) CHECK(receive_ok(c).value == Json{{"released", true}});
  CHECK(server.toys().gate_held_peak == 4);
}

TEST_CASE("backpressure: a client that does not read stops the server reading, not growing") {
  ServerOptions opt;
  opt.high_water_bytes = 16 * 1024;
  opt.low_water_bytes = 4 * 1024;
  TestServer server(opt);
  const int n = 2000;
  const std::string payload(1000, 'p');
  std::string line = "{\"id\":1,\"method\":\"echo\",\"params\":{\"p\":\"" + payload + "\"}}\n";
  int fd = raw_connect(server.path());
  // Sends ~2 MB of requests whose replies nobody reads yet: the socket buffers fill, then the
  // server's outgoing buffer reaches the high-water mark and it stops reading.
  std::thread sender([&] {
    for (int i = 0; i < n; ++i) {
      std::string_view rest(line);
      while (!rest.empty()) {
        ssize_t w = ::write(fd, rest.data(), rest.size());
        if (w <= 0) return;
        rest.remove_prefix(static_cast<std::size_t>(w));
      }
    }
  });
  REQUIRE(wait_until([&] { return server.stats().out_buffered_bytes_peak >= opt.high_water_bytes; }));
  std::string replies = raw_read_lines(fd, n);
  sender.join();
  ::close(fd);
  CHECK(std::count(replies.begin(), replies.end(), '\n') == n);
  // Never more than the mark plus the one reply that crossed it.
  CHECK(server.stats().out_buffered_bytes_peak < opt.high_water_bytes + line.size() + 64);
}

TEST_CASE("limits: a 10 MB line is refused without being buffered and the connection goes on") {
  TestServer server;  // line_bytes_max 1 MiB
  Client c = server.connect();
  std::string huge =
      "{\"id\":1,\"method\":\"echo\",\"params\":{\"x\":\"" + std::string(10'000'000, 'a') + "\"}}\n";
  REQUIRE(c.send_raw(huge, kWait).is_ok());
  Reply r = receive_ok(c);
  CHECK(r.id.is_null());
  CHECK(r.error ==
        util::resource_exhausted(
            "line 1 is longer than the limit of 1048576 bytes (line_bytes_max); it was discarded"));
  auto ok = c.call("echo", Json{{"after", "huge"}}, kWait);
  REQUIRE(ok.is_ok());
  CHECK(*ok == Json{{"after", "huge"}});
  CHECK(server.stats().line_buffer_bytes_peak > 0);
  CHECK(server.stats().line_buffer_bytes_peak <= 1 << 20);
}

TEST_CASE("limits: line_bytes_max is exact") {
  ServerOptions opt;
  opt.line_bytes_max = 100;
  TestServer server(opt);
  Client c = server.connect();
  auto line_of = [](std::size_t len) {
    std::string head = "{\"id\":1,\"method\":\"echo\",\"params\":{\"x\":\"";
    std::string tail = "\"}}";
    return head + std::string(len - head.size() - tail.size(), 'z') + tail + "\n";
  };
  REQUIRE(c.send_raw(line_of(100), kWait).is_ok());
  CHECK(receive_ok(c).kind == Reply::Kind::result);
  REQUIRE(c.send_raw(line_of(101), kWait).is_ok());
  Reply r = receive_ok(c);
  CHECK(r.error.code() == util::Code::resource_exhausted);
  CHECK_THAT(r.error.message(), Catch::StartsWith("line 2 is longer than the limit of 100 bytes"));
  CHECK(server.stats().line_buffer_bytes_peak <= 100);
}

TEST_CASE("limits: beyond connections_max a client is told why and hung up on") {
  ServerOptions opt;
  opt.connections_max = 2;
  TestServer server(opt);
  std::optional<Client> a = server.connect();
  Client b = server.connect();
  REQUIRE(a->call("echo", Json::object(), kWait).is_ok());
  REQUIRE(b.call("echo", Json::object(), kWait).is_ok());

  Client extra = server.connect();  // the kernel accepts; the server then refuses
  auto r = extra.call("echo", Json::object(), kWait);
  CHECK(r.code() == util::Code::resource_exhausted);
  CHECK_THAT(r.status().message(), Catch::StartsWith("too many connections to cl-raftd (connections_max 2)"));
  CHECK(server.stats().connections_rejected == 1);

  a.reset();
  REQUIRE(wait_until([&] { return server.stats().connections_open == 1; }));
  Client later = server.connect();
  CHECK(later.call("echo", Json{{"ok", true}}, kWait).is_ok());
}

TEST_CASE("no leaks: many connections opened and closed mid-call leave nothing behind") {
  TestServer server;
  const int rounds = 200;
  for (int i = 0; i < rounds; ++i) {
    Client c = server.connect();
    REQUIRE(c.send("hold", Json::object()).is_ok());
    if (i % 2 == 0) REQUIRE(c.send("count", Json{{"n", -1}}).is_ok());  // an endless stream
    REQUIRE(c.send("echo", Json{{"i", i}}).is_ok());
    // Read until the echo's answer: everything before it was dispatched.
    for (;;) {
      Reply r = receive_ok(c);
      if (r.kind == Reply::Kind::result && r.value == Json{{"i", i}}) break;
    }
  }  // each Client closes here, with a hold (and a stream) in flight
  REQUIRE(wait_until([&] {
    auto s = server.stats();
    return s.connections_open == 0 && s.connections_alive == 0 && s.calls_alive == 0;
  }));
  auto s = server.stats();
  CHECK(s.connections_accepted == rounds);
  CHECK(s.calls_started == rounds * 2 + rounds / 2);
  CHECK(s.calls_cancelled == rounds + rounds / 2);
  CHECK(server.toys().pumps_destroyed == rounds / 2);
  CHECK(server.connect().call("echo", Json::object(), kWait).is_ok());
}
