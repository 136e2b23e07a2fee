// TransportImpl: the peer table — sending, links coming up and going down, the tie-break.
#include <spdlog/spdlog.h>

#include "identity/peer_id.hpp"
#include "net/link_choice.hpp"
#include "net/transport_impl.hpp"

namespace cl::net {

namespace {
constexpr int kInboundLogBurst = 20;
constexpr util::Nanos kInboundLogWindow = std::chrono::seconds(60);
}  // namespace

TransportImpl::Peer* TransportImpl::find(const std::string& id) {
  auto it = peers_.find(id);
  return it == peers_.end() ? nullptr : it->second.get();
}

const TransportImpl::Peer* TransportImpl::find(const std::string& id) const {
  auto it = peers_.find(id);
  return it == peers_.end() ? nullptr : it->second.get();
}

TransportImpl::Peer* TransportImpl::find_or_add(const std::string& id) {
  if (Peer* p = find(id)) return p;
  if (peers_.size() >= options_.peers_max) return nullptr;
  auto peer = std::make_unique<Peer>(
      io_, id, Backoff(options_.reconnect_delay_min_ms, options_.reconnect_delay_max_ms, rng_.fork()),
      options_.send_queue_bytes_max, options_.send_queue_messages_max);
  Peer* raw = peer.get();
  peers_.emplace(id, std::move(peer));
  return raw;
}

util::Status TransportImpl::set_peer_address(const std::string& peer_id, std::string_view host_port) {
  auto parsed = identity::PeerId::parse(peer_id);
  if (!parsed) return parsed.status();
  if (parsed->to_string() != peer_id)
    return util::invalid_argument("peer id " + util::quote(peer_id) + " is not in the usual form: use " +
                                  parsed->to_string());
  if (peer_id == self_id_)
    return util::invalid_argument("peer id " + peer_id +
                                  " is this peer's own id: a peer does not dial itself");
  auto address = parse_host_port(host_port);
  if (!address) return address.status();
  if (address->port == 0)
    return util::invalid_argument("invalid address " + util::quote(host_port) + " for peer " + peer_id +
                                  ": port 0 cannot be dialed");
  if (stopped_) return util::failed_precondition("the transport is stopped");
  Peer* peer = find_or_add(peer_id);
  if (peer == nullptr)
    return util::resource_exhausted("cannot add peer " + peer_id + ": peers_max (" +
                                    std::to_string(options_.peers_max) + ") reached");
  peer->address = std::move(*address);
  return util::Status::ok();
}

void TransportImpl::remove_peer(const std::string& peer_id) {
  Peer* peer = find(peer_id);
  if (peer == nullptr) return;
  // The link, the attempt in progress, and retired connections still draining.
  std::vector<std::shared_ptr<Connection>> doomed;
  for (const auto& [id, c] : connections_) {
    if (c == peer->dialing || (c->was_authenticated() && c->peer_id() == peer_id)) doomed.push_back(c);
  }
  for (const auto& c : doomed) close_quietly(c);
  peers_.erase(peer_id);  // its retry timer goes with it
}

bool TransportImpl::send(const std::string& peer_id, std::string payload) {
  if (stopped_) return false;
  Peer* peer = find(peer_id);
  if (peer == nullptr) return false;
  if (payload.size() > options_.frame_bytes_max || (!peer->link && !peer->address)) {
    ++peer->messages_dropped;
    return false;
  }
  OutFrame frame{FrameType::message, std::move(payload)};
  bool queued;
  if (peer->link) {
    queued = peer->link->enqueue(std::move(frame));
  } else {
    peer->wanted = true;
    queued = peer->pending.push(std::move(frame));
    if (!peer->dialing && !peer->retry_scheduled) dial(*peer);
  }
  peer->wanted = true;
  if (!queued) ++peer->messages_dropped;
  return queued;
}

void TransportImpl::on_authenticated(const std::shared_ptr<Connection>& c) {
  const std::string peer_id = c->peer_id();
  Peer* peer = find_or_add(peer_id);
  if (peer == nullptr) {
    ++stats_.connections_refused;
    log_->warn("net: refusing peer {} at {}: peers_max ({}) reached", peer_id, c->remote(),
               options_.peers_max);
    close_quietly(c);
    return;
  }
  if (peer->dialing == c) peer->dialing.reset();
  const bool outbound = c->role() == Role::dialer;
  if (peer->link) {
    const bool existing_outbound = peer->link->role() == Role::dialer;
    // The loser is retired, not closed: what either side already wrote on it is still read.
    if (!new_link_wins(existing_outbound, outbound, self_id_, peer_id)) {
      log_->debug("net: keeping the existing link to {}, retiring the new {} connection", peer_id,
                  outbound ? "outbound" : "inbound");
      c->retire();
      return;
    }
    log_->debug("net: replacing the link to {} with a new {} connection", peer_id,
                outbound ? "outbound" : "inbound");
    std::shared_ptr<Connection> old = std::move(peer->link);
    peer->messages_dropped += c->queue().append(old->queue());
    old->retire();
  }
  peer->link = c;
  peer->messages_dropped += c->queue().append(peer->pending);
  peer->backoff.reset();
  peer->last_failure.clear();
  if (peer->retry_scheduled) {
    peer->retry_scheduled = false;
    ++peer->retry_generation;
    peer->retry_timer.cancel();
  }
  c->flush();
  if (auto probe = probes_.find(c->id()); probe != probes_.end()) {
    auto done = std::move(probe->second);
    probes_.erase(probe);
    done(peer_id);
  }
  if (peer->up) return;
  peer->up = true;
  log_->info("net: link to {} up ({} {})", peer_id, outbound ? "dialed" : "accepted from", c->remote());
  if (callbacks_.on_peer_up) callbacks_.on_peer_up(peer_id);
}

void TransportImpl::on_message(Connection& c, std::string payload) {
  if (callbacks_.on_message) callbacks_.on_message(c.peer_id(), std::move(payload));
}

void TransportImpl::on_closed(const std::shared_ptr<Connection>& c, CloseReason reason,
                              const util::Status& why) {
  forget_connection(c);
  if (auto probe = probes_.find(c->id()); probe != probes_.end()) {
    auto done = std::move(probe->second);
    probes_.erase(probe);
    done(why.is_ok() ? util::unavailable("connection to " + c->remote() + " closed") : why);
  }
  switch (reason) {
    case CloseReason::handshake:
    case CloseReason::timeout:
      if (!c->was_authenticated()) ++stats_.handshakes_failed;
      break;
    case CloseReason::auth:
      ++stats_.auth_failed;
      break;
    case CloseReason::peer_mismatch:
      ++stats_.peer_mismatches;
      break;
    case CloseReason::protocol:
      ++stats_.protocol_errors;
      break;
    case CloseReason::network:
    case CloseReason::refused:
    case CloseReason::retired:
      break;
  }
  Peer* peer = c->peer_id().empty() ? nullptr : find(c->peer_id());
  // A dial that failed before the TLS handshake has no peer ID yet: find its peer by the attempt.
  if (peer == nullptr && c->role() == Role::dialer) {
    for (auto& [id, p] : peers_) {
      if (p->dialing == c) peer = p.get();
    }
  }
  if (peer != nullptr && c->was_authenticated()) absorb(*peer, *c);
  if (reason == CloseReason::retired) {
    log_->debug("net: retired connection to {} at {} closed{}{}", c->peer_id(), c->remote(),
                why.is_ok() ? "" : ": ", why.message());
    return;
  }
  const bool was_link = peer != nullptr && peer->link == c;
  log_close(*c, reason, why, was_link, peer);
  if (peer == nullptr) return;
  if (was_link) {
    peer->link.reset();
    peer->last_contact = c->last_read();
    // Unsent frames wait for the next attempt, like anything queued without a link.
    SendQueue merged(options_.send_queue_bytes_max, options_.send_queue_messages_max);
    peer->messages_dropped += merged.append(c->queue());
    peer->messages_dropped += merged.append(peer->pending);
    peer->pending = std::move(merged);
  } else if (peer->dialing == c) {
    peer->dialing.reset();
  } else {
    return;  // a duplicate or unauthenticated connection: the link, if any, is unaffected
  }
  if (peer->link) return;
  const std::string peer_id = peer->id;
  if (peer->address && peer->wanted) {
    if (!was_link) peer->messages_dropped += peer->pending.clear();  // this attempt failed
    schedule_retry(*peer);
  } else {
    peer->messages_dropped += peer->pending.clear();
  }
  if (!was_link || !peer->up) return;
  peer->up = false;
  if (callbacks_.on_peer_down) callbacks_.on_peer_down(peer_id);
}

void TransportImpl::log_close(const Connection& c, CloseReason reason, const util::Status& why, bool was_link,
                              Peer* peer) {
  std::string who;
  if (!c.peer_id().empty()) {
    who = "peer " + c.peer_id() + " at " + c.remote();
  } else if (c.role() == Role::dialer && peer != nullptr) {
    who = "peer " + peer->id + " at " + c.remote();
  } else {
    who = (c.role() == Role::dialer ? "" : "inbound ") + c.remote();
  }
  if (was_link) {
    log_->info("net: link to {} lost: {}", who, why.message());
    return;
  }
  const char* dir = c.role() == Role::dialer ? "dialing" : "accepting";
  std::string note;
  if (c.role() == Role::dialer && peer != nullptr) {
    // A peer that keeps failing the same way is reported once, until it succeeds or changes.
    if (peer->last_failure == why.message()) {
      log_->debug("net: {} {} failed again: {}", dir, who, why.message());
      return;
    }
    peer->last_failure = why.message();
  } else if (c.role() == Role::listener) {
    const util::Nanos now = clock_->monotonic();
    if (now - inbound_log_window_start_ >= kInboundLogWindow) {
      inbound_log_window_start_ = now;
      inbound_log_used_ = 0;
    }
    if (inbound_log_used_ >= kInboundLogBurst) {
      ++inbound_log_suppressed_;
      log_->debug("net: {} {}: {}", dir, who, why.message());
      return;
    }
    ++inbound_log_used_;
    if (inbound_log_suppressed_ > 0) {
      note = " (" + std::to_string(inbound_log_suppressed_) + " more failed inbound connections not shown)";
      inbound_log_suppressed_ = 0;
    }
  }
  const bool loud = reason == CloseReason::peer_mismatch || reason == CloseReason::auth;
  log_->log(loud ? spdlog::level::err : spdlog::level::warn, "net: {} {}: {}{}", dir, who, why.message(),
            note);
}

void TransportImpl::forget_connection(const std::shared_ptr<Connection>& c) {
  connections_.erase(c->id());
}

void TransportImpl::close_quietly(const std::shared_ptr<Connection>& c) {
  c->close();
  forget_connection(c);
}

void TransportImpl::absorb(Peer& peer, const Connection& c) {
  const auto& k = c.counters();
  peer.totals.messages_sent += k.messages_sent;
  peer.totals.bytes_sent += k.bytes_sent;
  peer.totals.messages_received += k.messages_received;
  peer.totals.bytes_received += k.bytes_received;
}

bool TransportImpl::connected(const std::string& peer_id) const {
  const Peer* peer = find(peer_id);
  return peer != nullptr && peer->link != nullptr;
}

std::optional<util::Nanos> TransportImpl::last_contact(const std::string& peer_id) const {
  const Peer* peer = find(peer_id);
  if (peer == nullptr) return std::nullopt;
  if (peer->link) return peer->link->last_read();
  return peer->last_contact;
}

std::optional<PeerStats> TransportImpl::peer_stats(const std::string& peer_id) const {
  const Peer* peer = find(peer_id);
  if (peer == nullptr) return std::nullopt;
  PeerStats s;
  Connection::Counters k = peer->totals;
  // The link's counters, and those of retired connections still draining.
  for (const auto& [id, c] : connections_) {
    if (!c->was_authenticated() || c->peer_id() != peer_id) continue;
    const auto& l = c->counters();
    k.messages_sent += l.messages_sent;
    k.bytes_sent += l.bytes_sent;
    k.messages_received += l.messages_received;
    k.bytes_received += l.bytes_received;
  }
  if (peer->link) {
    s.connected = true;
    s.outbound = peer->link->role() == Role::dialer;
    s.queued_messages = peer->link->queue().messages();
    s.queued_bytes = peer->link->queue().bytes();
  } else {
    s.queued_messages = peer->pending.messages();
    s.queued_bytes = peer->pending.bytes();
  }
  if (peer->address) s.address = peer->address->to_string();
  s.last_contact = last_contact(peer_id);
  s.dials = peer->dials;
  s.messages_sent = k.messages_sent;
  s.bytes_sent = k.bytes_sent;
  s.messages_received = k.messages_received;
  s.bytes_received = k.bytes_received;
  s.messages_dropped = peer->messages_dropped;
  return s;
}

std::vector<std::string> TransportImpl::connected_peers() const {
  std::vector<std::string> out;
  for (const auto& [id, peer] : peers_) {
    if (peer->link) out.push_back(id);
  }
  return out;
}

bool TransportImpl::write_raw_for_test(const std::string& peer_id, std::string bytes) {
  Peer* peer = find(peer_id);
  if (peer == nullptr || !peer->link) return false;
  peer->link->write_raw_for_test(std::move(bytes));
  return true;
}

}  // namespace cl::net
