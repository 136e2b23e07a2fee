// Transport over real sockets on 127.0.0.1 with real TLS: delivery, order, sizes, lifecycle.
#include <catch2/catch.hpp>

#include "identity/peer_id.hpp"
#include "net/connection.hpp"
#include "net_fixture.hpp"
#include "util/rng.hpp"

using namespace cl::net;
using namespace cl::net::testing;

namespace {

const cl::identity::ClusterSecret kSecret = secret_of('a');

std::string numbered(const std::string& prefix, int i) {
  return prefix + " " + std::to_string(i);
}

// Destroy the transports, let their handlers finish, and check that no connection is left.
void finish(boost::asio::io_context& io, std::initializer_list<Peer*> peers) {
  for (Peer* p : peers) p->transport.reset();
  io.restart();
  io.run_for(std::chrono::seconds(5));
  CHECK(Connection::live_count() == 0);
}

std::string pattern(std::size_t n, std::uint64_t seed) {
  cl::util::Rng rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng.next());
  return s;
}

}  // namespace

TEST_CASE("two transports exchange messages both ways, in order") {
  boost::asio::io_context io;
  Peer a, b;
  start_peer(io, a, kSecret);
  start_peer(io, b, kSecret);
  REQUIRE(a.id() != b.id());
  introduce(a, b);
  for (int i = 0; i < 100; ++i) {
    REQUIRE(a.transport->send(b.id(), numbered("a", i)));
    REQUIRE(b.transport->send(a.id(), numbered("b", i)));
  }
  REQUIRE(run_until(io, [&] { return b.count_from(a.id()) == 100 && a.count_from(b.id()) == 100; }));
  for (int i = 0; i < 100; ++i) {
    CHECK(b.received[a.id()][i] == numbered("a", i));
    CHECK(a.received[b.id()][i] == numbered("b", i));
  }
  CHECK(a.transport->connected(b.id()));
  CHECK(a.transport->connected_peers() == std::vector<std::string>{b.id()});
  CHECK(a.count_events("up " + b.id()) == 1);
  CHECK(b.count_events("up " + a.id()) == 1);
  REQUIRE(a.transport->last_contact(b.id()).has_value());
  auto stats = a.transport->peer_stats(b.id());
  REQUIRE(stats);
  CHECK(stats->messages_received == 100);
  CHECK(stats->messages_dropped == 0);
  REQUIRE(run_until(io, [&] { return a.transport->peer_stats(b.id())->messages_sent == 100; }));
  finish(io, {&a, &b});
}

TEST_CASE("three transports: every pair exchanges messages in order") {
  boost::asio::io_context io;
  Peer p[3];
  for (auto& x : p) start_peer(io, x, kSecret);
  introduce(p[0], p[1]);
  introduce(p[0], p[2]);
  introduce(p[1], p[2]);
  constexpr int kEach = 50;
  for (int i = 0; i < kEach; ++i) {
    for (int from = 0; from < 3; ++from) {
      for (int to = 0; to < 3; ++to) {
        if (from != to) REQUIRE(p[from].transport->send(p[to].id(), numbered(p[from].id(), i)));
      }
    }
  }
  REQUIRE(run_until(io, [&] {
    for (int to = 0; to < 3; ++to) {
      for (int from = 0; from < 3; ++from) {
        if (from != to && p[to].count_from(p[from].id()) != kEach) return false;
      }
    }
    return true;
  }));
  for (int to = 0; to < 3; ++to) {
    for (int from = 0; from < 3; ++from) {
      if (from == to) continue;
      const auto& got = p[to].received[p[from].id()];
      for (int i = 0; i < kEach; ++i) CHECK(got[i] == numbered(p[from].id(), i));
    }
    CHECK(p[to].transport->connected_peers().size() == 2);
  }
  finish(io, {&p[0], &p[1], &p[2]});
}

TEST_CASE("a message of frame_bytes_max arrives whole; one byte more is refused") {
  boost::asio::io_context io;
  Peer a, b;
  const std::size_t limit = 4u << 20;
  auto tweak = [&](TransportOptions& o) {
    o.frame_bytes_max = limit;
    o.send_queue_bytes_max = 3 * limit;
  };
  start_peer(io, a, kSecret, 0, tweak);
  start_peer(io, b, kSecret, 0, tweak);
  introduce(a, b);
  const std::string big = pattern(limit, 7);
  const std::string almost = pattern(limit - 1, 8);
  REQUIRE(a.transport->send(b.id(), "before"));
  REQUIRE(a.transport->send(b.id(), big));
  REQUIRE(a.transport->send(b.id(), "between"));
  REQUIRE(a.transport->send(b.id(), almost));
  REQUIRE(a.transport->send(b.id(), "after"));
  CHECK_FALSE(a.transport->send(b.id(), std::string(limit + 1, 'x')));
  REQUIRE(run_until(io, [&] { return b.count_from(a.id()) == 5; }));
  const auto& got = b.received[a.id()];
  CHECK(got[0] == "before");
  CHECK(got[1] == big);
  CHECK(got[2] == "between");
  CHECK(got[3] == almost);
  CHECK(got[4] == "after");
  CHECK(a.transport->peer_stats(b.id())->messages_dropped == 1);
  finish(io, {&a, &b});
}

