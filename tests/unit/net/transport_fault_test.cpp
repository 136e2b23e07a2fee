// Transport under attack and failure: wrong secret, wrong peer, garbage, oversized frames,
// restarts, simultaneous dials, handshake slots.
#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include "net/connection.hpp"
#include "net/frame.hpp"
#include "net/tls.hpp"
#include "net_fixture.hpp"
#include "util/bytes.hpp"
#include "util/rng.hpp"

using namespace cl::net;
using namespace cl::net::testing;
using boost::asio::ip::tcp;

namespace {

const cl::identity::ClusterSecret kSecret = secret_of('a');

void finish(boost::asio::io_context& io, std::initializer_list<Peer*> peers) {
  for (Peer* p : peers) p->transport.reset();
  io.restart();
  io.run_for(std::chrono::seconds(5));
  CHECK(Connection::live_count() == 0);
}

// Exchange one fresh message each way between a and b and wait for both.
bool exchange(boost::asio::io_context& io, Peer& a, Peer& b, const std::string& tag) {
  const auto na = a.count_from(b.id()), nb = b.count_from(a.id());
  if (!a.transport->send(b.id(), tag + " from a") || !b.transport->send(a.id(), tag + " from b"))
    return false;
  return run_until(io, [&] { return a.count_from(b.id()) > na && b.count_from(a.id()) > nb; }) &&
         a.received[b.id()].back() == tag + " from b" && b.received[a.id()].back() == tag + " from a";
}

// A raw TCP client on the io_context: connects, optionally writes, and records how reading ends.
struct RawClient {
  explicit RawClient(boost::asio::io_context& io) : socket(io) {}
  tcp::socket socket;
  bool ended = false;
  boost::system::error_code end;
  std::array<char, 4096> buf{};
  void connect(std::uint16_t port) {
    socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  }
  void read_until_closed() {
    socket.async_read_some(boost::asio::buffer(buf),
                           [this](const boost::system::error_code& ec, std::size_t) {
                             if (ec) {
                               ended = true;
                               end = ec;
                               return;
                             }
                             read_until_closed();  // whatever the server says (a TLS alert) until it closes
                           });
  }
};

}  // namespace

TEST_CASE("a peer with the wrong cluster secret is refused both ways and changes nothing") {
  boost::asio::io_context io;
  Peer a, b, intruder;
  start_peer(io, a, kSecret);
  start_peer(io, b, kSecret);
  const cl::identity::ClusterSecret wrong = secret_of('b');
  start_peer(io, intruder, wrong);
  introduce(a, b);
  // The intruder dials a; b dials the intruder. a does not know the intruder at all.
  REQUIRE(intruder.transport->set_peer_address(a.id(), a.address()).is_ok());
  REQUIRE(b.transport->set_peer_address(intruder.id(), intruder.address()).is_ok());
  REQUIRE(intruder.transport->send(a.id(), "let me in"));
  REQUIRE(b.transport->send(intruder.id(), "are you one of us?"));
  REQUIRE(run_until(io, [&] {
    return a.transport->stats().auth_failed >= 1 && intruder.transport->stats().auth_failed >= 1;
  }));
  REQUIRE(exchange(io, a, b, "still fine"));
  run_for(io, std::chrono::milliseconds(300));  // let the intruder retry a few times

  CHECK(a.count_from(intruder.id()) == 0);
  CHECK(b.count_from(intruder.id()) == 0);
  CHECK(intruder.received.empty());
  CHECK(intruder.events.empty());
  CHECK_FALSE(a.transport->peer_stats(intruder.id()).has_value());  // a never learned of it
  CHECK_FALSE(b.transport->connected(intruder.id()));
  CHECK(a.count_events("up " + intruder.id()) == 0);
  CHECK(a.sink->contains("wrong cluster secret proof"));
  CHECK(intruder.sink->contains("wrong cluster secret proof", b.id()));
  // Neither the secrets nor anything derived from them is ever logged.
  for (Peer* p : {&a, &b, &intruder}) {
    for (const auto& line : p->sink->lines()) {
      for (const auto* s : {&wrong, &kSecret}) {
        CHECK(line.find(s->bytes().substr(0, 8)) == std::string::npos);
        CHECK(line.find(s->to_hex().substr(0, 16)) == std::string::npos);
      }
    }
  }
  finish(io, {&a, &b, &intruder});
}

