// Connection: setup — connect, TLS handshake, peer ID check, cluster-secret proofs.
#include "net/connection.hpp"

#include <openssl/crypto.h>

#include <atomic>
#include <boost/asio/connect.hpp>

#include "net/tls.hpp"

namespace cl::net {

namespace {

constexpr std::size_t kReadBufferBytes = 64 * 1024;
std::atomic<std::size_t> g_live{0};

void wipe(util::Bytes& b) {
  if (!b.empty()) OPENSSL_cleanse(b.data(), b.size());
  b.clear();
}

std::string endpoint_text(const boost::asio::ip::tcp::endpoint& ep) {
  return HostPort{ep.address().to_string(), ep.port()}.to_string();
}

}  // namespace

std::size_t Connection::live_count() {
  return g_live.load();
}

Connection::Connection(boost::asio::io_context& io, boost::asio::ssl::context& tls, ConnectionOwner& owner,
                       const ConnectionLimits& limits, std::uint64_t id, HostPort address,
                       std::string expected_peer_id)
    : owner_(&owner),
      limits_(limits),
      id_(id),
      role_(Role::dialer),
      stream_(io, tls),
      resolver_(io),
      deadline_(io),
      address_(std::move(address)),
      expected_peer_id_(std::move(expected_peer_id)),
      remote_(address_.to_string()),
      in_(kReadBufferBytes),
      queue_(limits.send_queue_bytes_max, limits.send_queue_messages_max) {
  ++g_live;
}

Connection::Connection(boost::asio::ssl::context& tls, ConnectionOwner& owner, const ConnectionLimits& limits,
                       std::uint64_t id, Socket socket)
    : owner_(&owner),
      limits_(limits),
      id_(id),
      role_(Role::listener),
      stream_(std::move(socket), tls),
      resolver_(stream_.get_executor()),
      deadline_(stream_.get_executor()),
      in_(kReadBufferBytes),
      queue_(limits.send_queue_bytes_max, limits.send_queue_messages_max) {
  ++g_live;
  boost::system::error_code ec;
  auto ep = stream_.next_layer().remote_endpoint(ec);
  remote_ = ec ? "unknown address" : endpoint_text(ep);
}

Connection::~Connection() {
  wipe(own_proof_);
  wipe(expected_proof_);
  --g_live;
}

void Connection::start() {
  last_read_ = last_write_ = owner_->now();
  arm_deadline("not authenticated within");
  if (role_ == Role::dialer) {
    resolve_and_connect();
  } else {
    handshake();
  }
}

void Connection::close() {
  if (state_ == State::closed) return;
  state_ = State::closed;
  boost::system::error_code ignored;
  deadline_.cancel();
  resolver_.cancel();
  stream_.next_layer().shutdown(Socket::shutdown_both, ignored);
  stream_.next_layer().close(ignored);
  wipe(own_proof_);
  wipe(expected_proof_);
  big_ = {};
}

void Connection::fail(CloseReason reason, util::Status why) {
  if (state_ == State::closed) return;
  if (state_ == State::draining) reason = CloseReason::retired;
  auto self = shared_from_this();
  ConnectionOwner* owner = owner_;
  close();
  owner->on_closed(self, reason, why);
}

void Connection::arm_deadline(const char* what) {
  deadline_.expires_after(limits_.handshake_timeout_ms);
  deadline_.async_wait([self = shared_from_this(), what](const boost::system::error_code& ec) {
    if (ec || self->state_ == State::closed || self->state_ == State::open) return;
    static constexpr const char* kStep[] = {"connecting", "in the tls handshake", "waiting for the proof", "",
                                            "draining"};
    self->fail(CloseReason::timeout,
               util::timeout_error(std::string(what) + " " +
                                   util::format_duration(self->limits_.handshake_timeout_ms) + " (" +
                                   kStep[static_cast<int>(self->state_)] + ")"));
  });
}

void Connection::retire() {
  if (state_ != State::open) return fail(CloseReason::retired, util::Status::ok());
  state_ = State::draining;
  queue_.push_control(OutFrame{FrameType::goodbye, {}});
  arm_deadline("not drained within");
  pump_writes();
}

void Connection::resolve_and_connect() {
  resolver_.async_resolve(
      address_.host, std::to_string(address_.port),
      [self = shared_from_this()](const boost::system::error_code& ec,
                                  boost::asio::ip::tcp::resolver::results_type results) {
        if (self->is_closed()) return;
        if (ec) {
          return self->fail(
              CloseReason::network,
              util::unavailable("cannot resolve " + util::quote(self->address_.host) + ": " + ec.message()));
        }
        boost::asio::async_connect(
            self->stream_.next_layer(), results,
            [self](const boost::system::error_code& ec2, const boost::asio::ip::tcp::endpoint&) {
              if (self->is_closed()) return;
              if (ec2)
                return self->fail(CloseReason::network,
                                  util::unavailable("cannot connect: " + ec2.message()));
              self->handshake();
            });
      });
}

void Connection::handshake() {
  state_ = State::handshaking;
  boost::system::error_code ignored;
  stream_.next_layer().set_option(boost::asio::ip::tcp::no_delay(true), ignored);
  const auto type =
      role_ == Role::dialer ? boost::asio::ssl::stream_base::client : boost::asio::ssl::stream_base::server;
  stream_.async_handshake(type, [self = shared_from_this()](const boost::system::error_code& ec) {
    if (self->is_closed()) return;
    if (ec) {
      take_openssl_error();  // the reason is in ec already
      return self->fail(CloseReason::handshake,
                        util::permission_denied("tls handshake failed: " + ec.message()));
    }
    self->after_handshake();
  });
}

void Connection::after_handshake() {
  SSL* ssl = stream_.native_handle();
  auto id = peer_id_of_session(ssl);
  if (!id) return fail(CloseReason::handshake, id.status());
  peer_id_ = std::move(*id);
  const std::string& self_id = owner_->self_peer_id();
  if (peer_id_ == self_id) {
    return fail(CloseReason::peer_mismatch, util::permission_denied("the peer has our own peer id " +
                                                                    self_id + " (connected to ourselves?)"));
  }
  if (role_ == Role::dialer && !expected_peer_id_.empty() && peer_id_ != expected_peer_id_) {
    return fail(CloseReason::peer_mismatch,
                util::permission_denied("expected peer " + expected_peer_id_ + " but " + peer_id_ +
                                        " answered: check the address of " + expected_peer_id_));
  }
  auto exporter = export_session_secret(ssl);
  if (!exporter) return fail(CloseReason::handshake, exporter.status());
  const Role other = role_ == Role::dialer ? Role::listener : Role::dialer;
  expected_proof_ = owner_->make_proof_for(other, *exporter, peer_id_);
  util::Bytes own = owner_->make_proof_for(role_, *exporter, self_id);
  wipe(*exporter);
  state_ = State::proving;
  if (role_ == Role::dialer) {
    // The dialer proves first; the listener answers only once this checks.
    queue_.push_control(OutFrame{FrameType::auth, std::move(own)});
    pump_writes();
  } else {
    own_proof_ = std::move(own);
  }
  read_more();
}

void Connection::on_proof(std::string proof) {
  const bool ok = proofs_equal(proof, expected_proof_);
  wipe(proof);
  wipe(expected_proof_);
  if (!ok) {
    return fail(CloseReason::auth,
                util::permission_denied(
                    "wrong cluster secret proof: check that both peers use the same cluster secret"));
  }
  if (role_ == Role::listener) {
    // First in the queue: the owner adds messages behind it.
    queue_.push_control(OutFrame{FrameType::auth, std::move(own_proof_)});
    own_proof_.clear();
  }
  state_ = State::open;
  authenticated_ = true;
  deadline_.cancel();
  last_write_ = owner_->now();
  owner_->on_authenticated(shared_from_this());
  if (is_closed()) return;
  pump_writes();
}

bool Connection::enqueue(OutFrame frame) {
  if (!is_open() || !queue_.push(std::move(frame))) return false;
  schedule_pump();
  return true;
}

void Connection::keepalive_if_idle(util::Nanos now, util::Nanos interval) {
  if (!is_open() || writing_ || !queue_.empty() || now - last_write_ < interval) return;
  queue_.push_control(OutFrame{FrameType::keepalive, {}});
  pump_writes();
}

void Connection::write_raw_for_test(std::string bytes) {
  raw_for_test_ += bytes;
  pump_writes();
}

}  // namespace cl::net