TEST_CASE("10,000 small messages are all delivered, in order") {
  boost::asio::io_context io;
  Peer a, b;
  start_peer(io, a, kSecret);
  start_peer(io, b, kSecret);
  introduce(a, b);
  constexpr int kCount = 10'000;
  for (int i = 0; i < kCount; ++i) REQUIRE(a.transport->send(b.id(), numbered("m", i)));
  REQUIRE(run_until(io, [&] { return b.count_from(a.id()) == kCount; }));
  const auto& got = b.received[a.id()];
  int out_of_order = 0;
  for (int i = 0; i < kCount; ++i) out_of_order += got[i] != numbered("m", i);
  CHECK(out_of_order == 0);
  CHECK(b.transport->peer_stats(a.id())->messages_received == kCount);
  finish(io, {&a, &b});
}

TEST_CASE("a peer that is not in the address book can dial in, and is answered on its link") {
  boost::asio::io_context io;
  Peer a, b;
  start_peer(io, a, kSecret);
  start_peer(io, b, kSecret);
  REQUIRE(b.transport->set_peer_address(a.id(), a.address()).is_ok());
  CHECK_FALSE(a.transport->send(b.id(), "unknown yet"));  // a has no address and no link
  REQUIRE(b.transport->send(a.id(), "hello"));
  REQUIRE(run_until(io, [&] { return a.count_from(b.id()) == 1; }));
  REQUIRE(a.transport->send(b.id(), "welcome"));
  REQUIRE(run_until(io, [&] { return b.count_from(a.id()) == 1; }));
  CHECK(b.received[a.id()][0] == "welcome");
  auto stats = a.transport->peer_stats(b.id());
  REQUIRE(stats);
  CHECK_FALSE(stats->outbound);
  CHECK_FALSE(stats->address.has_value());
  CHECK(b.transport->peer_stats(a.id())->outbound);
  finish(io, {&a, &b});
}

TEST_CASE("an idle link carries keepalives, so last_contact moves") {
  boost::asio::io_context io;
  Peer a, b;
  start_peer(io, a, kSecret);
  start_peer(io, b, kSecret);
  introduce(a, b);
  REQUIRE(a.transport->send(b.id(), "one"));
  REQUIRE(run_until(io, [&] { return b.count_from(a.id()) == 1 && a.transport->last_contact(b.id()); }));
  const auto first = *a.transport->last_contact(b.id());
  // a sends nothing more; b's keepalives alone must advance a's view of b.
  REQUIRE(run_until(io, [&] { return *a.transport->last_contact(b.id()) > first; }));
  CHECK(a.transport->connected(b.id()));
  CHECK(b.count_from(a.id()) == 1);
  finish(io, {&a, &b});
}

TEST_CASE("stop closes the links, the other side sees the peer go down, and no callback runs after") {
  boost::asio::io_context io;
  Peer a, b;
  start_peer(io, a, kSecret);
  start_peer(io, b, kSecret);
  introduce(a, b);
  REQUIRE(a.transport->send(b.id(), "x"));
  REQUIRE(run_until(io, [&] { return b.count_from(a.id()) == 1; }));
  a.transport->stop();
  const auto events_at_stop = a.events.size();
  REQUIRE(run_until(io, [&] { return b.count_events("down " + a.id()) == 1; }));
  CHECK_FALSE(b.transport->connected(a.id()));
  b.transport->send(a.id(), "after stop");  // b redials a closed port: nothing may reach a
  run_for(io, std::chrono::milliseconds(300));
  CHECK(a.events.size() == events_at_stop);
  CHECK(a.count_from(b.id()) == 0);
  CHECK_FALSE(a.transport->send(b.id(), "y"));
  finish(io, {&a, &b});
}