TEST_CASE("dialing an address where another peer answers is refused and logged with both ids") {
  boost::asio::io_context io;
  Peer a, b, c;
  start_peer(io, a, kSecret);
  start_peer(io, b, kSecret);
  start_peer(io, c, kSecret);
  REQUIRE(a.transport->set_peer_address(b.id(), c.address()).is_ok());  // wrong: that is c's port
  REQUIRE(a.transport->send(b.id(), "for b"));
  REQUIRE(run_until(io, [&] { return a.transport->stats().peer_mismatches >= 1; }));
  run_for(io, std::chrono::milliseconds(200));
  CHECK(a.sink->contains("expected peer " + b.id(), c.id()));
  CHECK_FALSE(a.transport->connected(b.id()));
  CHECK_FALSE(a.transport->connected(c.id()));
  CHECK(c.received.empty());
  CHECK(b.received.empty());
  CHECK_FALSE(c.transport->peer_stats(a.id()).has_value());
  CHECK(a.transport->peer_stats(b.id())->messages_dropped >= 1);  // the queued message went with the attempt
  finish(io, {&a, &b, &c});
}

TEST_CASE("garbage and silent clients are closed; the listener keeps serving") {
  boost::asio::io_context io;
  Peer a, b;
  start_peer(io, a, kSecret, 0, [](TransportOptions& o) { o.handshake_timeout_ms = cl::util::Millis(300); });
  start_peer(io, b, kSecret);
  introduce(a, b);

  RawClient garbage(io), silent(io);
  garbage.connect(a.transport->local_port());
  silent.connect(a.transport->local_port());
  cl::util::Rng rng(42);
  std::string noise(1024, '\0');
  for (auto& ch : noise) ch = static_cast<char>(rng.next());
  boost::asio::write(garbage.socket, boost::asio::buffer(noise));
  garbage.read_until_closed();
  silent.read_until_closed();

  REQUIRE(run_until(io, [&] { return garbage.ended && silent.ended; }));
  CHECK(a.transport->stats().handshakes_failed == 2);
  CHECK(a.sink->contains("tls handshake failed"));
  CHECK(a.sink->contains("not authenticated within 300ms"));
  CHECK(a.transport->stats().connections == 0);
  REQUIRE(exchange(io, a, b, "after garbage"));
  finish(io, {&a, &b});
}

TEST_CASE("a flood of failed inbound connections cannot flood the log") {
  boost::asio::io_context io;
  cl::util::FakeClock clock;
  Peer a;
  start_peer(io, a, kSecret, 0, [&](TransportOptions& o) { o.clock = &clock; });
  auto garbage = [&](int n) {
    for (int i = 0; i < n; ++i) {
      RawClient c(io);
      c.connect(a.transport->local_port());
      boost::asio::write(c.socket, boost::asio::buffer(std::string(64, 'G')));
      c.read_until_closed();
      REQUIRE(run_until(io, [&] { return c.ended; }));
    }
  };
  garbage(25);
  CHECK(a.transport->stats().handshakes_failed == 25);
  CHECK(a.sink->count(spdlog::level::debug, "tls handshake failed") == 25);
  CHECK(a.sink->count(spdlog::level::warn, "tls handshake failed") == 20);
  CHECK_FALSE(a.sink->contains("not shown"));
  clock.advance(std::chrono::seconds(61));
  garbage(1);
  CHECK(a.sink->count(spdlog::level::warn, "(5 more failed inbound connections not shown)") == 1);
  CHECK(a.sink->count(spdlog::level::warn, "tls handshake failed") == 21);
  finish(io, {&a});
}

