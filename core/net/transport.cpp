// Transport: option checks, construction, the facade over TransportImpl, and stop().
#include "net/transport.hpp"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include "identity/peer_id.hpp"
#include "net/transport_impl.hpp"

namespace cl::net {

namespace {

util::Status bad_option(std::string_view name, std::string_view value, std::string_view rule) {
  return util::invalid_argument("invalid transport option " + std::string(name) + " " + std::string(value) +
                                ": " + std::string(rule));
}

util::Status check_options(const TransportOptions& o) {
  auto ms = [](util::Millis d) { return util::format_duration(d); };
  if (o.identity == nullptr) return util::invalid_argument("the transport needs an identity key");
  if (o.cluster_secret == nullptr || o.cluster_secret->bytes().size() != kClusterSecretBytes)
    return util::invalid_argument("the transport needs a 32-byte cluster secret");
  if (o.frame_bytes_max < 1024 || o.frame_bytes_max > (1u << 30))
    return bad_option("frame_bytes_max", std::to_string(o.frame_bytes_max), "use 1024 to 1073741824");
  if (o.send_queue_bytes_max < o.frame_bytes_max + kFrameHeaderBytes)
    return bad_option("send_queue_bytes_max", std::to_string(o.send_queue_bytes_max),
                      "must hold one frame of frame_bytes_max");
  if (o.send_queue_messages_max < 1) return bad_option("send_queue_messages_max", "0", "must be at least 1");
  if (o.write_batch_bytes_max < 1024)
    return bad_option("write_batch_bytes_max", std::to_string(o.write_batch_bytes_max),
                      "must be at least 1024");
  if (o.handshake_timeout_ms.count() <= 0)
    return bad_option("handshake_timeout_ms", ms(o.handshake_timeout_ms), "must be positive");
  if (o.reconnect_delay_min_ms.count() <= 0 || o.reconnect_delay_min_ms > o.reconnect_delay_max_ms)
    return bad_option("reconnect_delay_min_ms", ms(o.reconnect_delay_min_ms),
                      "must be positive and at most reconnect_delay_max_ms");
  if (o.keepalive_interval_ms.count() <= 0)
    return bad_option("keepalive_interval_ms", ms(o.keepalive_interval_ms), "must be positive");
  if (o.idle_timeout_ms <= o.keepalive_interval_ms)
    return bad_option("idle_timeout_ms", ms(o.idle_timeout_ms), "must be longer than keepalive_interval_ms");
  if (o.handshakes_pending_max < 1) return bad_option("handshakes_pending_max", "0", "must be at least 1");
  if (o.peers_max < 1) return bad_option("peers_max", "0", "must be at least 1");
  return util::Status::ok();
}

}  // namespace

util::Result<std::unique_ptr<Transport>> Transport::create(boost::asio::io_context& io,
                                                           const TransportOptions& options,
                                                           TransportCallbacks callbacks) {
  CL_TRY_STATUS(check_options(options));
  std::string self_id = identity::PeerId::from_public_key(options.identity->public_key()).to_string();
  auto cert = make_self_signed_certificate(options.identity->evp(), self_id);
  if (!cert) return cert.status();
  auto tls = make_tls_context(options.identity->evp(), cert->get());
  if (!tls) return tls.status();
  auto impl =
      std::make_shared<TransportImpl>(io, options, std::move(callbacks), std::move(*tls), std::move(self_id));
  return std::unique_ptr<Transport>(new Transport(std::move(impl)));
}

Transport::Transport(std::shared_ptr<TransportImpl> impl) : impl_(std::move(impl)) {}
Transport::~Transport() {
  impl_->stop();
}

util::Status Transport::listen(std::string_view host_port) {
  return impl_->listen(host_port);
}
std::uint16_t Transport::local_port() const {
  return impl_->local_port();
}
const std::string& Transport::peer_id() const {
  return impl_->peer_id();
}
void Transport::connect(std::string_view host_port, std::function<void(util::Result<std::string>)> done) {
  impl_->connect(host_port, std::move(done));
}

util::Status Transport::set_peer_address(const std::string& peer_id, std::string_view host_port) {
  return impl_->set_peer_address(peer_id, host_port);
}
void Transport::remove_peer(const std::string& peer_id) {
  impl_->remove_peer(peer_id);
}
bool Transport::send(const std::string& peer_id, std::string payload) {
  return impl_->send(peer_id, std::move(payload));
}
bool Transport::connected(const std::string& peer_id) const {
  return impl_->connected(peer_id);
}
std::optional<util::Nanos> Transport::last_contact(const std::string& peer_id) const {
  return impl_->last_contact(peer_id);
}
std::optional<PeerStats> Transport::peer_stats(const std::string& peer_id) const {
  return impl_->peer_stats(peer_id);
}
std::vector<std::string> Transport::connected_peers() const {
  return impl_->connected_peers();
}
TransportStats Transport::stats() const {
  return impl_->stats();
}
void Transport::stop() {
  impl_->stop();
}
bool Transport::write_raw_for_test(const std::string& peer_id, std::string bytes) {
  return impl_->write_raw_for_test(peer_id, std::move(bytes));
}

TransportImpl::TransportImpl(boost::asio::io_context& io, const TransportOptions& options,
                             TransportCallbacks callbacks, SslCtxPtr tls, std::string self_id)
    : io_(io),
      options_(options),
      secret_(options.cluster_secret->bytes()),
      callbacks_(std::move(callbacks)),
      self_id_(std::move(self_id)),
      clock_(options.clock != nullptr ? options.clock : &util::SystemClock::instance()),
      log_(options.logger != nullptr ? options.logger : spdlog::default_logger()),
      tls_(tls.release()),
      keepalive_timer_(io),
      accept_retry_timer_(io),
      rng_(options.seed) {
  options_.identity = nullptr;  // borrowed only for create(); the TLS context holds its own reference
  options_.cluster_secret = nullptr;
  limits_.frame_bytes_max = options.frame_bytes_max;
  limits_.send_queue_bytes_max = options.send_queue_bytes_max;
  limits_.send_queue_messages_max = options.send_queue_messages_max;
  limits_.write_batch_bytes_max = options.write_batch_bytes_max;
  limits_.handshake_timeout_ms = options.handshake_timeout_ms;
}

TransportImpl::~TransportImpl() {
  stop();
  OPENSSL_cleanse(secret_.data(), secret_.size());
}

util::Bytes TransportImpl::make_proof_for(Role role, util::BytesView exporter,
                                          std::string_view peer_id) const {
  return make_proof(secret_, role, exporter, peer_id);
}

void TransportImpl::stop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ignored;
  if (acceptor_) acceptor_->close(ignored);
  keepalive_timer_.cancel();
  accept_retry_timer_.cancel();
  // Connections first: closing them never calls back, and after this nothing refers to us.
  auto connections = std::move(connections_);
  connections_.clear();
  for (auto& [id, c] : connections) c->close();
  peers_.clear();
  probes_.clear();  // no callback after stop()
}

TransportStats TransportImpl::stats() const {
  TransportStats s = stats_;
  s.connections = connections_.size();
  return s;
}

}  // namespace cl::net
