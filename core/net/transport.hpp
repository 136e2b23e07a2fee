#pragma once
// Transport: authenticated, encrypted links between cl peers, carrying opaque payloads (encoded
// Raft messages and peer RPCs) addressed by peer ID. It does not look inside payloads.
//
// Security (DESIGN.md "Peers"; protocol in auth.hpp, tls.hpp, frame.hpp):
//  - TCP + TLS 1.3. Each side presents a self-signed certificate for its Ed25519 identity key;
//    the peer ID of a connection is derived from the key the other side proved it holds. When
//    dialing a peer the caller named, a different peer ID closes the connection.
//  - Then each side proves it knows the 32-byte cluster secret with an HMAC bound to this TLS
//    session (auth.hpp). The dialer sends its proof first; the listener checks it before sending
//    its own. A side sends and accepts payload frames only after it has checked the other's proof.
//    A failure is logged (never the secret or a proof) and the connection closed, with no
//    explanation on the wire.
//  - Handshake and proofs must finish within handshake_timeout_ms.
//
// Links: at most one link per peer. A link comes up when a send() needs it (the peer's address
// must be known) or when the peer dials in (also peers not in the address book: the owner
// decides what to accept at the payload level). When two connections to the same peer both
// authenticate (both sides dialed at once), both sides keep the same one (link_choice.hpp): if both
// were dialed by the same side, the newer; otherwise the one dialed by the lower peer ID. The other
// is retired, not cut: its unsent messages move to the kept one, each side ends what it wrote on
// it with a goodbye frame and keeps reading it until the other's goodbye, so nothing written on it
// is lost (but its frames and the kept link's may interleave). A lost link whose address is known
// is redialed with exponential backoff and jitter (reconnect_delay_min_ms..max_ms), reset by a
// success. Idle links carry a keepalive every keepalive_interval_ms; a link silent for
// idle_timeout_ms is closed.
//
// Delivery: frames on one link arrive in order, each at most once. Across a reconnect, messages
// may be lost (Raft tolerates loss): messages queued for a peer without a link wait for the next
// connection attempt, and are dropped (counted) if it fails; frames in flight on a failed
// connection are lost. Each peer's queue is bounded (send_queue_bytes_max, send_queue_messages_max);
// send() refuses (returns false, counted as dropped) what does not fit.
//
// Logging (spdlog, "net: ..." lines): links up (info) and lost (info); failed connections at warn,
// a wrong cluster secret or an unexpected peer ID at error. A peer that keeps failing to dial the
// same way is reported once; failed inbound connections at most 20 times a minute (anyone can
// connect), the rest at debug. Never the secret, a proof or the exporter value.
//
// Threading: single-threaded. Every method must be called on the thread that runs the
// io_context, or while it is not running; callbacks run on that thread. Callbacks may call any
// method (stop() included) but must not destroy the Transport. After stop() no callback runs.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "identity/keys.hpp"
#include "identity/secret.hpp"
#include "util/bytes.hpp"
#include "util/clock.hpp"
#include "util/duration.hpp"
#include "util/result.hpp"

namespace boost::asio {
class io_context;
}
namespace spdlog {
class logger;
}

namespace cl::net {

struct TransportOptions {
  // This peer's identity key. Required; borrowed during create() only (the TLS context takes its
  // own reference to the key).
  const identity::KeyPair* identity = nullptr;
  // The cluster secret. Required; borrowed during create(), which keeps a copy that is wiped when
  // the transport goes.
  const identity::ClusterSecret* cluster_secret = nullptr;

