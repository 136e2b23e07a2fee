// TransportImpl: listening, accepting, dialing, reconnecting, keepalives.
#include <spdlog/spdlog.h>

#include "net/transport_impl.hpp"

namespace cl::net {

namespace {
constexpr util::Millis kAcceptRetryDelay{100};
}

util::Status TransportImpl::listen(std::string_view host_port) {
  auto address = parse_host_port(host_port);
  if (!address) return address.status();
  if (stopped_) return util::failed_precondition("the transport is stopped");
  if (acceptor_)
    return util::failed_precondition("the transport is already listening on port " +
                                     std::to_string(local_port_));
  using boost::asio::ip::tcp;
  auto fail = [&](const std::string& what, const boost::system::error_code& ec) {
    return util::io_error("cannot listen on " + util::quote(host_port) + ": " + what + ": " + ec.message());
  };
  boost::system::error_code ec;
  tcp::resolver resolver(io_);
  auto results = resolver.resolve(address->host, std::to_string(address->port), tcp::resolver::passive, ec);
  if (ec) return fail("resolving the host", ec);
  if (results.empty()) return util::io_error("cannot listen on " + util::quote(host_port) + ": no address");
  const tcp::endpoint endpoint = results.begin()->endpoint();
  tcp::acceptor acceptor(io_);
  if (acceptor.open(endpoint.protocol(), ec)) return fail("opening a socket", ec);
  // Restarting a peer on its port must not wait for TIME_WAIT to pass.
  if (acceptor.set_option(tcp::acceptor::reuse_address(true), ec)) return fail("setting SO_REUSEADDR", ec);
  if (acceptor.bind(endpoint, ec)) return fail("binding", ec);
  if (acceptor.listen(boost::asio::socket_base::max_listen_connections, ec)) return fail("listening", ec);
  local_port_ = acceptor.local_endpoint(ec).port();
  acceptor_.emplace(std::move(acceptor));
  log_->info("net: peer {} listening on {}", self_id_,
             HostPort{endpoint.address().to_string(), local_port_}.to_string());
  accept_next();
  arm_keepalive();
  return util::Status::ok();
}

void TransportImpl::accept_next() {
  acceptor_->async_accept(
      [weak = weak_from_this()](const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket) {
        auto self = weak.lock();
        if (!self || self->stopped_ || ec == boost::asio::error::operation_aborted) return;
        if (ec) {
          // Out of file descriptors and the like: wait a little instead of spinning.
          self->log_->warn("net: accepting a connection failed: {}", ec.message());
          self->accept_retry_timer_.expires_after(kAcceptRetryDelay);
          self->accept_retry_timer_.async_wait([weak](const boost::system::error_code& ec2) {
            auto s = weak.lock();
            if (s && !ec2 && !s->stopped_) s->accept_next();
          });
          return;
        }
        self->on_accepted(std::move(socket));
        self->accept_next();
      });
}

void TransportImpl::on_accepted(boost::asio::ip::tcp::socket socket) {
  if (inbound_pending() >= options_.handshakes_pending_max) {
    ++stats_.connections_refused;
    log_->debug("net: refusing an inbound connection: {} handshakes already pending",
                options_.handshakes_pending_max);
    boost::system::error_code ignored;
    socket.close(ignored);
    return;
  }
  ++stats_.connections_accepted;
  auto c = std::make_shared<Connection>(tls_, *this, limits_, next_connection_id_++, std::move(socket));
  connections_.emplace(c->id(), c);
  c->start();
}

std::size_t TransportImpl::inbound_pending() const {
  std::size_t n = 0;
  for (const auto& [id, c] : connections_) {
    if (c->role() == Role::listener && !c->was_authenticated()) ++n;
  }
  return n;
}

void TransportImpl::dial(Peer& peer) {
  if (stopped_ || !peer.address || peer.dialing || peer.link) return;
  auto c =
      std::make_shared<Connection>(io_, tls_, *this, limits_, next_connection_id_++, *peer.address, peer.id);
  connections_.emplace(c->id(), c);
  peer.dialing = c;
  ++peer.dials;
  log_->debug("net: dialing {} at {}", peer.id, peer.address->to_string());
  arm_keepalive();
  c->start();
}

void TransportImpl::connect(std::string_view host_port, std::function<void(util::Result<std::string>)> done) {
  auto address = parse_host_port(host_port);
  if (!address) return done(address.status());
  if (stopped_) return done(util::failed_precondition("the transport is stopped"));
  auto c =
      std::make_shared<Connection>(io_, tls_, *this, limits_, next_connection_id_++, *address, std::string());
  connections_.emplace(c->id(), c);
  probes_.emplace(c->id(), std::move(done));
  log_->debug("net: connecting to {} (peer not known yet)", address->to_string());
  arm_keepalive();
  c->start();
}

void TransportImpl::schedule_retry(Peer& peer) {
  if (stopped_ || peer.retry_scheduled) return;
  const util::Millis delay = peer.backoff.next();
  peer.retry_scheduled = true;
  const std::uint64_t generation = ++peer.retry_generation;
  peer.retry_timer.expires_after(delay);
  peer.retry_timer.async_wait(
      [weak = weak_from_this(), id = peer.id, generation](const boost::system::error_code& ec) {
        auto self = weak.lock();
        if (!self || ec || self->stopped_) return;
        Peer* p = self->find(id);
        if (p == nullptr || p->retry_generation != generation) return;
        p->retry_scheduled = false;
        self->dial(*p);
      });
}

void TransportImpl::arm_keepalive() {
  if (keepalive_armed_ || stopped_) return;
  keepalive_armed_ = true;
  keepalive_timer_.expires_after(options_.keepalive_interval_ms);
  keepalive_timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (!self || ec || self->stopped_) return;
    self->keepalive_armed_ = false;
    self->keepalive_tick();
    self->arm_keepalive();
  });
}

void TransportImpl::keepalive_tick() {
  const util::Nanos now = clock_->monotonic();
  const util::Nanos interval = options_.keepalive_interval_ms;
  std::vector<std::shared_ptr<Connection>> silent;
  for (const auto& [id, peer] : peers_) {
    if (!peer->link) continue;
    if (now - peer->link->last_read() > options_.idle_timeout_ms) {
      silent.push_back(peer->link);
    } else {
      peer->link->keepalive_if_idle(now, interval);
    }
  }
  // Failing calls back into the peer table (and the owner): not while iterating it.
  for (const auto& c : silent) {
    c->fail(CloseReason::network,
            util::timeout_error("nothing received for " + util::format_duration(options_.idle_timeout_ms)));
  }
}

}  // namespace cl::net
