#pragma once
// TransportImpl: the state behind Transport (transport.hpp has the contract). Split by concern:
// transport.cpp (options, the facade), transport_links.cpp (the peer table: send, links, tie-break,
// keepalive), transport_dial.cpp (listen, accept, dial, reconnect).
//
// Ownership: Transport holds the only shared_ptr; timers' handlers hold weak_ptrs; connections
// hold a raw pointer they use only while not closed, and stop() closes all of them.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "net/backoff.hpp"
#include "net/connection.hpp"
#include "net/tls.hpp"
#include "net/transport.hpp"
#include "util/rng.hpp"

namespace cl::net {

class TransportImpl final : public ConnectionOwner, public std::enable_shared_from_this<TransportImpl> {
 public:
  TransportImpl(boost::asio::io_context& io, const TransportOptions& options, TransportCallbacks callbacks,
                SslCtxPtr tls, std::string self_id);
  ~TransportImpl() override;

  util::Status listen(std::string_view host_port);
  std::uint16_t local_port() const { return local_port_; }
  const std::string& peer_id() const { return self_id_; }
  util::Status set_peer_address(const std::string& peer_id, std::string_view host_port);
  void remove_peer(const std::string& peer_id);
  bool send(const std::string& peer_id, std::string payload);
  bool connected(const std::string& peer_id) const;
  std::optional<util::Nanos> last_contact(const std::string& peer_id) const;
  std::optional<PeerStats> peer_stats(const std::string& peer_id) const;
  std::vector<std::string> connected_peers() const;
  TransportStats stats() const;
  void stop();
  bool write_raw_for_test(const std::string& peer_id, std::string bytes);
  void connect(std::string_view host_port, std::function<void(util::Result<std::string>)> done);

  // ConnectionOwner
  const std::string& self_peer_id() const override { return self_id_; }
  util::Bytes make_proof_for(Role role, util::BytesView exporter, std::string_view peer_id) const override;
  util::Nanos now() const override { return clock_->monotonic(); }
  void on_authenticated(const std::shared_ptr<Connection>& connection) override;
  void on_message(Connection& connection, std::string payload) override;
  void on_closed(const std::shared_ptr<Connection>& connection, CloseReason reason,
                 const util::Status& why) override;

 private:
  struct Peer {
    Peer(boost::asio::io_context& io, std::string id, Backoff backoff, std::size_t queue_bytes_max,
         std::size_t queue_messages_max)
        : id(std::move(id)),
          pending(queue_bytes_max, queue_messages_max),
          backoff(backoff),
          retry_timer(io) {}
    std::string id;
    std::optional<HostPort> address;
    std::shared_ptr<Connection> link;     // authenticated; carries the traffic
    std::shared_ptr<Connection> dialing;  // our connection attempt in progress, if any
    SendQueue pending;                    // messages waiting for a link
    Backoff backoff;
    boost::asio::steady_timer retry_timer;
    std::uint64_t retry_generation = 0;
    bool retry_scheduled = false;
    bool wanted = false;       // send() was called: keep a link up while the address is known
    bool up = false;           // on_peer_up reported, on_peer_down not yet
    std::string last_failure;  // the last dial failure logged loudly; its repeats log at debug
    std::optional<util::Nanos> last_contact;
    std::uint64_t dials = 0;
    std::uint64_t messages_dropped = 0;
    Connection::Counters totals;  // of connections that are gone
  };

  Peer* find(const std::string& id);
  const Peer* find(const std::string& id) const;
  // nullptr when peers_max is reached.
  Peer* find_or_add(const std::string& id);
  void forget_connection(const std::shared_ptr<Connection>& c);
  void absorb(Peer& peer, const Connection& c);
  void close_quietly(const std::shared_ptr<Connection>& c);
  void log_close(const Connection& c, CloseReason reason, const util::Status& why, bool was_link, Peer* peer);

  // transport_dial.cpp
  void accept_next();
  void on_accepted(boost::asio::ip::tcp::socket socket);
  void dial(Peer& peer);
  void schedule_retry(Peer& peer);
  void keepalive_tick();
  void arm_keepalive();
  std::size_t inbound_pending() const;

  boost::asio::io_context& io_;
  TransportOptions options_;  // identity and cluster_secret cleared: see secret_
  ConnectionLimits limits_;
  util::Bytes secret_;  // wiped in the destructor
  TransportCallbacks callbacks_;
  std::string self_id_;
  const util::Clock* clock_;
  std::shared_ptr<spdlog::logger> log_;
  boost::asio::ssl::context tls_;
  std::optional<boost::asio::ip::tcp::acceptor> acceptor_;
  std::uint16_t local_port_ = 0;
  boost::asio::steady_timer keepalive_timer_;
  boost::asio::steady_timer accept_retry_timer_;
  util::Rng rng_;
  std::map<std::string, std::unique_ptr<Peer>> peers_;
  std::map<std::uint64_t, std::shared_ptr<Connection>> connections_;
  // connect() attempts by connection id: told the peer ID once authenticated, or the failure.
  std::map<std::uint64_t, std::function<void(util::Result<std::string>)>> probes_;
  std::uint64_t next_connection_id_ = 1;
  TransportStats stats_;
  // Failed inbound connections are logged at most kInboundLogBurst times per kInboundLogWindow
  // (anyone can connect; the log must not be theirs to fill); the rest at debug, counted.
  util::Nanos inbound_log_window_start_{0};
  int inbound_log_used_ = 0;
  std::uint64_t inbound_log_suppressed_ = 0;
  bool keepalive_armed_ = false;
  bool stopped_ = false;
};

}  // namespace cl::net
