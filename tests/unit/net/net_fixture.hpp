#pragma once
// Shared pieces of the transport tests: keys, secrets, a log capture, a peer that records what it
// receives, and a bounded "run the io_context until" loop.
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "identity/keys.hpp"
#include "identity/secret.hpp"
#include "net/transport.hpp"

namespace cl::net::testing {

inline identity::KeyPair make_key() {
  auto k = identity::KeyPair::generate();
  if (!k) throw std::runtime_error(k.status().to_string());
  return std::move(*k);
}

// A cluster secret of 32 bytes, each hex_digit twice ('a' -> 0xaa...).
inline identity::ClusterSecret secret_of(char hex_digit) {
  auto s = identity::ClusterSecret::from_hex(std::string(64, hex_digit));
  if (!s) throw std::runtime_error(s.status().to_string());
  return std::move(*s);
}

// Records every formatted log line (thread-safe, though the tests are single-threaded).
class CaptureSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<std::string> lines() {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }
  // Lines at min_level or above that contain text.
  int count(spdlog::level::level_enum min_level, const std::string& text) {
    std::lock_guard<std::mutex> lock(mutex_);
    int n = 0;
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      n += levels_[i] >= min_level && lines_[i].find(text) != std::string::npos;
    }
    return n;
  }
  bool contains(const std::string& a, const std::string& b = "", const std::string& c = "") {
    for (const auto& l : lines()) {
      if (l.find(a) != std::string::npos && l.find(b) != std::string::npos && l.find(c) != std::string::npos)
        return true;
    }
    return false;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    lines_.emplace_back(msg.payload.data(), msg.payload.size());
    levels_.push_back(msg.level);
  }
  void flush_() override {}

 private:
  std::vector<std::string> lines_;
  std::vector<spdlog::level::level_enum> levels_;
};

// Run io until pred() holds or timeout passes (real time: these tests use real sockets).
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& pred,
                      std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (io.stopped()) io.restart();
    io.run_one_for(std::chrono::milliseconds(20));
  }
  return true;
}

// Run io for a while, whatever happens (to show that something does NOT happen).
inline void run_for(boost::asio::io_context& io, std::chrono::milliseconds d) {
  const auto deadline = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < deadline) {
    if (io.stopped()) io.restart();
    io.run_one_for(std::chrono::milliseconds(10));
  }
}

// A transport with its key, listening on 127.0.0.1, recording what it sees.
struct Peer {
  std::optional<identity::KeyPair> key;
  std::shared_ptr<CaptureSink> sink = std::make_shared<CaptureSink>();
  std::shared_ptr<spdlog::logger> logger;
  std::unique_ptr<Transport> transport;
  std::map<std::string, std::vector<std::string>> received;  // by sender
  std::vector<std::string> events;                           // "up <id>", "down <id>"

  std::size_t count_from(const std::string& id) const {
    auto it = received.find(id);
    return it == received.end() ? 0 : it->second.size();
  }
  const std::string& id() const { return transport->peer_id(); }
  std::string address() const { return "127.0.0.1:" + std::to_string(transport->local_port()); }
  int count_events(const std::string& e) const {
    int n = 0;
    for (const auto& x : events) n += x == e;
    return n;
  }
};

inline TransportOptions test_options(const identity::KeyPair& key, const identity::ClusterSecret& secret) {
  TransportOptions o;
  o.identity = &key;
  o.cluster_secret = &secret;
  o.handshake_timeout_ms = util::Millis(2000);
  o.reconnect_delay_min_ms = util::Millis(20);
  o.reconnect_delay_max_ms = util::Millis(200);
  o.keepalive_interval_ms = util::Millis(200);
  o.idle_timeout_ms = util::Millis(3000);
  return o;
}

// Start (or restart, with the same key) a peer's transport, listening on port (0: any).
inline void start_peer(boost::asio::io_context& io, Peer& p, const identity::ClusterSecret& secret,
                       std::uint16_t port = 0, const std::function<void(TransportOptions&)>& tweak = {}) {
  if (!p.key) p.key.emplace(make_key());
  if (!p.logger) {
    p.logger = std::make_shared<spdlog::logger>("net-test", p.sink);
    p.logger->set_level(spdlog::level::debug);
    if (std::getenv("NET_TEST_LOG") != nullptr)
      p.logger->sinks().push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  }
  TransportOptions o = test_options(*p.key, secret);
  o.logger = p.logger;
  if (tweak) tweak(o);
  TransportCallbacks cb;
  cb.on_message = [&p](const std::string& from, std::string payload) {
    p.received[from].push_back(std::move(payload));
  };
  cb.on_peer_up = [&p](const std::string& id) { p.events.push_back("up " + id); };
  cb.on_peer_down = [&p](const std::string& id) { p.events.push_back("down " + id); };
  auto t = Transport::create(io, o, std::move(cb));
  if (!t) throw std::runtime_error(t.status().to_string());
  p.transport = std::move(*t);
  auto st = p.transport->listen("127.0.0.1:" + std::to_string(port));
  if (!st.is_ok()) throw std::runtime_error(st.to_string());
}

// a knows b's address and b knows a's.
inline void introduce(Peer& a, Peer& b) {
  if (!a.transport->set_peer_address(b.id(), b.address()).is_ok())
    throw std::runtime_error("set_peer_address");
  if (!b.transport->set_peer_address(a.id(), a.address()).is_ok())
    throw std::runtime_error("set_peer_address");
}

}  // namespace cl::net::testing