TEST_CASE("inbound handshakes beyond handshakes_pending_max are refused at once") {
  boost::asio::io_context io;
  Peer a, b;
  start_peer(io, a, kSecret, 0, [](TransportOptions& o) { o.handshakes_pending_max = 2; });
  start_peer(io, b, kSecret);
  introduce(a, b);
  RawClient s1(io), s2(io), s3(io);
  s1.connect(a.transport->local_port());
  s2.connect(a.transport->local_port());
  REQUIRE(run_until(io, [&] { return a.transport->stats().connections_accepted == 2; }));
  s3.connect(a.transport->local_port());
  s3.read_until_closed();
  REQUIRE(run_until(io, [&] { return s3.ended; }));
  CHECK(a.transport->stats().connections_refused == 1);
  s1.socket.close();
  s2.socket.close();
  REQUIRE(run_until(io, [&] { return a.transport->stats().connections == 0; }));
  REQUIRE(exchange(io, a, b, "slots free again"));
  finish(io, {&a, &b});
}

TEST_CASE("an oversized frame header closes that link; the peers reconnect") {
  boost::asio::io_context io;
  Peer a, b;
  start_peer(io, a, kSecret);
  start_peer(io, b, kSecret);
  introduce(a, b);
  REQUIRE(exchange(io, a, b, "before"));

  char header[kFrameHeaderBytes];
  const auto announced = static_cast<std::uint32_t>(TransportOptions{}.frame_bytes_max + 1);
  put_frame_header(header, announced, FrameType::message);
  REQUIRE(a.transport->write_raw_for_test(b.id(), std::string(header, sizeof header)));
  REQUIRE(run_until(
      io, [&] { return b.count_events("down " + a.id()) == 1 && a.count_events("down " + b.id()) == 1; }));
  CHECK(b.transport->stats().protocol_errors == 1);
  CHECK(b.sink->contains(std::to_string(announced) + " bytes", "over frame_bytes_max"));

  REQUIRE(exchange(io, a, b, "after"));
  CHECK(a.count_events("up " + b.id()) == 2);
  CHECK(b.count_events("up " + a.id()) == 2);
  finish(io, {&a, &b});
}

TEST_CASE("a restarted peer on the same port and key is reached again after backoff") {
  boost::asio::io_context io;
  Peer a, b;
  start_peer(io, a, kSecret);
  start_peer(io, b, kSecret);
  introduce(a, b);
  REQUIRE(exchange(io, a, b, "first life"));
  const std::string b_id = b.id();
  const std::uint16_t port = b.transport->local_port();

  b.transport->stop();
  REQUIRE(run_until(io, [&] { return a.count_events("down " + b_id) == 1; }));
  b.transport.reset();
  // a keeps trying (and failing) while b is away.
  REQUIRE(run_until(io, [&] { return a.transport->peer_stats(b_id)->dials >= 4; }));
  // Reported once, not at every attempt.
  CHECK(a.sink->count(spdlog::level::warn, "cannot connect") == 1);
  CHECK(a.sink->count(spdlog::level::debug, "cannot connect") >= 2);

  b.received.clear();
  start_peer(io, b, kSecret, port);
  REQUIRE(b.id() == b_id);
  REQUIRE(run_until(io, [&] { return a.count_events("up " + b_id) == 2; }));
  REQUIRE(a.transport->send(b_id, "second life"));
  REQUIRE(run_until(io, [&] { return b.count_from(a.id()) == 1; }));
  CHECK(b.received[a.id()][0] == "second life");
  REQUIRE(b.transport->send(a.id(), "back"));  // b has no address for a: it answers on a's link
  REQUIRE(run_until(io, [&] { return a.received[b_id].back() == "back"; }));
  finish(io, {&a, &b});
}

