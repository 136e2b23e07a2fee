// Streamed listings: pulled on demand, bounded in memory, cancelled when the client leaves.
#include <algorithm>
#include <map>

#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace cl;
using namespace cl::api;
using namespace cl::api::test;

TEST_CASE("stream: a million items flow with the server's buffer bounded by the high-water mark") {
  TestServer server;  // high_water_bytes 256 KiB
  Client c = server.connect();
  std::int64_t next = 0;
  bool in_order = true;
  auto st = c.stream(
      "count", Json{{"n", 1'000'000}},
      [&](const Json& item) {
        in_order = in_order && item == next;
        ++next;
        return true;
      },
      kWait);
  INFO(st.to_string());
  REQUIRE(st.is_ok());
  CHECK(in_order);
  CHECK(next == 1'000'000);
  auto s = server.stats();
  // An item line is at most {"id":1,"result":999999,"more":true} plus '\n': 37 bytes.
  CHECK(s.out_buffered_bytes_peak >= ServerOptions{}.high_water_bytes);
  CHECK(s.out_buffered_bytes_peak < ServerOptions{}.high_water_bytes + 37);
  CHECK(server.toys().items_produced == 1'000'000);
  CHECK(server.toys().pumps_destroyed == 1);
}

TEST_CASE("stream: big items overshoot the mark by at most one item") {
  ServerOptions opt;
  opt.high_water_bytes = 32 * 1024;
  opt.low_water_bytes = 8 * 1024;
  TestServer server(opt);
  Client c = server.connect();
  std::size_t items = 0, item_line_max = 0;
  auto st = c.stream(
      "count", Json{{"n", 500}, {"size", 3000}},
      [&](const Json& item) {
        std::string line;
        append_item_line(line, "1", item);
        item_line_max = std::max(item_line_max, line.size());
        CHECK(item["i"] == items);
        ++items;
        return true;
      },
      kWait);
  REQUIRE(st.is_ok());
  CHECK(items == 500);
  CHECK(server.stats().out_buffered_bytes_peak >= opt.high_water_bytes);
  CHECK(server.stats().out_buffered_bytes_peak < opt.high_water_bytes + item_line_max);
}

TEST_CASE("stream: an empty listing is just the end line") {
  TestServer server;
  Client c = server.connect();
  int items = 0;
  REQUIRE(c.stream(
               "count", Json{{"n", 0}}, [&](const Json&) { return ++items > 0; }, kWait)
              .is_ok());
  CHECK(items == 0);
}

TEST_CASE("stream: a client that stops reading mid-stream cancels the producer") {
  TestServer server;
  Client c = server.connect();
  int items = 0;
  auto st = c.stream(
      "count", Json{{"n", -1}}, [&](const Json&) { return ++items < 1000; }, kWait);
  CHECK(st.is_ok());  // stopping early is the caller's choice, not an error
  CHECK(items == 1000);
  CHECK_FALSE(c.is_open());
  REQUIRE(wait_until([&] { return server.toys().cancels == 1; }));
  REQUIRE(wait_until([&] { return server.toys().pumps_destroyed == 1; }));
  REQUIRE(wait_until([&] { return server.stats().calls_alive == 0; }));
  CHECK(server.stats().calls_cancelled == 1);
}

TEST_CASE("stream: an error ends the stream after the items already sent") {
  TestServer server;
  Client c = server.connect();
  int items = 0;
  auto st = c.stream(
      "count", Json{{"n", 100}, {"fail_at", 50}}, [&](const Json&) { return ++items > 0; }, kWait);
  CHECK(st == util::io_error("toy failure at item 50"));
  CHECK(items == 50);
  CHECK(c.call("echo", Json{{"after", "stream error"}}, kWait).is_ok());
  CHECK(server.toys().pumps_destroyed == 1);
}

TEST_CASE("stream: an asynchronous producer goes idle and is woken") {
  TestServer server;
  Client c = server.connect();
  std::vector<int> got;
  auto st = c.stream(
      "ticker", Json{{"n", 20}},
      [&](const Json& item) {
        got.push_back(item.get<int>());
        return true;
      },
      kWait);
  REQUIRE(st.is_ok());
  std::vector<int> want(20);
  for (int i = 0; i < 20; ++i) want[i] = i;
  CHECK(got == want);
}

TEST_CASE("stream: a request sent behind an endless stream is still read and answered") {
  TestServer server;
  Client c = server.connect();
  auto stream_id = c.send("count", Json{{"n", -1}});
  REQUIRE(stream_id.is_ok());
  // Let the stream fill the connection before the next request arrives.
  for (int i = 0; i < 20000; ++i) REQUIRE(c.receive(kWait).is_ok());
  auto echo_id = c.send("echo", Json{{"behind", "stream"}});
  REQUIRE(echo_id.is_ok());
  bool answered = false;
  for (int i = 0; i < 1'000'000 && !answered; ++i) {
    auto r = c.receive(kWait);
    REQUIRE(r.is_ok());
    answered = r->id == *echo_id;
  }
  CHECK(answered);
}

TEST_CASE("stream: two streams and a call share one connection") {
  TestServer server;
  Client c = server.connect();
  auto a = c.send("count", Json{{"n", 5000}});
  auto b = c.send("count", Json{{"n", 3000}, {"size", 100}});
  auto e = c.send("echo", Json{{"x", 1}});
  REQUIRE((a.is_ok() && b.is_ok() && e.is_ok()));
  std::map<std::uint64_t, std::int64_t> next;
  std::map<std::uint64_t, std::uint64_t> ended;
  bool echoed = false;
  while (c.outstanding() > 0) {
    auto r = c.receive(kWait);
    REQUIRE(r.is_ok());
    auto id = r->id.get<std::uint64_t>();
    switch (r->kind) {
      case Reply::Kind::item: {
        auto v = id == *a ? r->value.get<std::int64_t>() : r->value["i"].get<std::int64_t>();
        CHECK(v == next[id]++);
        break;
      }
      case Reply::Kind::end:
        ended[id] = r->count;
        break;
      case Reply::Kind::result:
        CHECK(id == *e);
        echoed = true;
        break;
      case Reply::Kind::error:
        FAIL(r->error.to_string());
    }
  }
  CHECK(ended[*a] == 5000);
  CHECK(ended[*b] == 3000);
  CHECK(echoed);
}

TEST_CASE("client: call on a listing and stream on a single answer are refused") {
  TestServer server;
  {
    Client c = server.connect();
    auto r = c.call("count", Json{{"n", 3}}, kWait);
    CHECK(r.code() == util::Code::invalid_argument);
    CHECK_THAT(r.status().message(), Catch::Contains("use Client::stream"));
  }
  Client c = server.connect();
  auto st = c.stream(
      "echo", Json::object(), [](const Json&) { return true; }, kWait);
  CHECK(st.code() == util::Code::invalid_argument);
  CHECK_THAT(st.message(), Catch::Contains("use Client::call"));
}