  std::size_t frame_bytes_max = 16u << 20;         // payload bytes per frame, 1 KiB .. 1 GiB
  std::size_t send_queue_bytes_max = 64u << 20;    // per peer; >= frame_bytes_max + 5
  std::size_t send_queue_messages_max = 100'000;   // per peer, >= 1
  std::size_t write_batch_bytes_max = 256u << 10;  // frames gathered into one write, >= 1 KiB
  util::Millis handshake_timeout_ms{5000};         // TCP connect + TLS + proofs, > 0
  util::Millis reconnect_delay_min_ms{50};         // 0 < min <= max
  util::Millis reconnect_delay_max_ms{5000};
  util::Millis keepalive_interval_ms{1000};  // > 0
  util::Millis idle_timeout_ms{10000};       // > keepalive_interval_ms
  std::size_t handshakes_pending_max = 64;   // inbound connections not yet authenticated, >= 1
  std::size_t peers_max = 4096;              // peers known at once, >= 1
  std::uint64_t seed = 1;                    // reconnect jitter
  const util::Clock* clock = nullptr;        // for last_contact; nullptr: SystemClock
  std::shared_ptr<spdlog::logger> logger;    // nullptr: spdlog's default logger
};

struct TransportCallbacks {
  // A payload from an authenticated peer of this cluster. payload is the caller's.
  std::function<void(const std::string& peer_id, std::string payload)> on_message;
  // A link to the peer came up / went down (not called when one link replaces another).
  std::function<void(const std::string& peer_id)> on_peer_up;
  std::function<void(const std::string& peer_id)> on_peer_down;
};

struct PeerStats {
  bool connected = false;
  bool outbound = false;  // the current link was dialed by this side
  std::optional<std::string> address;
  std::optional<util::Nanos> last_contact;          // Clock::monotonic() of the last frame received
  std::uint64_t dials = 0;                          // connection attempts made to this peer
  std::uint64_t messages_sent = 0, bytes_sent = 0;  // written to the socket (payload bytes)
  std::uint64_t messages_received = 0, bytes_received = 0;
  std::uint64_t messages_dropped = 0;  // refused by send() or lost from a queue
  std::size_t queued_messages = 0, queued_bytes = 0;
};

struct TransportStats {
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_refused = 0;  // over handshakes_pending_max or peers_max
  std::uint64_t handshakes_failed = 0;    // TLS failures and timeouts before authentication
  std::uint64_t auth_failed = 0;          // wrong cluster secret proof
  std::uint64_t peer_mismatches = 0;      // dialed peer had another peer ID
  std::uint64_t protocol_errors = 0;      // oversized frame, unknown frame type, ...
  std::size_t connections = 0;            // open now, in any state
};

class TransportImpl;

class Transport {
 public:
  // Validate options (Code::invalid_argument naming the option), make the certificate and TLS
  // context. io must outlive the Transport. Nothing happens on the network until listen() or send().
  static util::Result<std::unique_ptr<Transport>> create(boost::asio::io_context& io,
                                                         const TransportOptions& options,
                                                         TransportCallbacks callbacks);
  ~Transport();  // stop()s
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Accept peers on "host:port" (port 0: any free port, see local_port()). Resolves host now.
  // Code::invalid_argument for a bad address, Code::io_error when binding fails (names the address).
  util::Status listen(std::string_view host_port);
  // The port listen() bound; 0 before.
  std::uint16_t local_port() const;
  // This peer's ID ("12D3KooW...").
  const std::string& peer_id() const;

  // Peer IDs in this interface are the text identity::PeerId::to_string() gives ("12D3KooW..."),
  // as peer_id() and the callbacks report them.
  //
  // Where to dial peer_id ("host:port"; hostnames are resolved at each dial). Replaces a previous
  // address; an existing link stays. Code::invalid_argument for a bad address, port 0, a peer ID
  // that does not parse or is not in the "12D3KooW..." form, or our own ID.
  util::Status set_peer_address(const std::string& peer_id, std::string_view host_port);
  // Dial host_port without knowing who answers (joining a cluster through one member's address):
  // once the connection is authenticated it becomes the link of the peer ID it revealed, and done
  // gets that ID; otherwise done gets why it failed. No redial: the peer has no address here.
  void connect(std::string_view host_port, std::function<void(util::Result<std::string>)> done);
  // Forget the peer: close its link and drop its queue. No on_peer_down.
  void remove_peer(const std::string& peer_id);

  // Queue payload for peer_id, dialing if needed. false (payload dropped, counted) when the peer
  // has neither a link nor an address, the payload is over frame_bytes_max, the queue is full, or
  // the transport is stopped. true means queued, not delivered.
  bool send(const std::string& peer_id, std::string payload);

  bool connected(const std::string& peer_id) const;
  // Clock::monotonic() of the last frame (any kind) received from the peer; nullopt if never.
  std::optional<util::Nanos> last_contact(const std::string& peer_id) const;
  // nullopt for a peer the transport does not know.
  std::optional<PeerStats> peer_stats(const std::string& peer_id) const;
  // Peers with a link now, in ID order.
  std::vector<std::string> connected_peers() const;
  TransportStats stats() const;

  // Close every connection and the listener, cancel timers. Idempotent; no callback runs after it.
  void stop();

  // Tests only: write bytes as they are (no framing) on the peer's link. false without a link.
  bool write_raw_for_test(const std::string& peer_id, std::string bytes);

 private:
  explicit Transport(std::shared_ptr<TransportImpl> impl);
  std::shared_ptr<TransportImpl> impl_;
};

}  // namespace cl::net