TEST_CASE("two peers dialing each other at once keep one link, the one the lower peer id dialed") {
  boost::asio::io_context io;
  Peer a, b;
  start_peer(io, a, kSecret);
  start_peer(io, b, kSecret);
  introduce(a, b);
  // Both queue before the io_context runs, so both dial.
  REQUIRE(a.transport->send(b.id(), "hello from a"));
  REQUIRE(b.transport->send(a.id(), "hello from b"));
  CHECK(a.transport->peer_stats(b.id())->dials == 1);
  CHECK(b.transport->peer_stats(a.id())->dials == 1);
  REQUIRE(run_until(io, [&] {
    return a.transport->connected(b.id()) && b.transport->connected(a.id()) &&
           a.transport->stats().connections == 1 && b.transport->stats().connections == 1;
  }));
  Peer& lower = a.id() < b.id() ? a : b;
  Peer& higher = a.id() < b.id() ? b : a;
  CHECK(lower.transport->peer_stats(higher.id())->outbound);
  CHECK_FALSE(higher.transport->peer_stats(lower.id())->outbound);
  CHECK(a.count_events("up " + b.id()) == 1);
  CHECK(b.count_events("up " + a.id()) == 1);
  CHECK(a.count_events("down " + b.id()) == 0);
  CHECK(b.count_events("down " + a.id()) == 0);
  // The losing connection was drained, not cut: what was written on it arrived.
  REQUIRE(run_until(io, [&] { return a.count_from(b.id()) == 1 && b.count_from(a.id()) == 1; }));
  CHECK(a.received[b.id()][0] == "hello from b");
  CHECK(b.received[a.id()][0] == "hello from a");
  for (int i = 0; i < 20; ++i) REQUIRE(exchange(io, a, b, "settled " + std::to_string(i)));
  CHECK(a.transport->stats().connections == 1);
  finish(io, {&a, &b});
}

TEST_CASE("a TLS client without a certificate, or with a non-Ed25519 one, is refused in the handshake") {
  namespace ssl = boost::asio::ssl;
  boost::asio::io_context io;
  Peer a, b;
  start_peer(io, a, kSecret);
  start_peer(io, b, kSecret);
  introduce(a, b);

  auto try_client = [&](ssl::context& ctx) {
    ssl::stream<tcp::socket> client(io, ctx);
    client.next_layer().connect(
        tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), a.transport->local_port()));
    bool done = false;
    std::array<char, 64> buf{};
    client.async_handshake(ssl::stream_base::client, [&](const boost::system::error_code& ec) {
      if (ec) {
        done = true;
        return;
      }
      // TLS 1.3: the client finishes first; the server's refusal arrives as an alert or a close.
      client.async_read_some(boost::asio::buffer(buf),
                             [&](const boost::system::error_code&, std::size_t) { done = true; });
    });
    REQUIRE(run_until(io, [&] { return done; }));
  };

  const auto failed_before = a.transport->stats().handshakes_failed;
  ssl::context no_cert(ssl::context::tls_client);
  no_cert.set_verify_mode(ssl::verify_none);
  try_client(no_cert);
  REQUIRE(run_until(io, [&] { return a.transport->stats().handshakes_failed == failed_before + 1; }));

  EVP_PKEY* ec_key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  REQUIRE(ec_key != nullptr);
  auto ec_cert = make_self_signed_certificate(ec_key, "not-ed25519");
  REQUIRE(ec_cert.is_ok());
  ssl::context ec_ctx(ssl::context::tls_client);
  ec_ctx.set_verify_mode(ssl::verify_none);
  REQUIRE(SSL_CTX_use_certificate(ec_ctx.native_handle(), ec_cert->get()) == 1);
  REQUIRE(SSL_CTX_use_PrivateKey(ec_ctx.native_handle(), ec_key) == 1);
  EVP_PKEY_free(ec_key);
  try_client(ec_ctx);
  REQUIRE(run_until(io, [&] { return a.transport->stats().handshakes_failed == failed_before + 2; }));

  CHECK(a.sink->contains("tls handshake failed", "did not return a certificate"));
  CHECK(a.sink->contains("tls handshake failed", "certificate verify failed"));
  CHECK(a.transport->stats().auth_failed == 0);
  CHECK(a.transport->connected_peers().empty());
  REQUIRE(exchange(io, a, b, "after tls strangers"));
  finish(io, {&a, &b});
}
