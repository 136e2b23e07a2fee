#pragma once
// Connection: one TCP + TLS connection to a peer, from connect (or accept) through the TLS
// handshake and the cluster-secret proofs (auth.hpp) to framed reading and writing (frame.hpp).
// It knows nothing of other connections: TransportImpl, its owner, decides which one carries a
// peer's traffic.
//
// Lifetime: held by shared_ptr, by the owner's table and by its own pending handlers. After
// close() or a failure it never calls its owner again, and its handlers only release it; so the
// owner must close() every connection before the owner goes away.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "net/address.hpp"
#include "net/auth.hpp"
#include "net/send_queue.hpp"
#include "util/clock.hpp"
#include "util/duration.hpp"
#include "util/status.hpp"

namespace cl::net {

struct ConnectionLimits {
  std::size_t frame_bytes_max = 0;
  std::size_t send_queue_bytes_max = 0;
  std::size_t send_queue_messages_max = 0;
  std::size_t write_batch_bytes_max = 0;
  util::Millis handshake_timeout_ms{0};
};

// Why a connection ended; the owner counts and logs by it.
enum class CloseReason {
  network,        // resolve, connect, read or write failed; or the peer closed an open link
  handshake,      // TLS handshake failed (not TLS, bad certificate, ...)
  timeout,        // not authenticated within handshake_timeout_ms, or an idle open link
  auth,           // the peer's cluster-secret proof was wrong or missing
  refused,        // the peer closed the connection before authentication finished
  peer_mismatch,  // the certificate is not the peer we dialed (or is ourselves)
  protocol,       // a frame broke the rules (oversized, unknown type)
  retired,        // a retired connection finished draining (or failed while draining)
};

class Connection;

// What a connection asks of its owner. Called only while the connection is not closed.
class ConnectionOwner {
 public:
  virtual ~ConnectionOwner() = default;
  virtual const std::string& self_peer_id() const = 0;
  // The proof `peer_id`, acting as `role`, must send on the session with this exporter value.
  virtual util::Bytes make_proof_for(Role role, util::BytesView exporter, std::string_view peer_id) const = 0;
  virtual util::Nanos now() const = 0;
  // Both proofs checked: the connection is open. The owner may close() it here.
  virtual void on_authenticated(const std::shared_ptr<Connection>& connection) = 0;
  // A message frame arrived on an open connection.
  virtual void on_message(Connection& connection, std::string payload) = 0;
  // The connection failed or the peer closed it (not called after close()). It is closed now.
  virtual void on_closed(const std::shared_ptr<Connection>& connection, CloseReason reason,
                         const util::Status& why) = 0;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Socket = boost::asio::ip::tcp::socket;
  enum class State { connecting, handshaking, proving, open, draining, closed };

  // A connection this side dials: to `address`, where `expected_peer_id` must answer (empty:
  // any member of the cluster, whose ID the handshake reveals; see Transport::connect).
  Connection(boost::asio::io_context& io, boost::asio::ssl::context& tls, ConnectionOwner& owner,
             const ConnectionLimits& limits, std::uint64_t id, HostPort address,
             std::string expected_peer_id);
  // A connection a listener accepted.
  Connection(boost::asio::ssl::context& tls, ConnectionOwner& owner, const ConnectionLimits& limits,
             std::uint64_t id, Socket socket);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Begin: resolve and connect (dialer), then handshake and prove, under the handshake deadline.
  void start();
  // Close the socket and cancel everything; no owner callback. Idempotent.
  void close();
  // Close and tell the owner why (on_closed). No-op when already closed.
  void fail(CloseReason reason, util::Status why);
  // Stop using an open connection without losing what is in flight: write what is queued (the
  // owner has taken the messages), then a goodbye frame; keep reading and delivering until the
  // peer's goodbye arrives too, then close (on_closed with CloseReason::retired). Bounded by
  // handshake_timeout_ms.
  void retire();

  // Queue a message frame (open connections only); false when the queue is full.
  bool enqueue(OutFrame frame);
  // The frames not yet handed to the socket; the owner moves them between queues.
  SendQueue& queue() { return queue_; }
  // Write what the queue holds (after the owner changed it).
  void flush() { pump_writes(); }
  // Queue a keepalive if nothing was written for `interval` and nothing waits.
  void keepalive_if_idle(util::Nanos now, util::Nanos interval);
  void write_raw_for_test(std::string bytes);

  std::uint64_t id() const { return id_; }
  Role role() const { return role_; }
  State state() const { return state_; }
  bool is_open() const { return state_ == State::open; }
  bool is_closed() const { return state_ == State::closed; }
  // Reached the open state at some point (it may be closed now).
  bool was_authenticated() const { return authenticated_; }
  // The authenticated peer ID after the TLS handshake; "" before.
  const std::string& peer_id() const { return peer_id_; }
  // "host:port" dialed, or the remote endpoint of an accepted socket.
  const std::string& remote() const { return remote_; }
  util::Nanos last_read() const { return last_read_; }

  struct Counters {
    std::uint64_t messages_sent = 0, bytes_sent = 0, messages_received = 0, bytes_received = 0;
  };
  const Counters& counters() const { return counters_; }

  // Connections alive in this process (for leak checks in tests).
  static std::size_t live_count();

 private:
  void arm_deadline(const char* what);
  void resolve_and_connect();
  void handshake();
  void after_handshake();
  void on_proof(std::string proof);
  // connection_io.cpp
  void read_more();
  void consume_input();
  bool check_header(std::uint32_t payload_bytes, std::uint8_t type);
  void handle_frame(std::uint8_t type, std::string payload);
  void fail_read(const boost::system::error_code& ec);
  void schedule_pump();
  void pump_writes();

  ConnectionOwner* owner_;
  ConnectionLimits limits_;
  std::uint64_t id_;
  Role role_;
  State state_ = State::connecting;
  bool authenticated_ = false;
  boost::asio::ssl::stream<Socket> stream_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer deadline_;
  HostPort address_;              // dialer only
  std::string expected_peer_id_;  // dialer only
  std::string peer_id_;
  std::string remote_;
  util::Bytes own_proof_;       // listener: sent once the dialer's proof checks
  util::Bytes expected_proof_;  // what the peer must send
  util::Nanos last_read_{0}, last_write_{0};
  Counters counters_;

  // Reading: a fixed buffer for small frames; a frame that does not fit is read into its own string.
  std::vector<char> in_;
  std::size_t in_begin_ = 0, in_end_ = 0;
  std::string big_;
  std::uint8_t big_type_ = 0;

  // Writing: one async_write at a time, of a batch gathered from the queue.
  SendQueue queue_;
  bool writing_ = false;
  bool pump_scheduled_ = false;
  bool batch_has_goodbye_ = false;
  bool goodbye_sent_ = false;
  bool peer_goodbye_ = false;
  std::vector<std::string> chunks_;
  std::vector<boost::asio::const_buffer> buffers_;
  std::uint64_t batch_messages_ = 0, batch_payload_bytes_ = 0;
  std::string raw_for_test_;
};

}  // namespace cl::net