TEST_CASE("addresses and peer ids are checked") {
  boost::asio::io_context io;
  Peer a;
  start_peer(io, a, kSecret);
  const std::string other = cl::identity::PeerId::from_public_key(make_key().public_key()).to_string();
  CHECK(a.transport->set_peer_address(other, "127.0.0.1:1").is_ok());
  CHECK(a.transport->set_peer_address(other, "nonsense").code() == cl::util::Code::invalid_argument);
  CHECK(a.transport->set_peer_address(other, "127.0.0.1:0").code() == cl::util::Code::invalid_argument);
  CHECK(a.transport->set_peer_address(a.id(), "127.0.0.1:1").code() == cl::util::Code::invalid_argument);
  CHECK(a.transport->set_peer_address("", "127.0.0.1:1").code() == cl::util::Code::invalid_argument);
  CHECK(a.transport->set_peer_address("peer-x", "127.0.0.1:1").code() == cl::util::Code::invalid_argument);
  CHECK_FALSE(a.transport->send(a.id(), "to myself"));
  CHECK_FALSE(a.transport->send("peer-never-seen", "x"));
  CHECK(a.transport->listen("127.0.0.1:0").code() == cl::util::Code::failed_precondition);

  const cl::identity::KeyPair key = make_key();
  TransportOptions o = test_options(key, kSecret);
  o.cluster_secret = nullptr;
  CHECK(Transport::create(io, o, {}).code() == cl::util::Code::invalid_argument);
  o = test_options(key, kSecret);
  o.identity = nullptr;
  CHECK(Transport::create(io, o, {}).code() == cl::util::Code::invalid_argument);
  o = test_options(key, kSecret);
  o.idle_timeout_ms = o.keepalive_interval_ms;
  CHECK(Transport::create(io, o, {}).code() == cl::util::Code::invalid_argument);
  o = test_options(key, kSecret);
  o.send_queue_bytes_max = o.frame_bytes_max;
  CHECK(Transport::create(io, o, {}).code() == cl::util::Code::invalid_argument);
  finish(io, {&a});
}

TEST_CASE("a full send queue refuses messages and counts them; what was queued is delivered") {
  boost::asio::io_context io;
  Peer a, b;
  auto tweak = [](TransportOptions& o) { o.send_queue_messages_max = 10; };
  start_peer(io, a, kSecret, 0, tweak);
  start_peer(io, b, kSecret, 0, tweak);
  introduce(a, b);
  int accepted = 0;
  for (int i = 0; i < 25; ++i) accepted += a.transport->send(b.id(), numbered("q", i));
  CHECK(accepted == 10);
  auto stats = a.transport->peer_stats(b.id());
  CHECK(stats->messages_dropped == 15);
  CHECK(stats->queued_messages == 10);
  REQUIRE(run_until(io, [&] { return b.count_from(a.id()) == 10; }));
  run_for(io, std::chrono::milliseconds(100));
  CHECK(b.count_from(a.id()) == 10);
  CHECK(b.received[a.id()].back() == numbered("q", 9));
  finish(io, {&a, &b});
}

TEST_CASE(
    "connect() reaches a peer by address alone and learns its id; a wrong secret or no listener fails") {
  boost::asio::io_context io;
  Peer a, b, stranger;
  start_peer(io, a, kSecret);
  start_peer(io, b, kSecret);
  start_peer(io, stranger, secret_of('e'));
  std::optional<cl::util::Result<std::string>> got;
  a.transport->connect("127.0.0.1:" + std::to_string(b.transport->local_port()),
                       [&](cl::util::Result<std::string> r) { got = std::move(r); });
  REQUIRE(run_until(io, [&] { return got.has_value(); }));
  REQUIRE(got->is_ok());
  CHECK(**got == b.id());
  // The connection is now the link to b: messages flow both ways without an address.
  REQUIRE(a.transport->send(b.id(), "hello"));
  REQUIRE(run_until(io, [&] { return b.count_from(a.id()) == 1; }));
  REQUIRE(b.transport->send(a.id(), "back"));
  REQUIRE(run_until(io, [&] { return a.count_from(b.id()) == 1; }));

  std::optional<cl::util::Result<std::string>> wrong;
  a.transport->connect("127.0.0.1:" + std::to_string(stranger.transport->local_port()),
                       [&](cl::util::Result<std::string> r) { wrong = std::move(r); });
  REQUIRE(run_until(io, [&] { return wrong.has_value(); }));
  CHECK_FALSE(wrong->is_ok());
  CHECK(stranger.received.empty());

  std::optional<cl::util::Result<std::string>> nobody;
  a.transport->connect("127.0.0.1:1", [&](cl::util::Result<std::string> r) { nobody = std::move(r); });
  REQUIRE(run_until(io, [&] { return nobody.has_value(); }));
  CHECK_FALSE(nobody->is_ok());
  finish(io, {&a, &b, &stranger});
}
