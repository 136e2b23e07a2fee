#pragma once
// Node: what cl-raftd runs. One io_context thread drives everything: Raft ticks and messages, the
// peer transport, the local socket, and the store (DESIGN.md "Following one pin").
//
// The Ready loop (node_ready.cpp), per raft::RawNode's contract: stage snapshot chunks; install a
// snapshot; otherwise persist hard state + entries AND apply committed entries with the applied
// index in ONE store transaction; then send the messages (a leader sends its appends before
// its write, which Raft allows: it counts itself only once persisted); then act on what was applied
// (answer proposals, update the peer directory, tell the pin tracker); then serve reads; advance.
// A storage failure (disk full, read-only) keeps the Ready pending, refuses writes with the
// store's error, and retries every tick: nothing acknowledged is lost, nothing is sent unpersisted.
//
// Writes that arrive at a follower are forwarded to the leader (peer method "leader.call"); reads
// that must be current go through ReadIndex (read_barrier).
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <nlohmann/json.hpp>

#include "cluster/allocator.hpp"
#include "cluster/metrics.hpp"
#include "config/config.hpp"
#include "identity/keys.hpp"
#include "identity/secret.hpp"
#include "node/peer_directory.hpp"
#include "node/proposals.hpp"
#include "node/rpc.hpp"
#include "pin/command.hpp"
#include "raft/raw_node.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"

namespace spdlog {
class logger;
}
namespace cl::api {
class Server;
class Call;
}  // namespace cl::api
namespace cl::net {
class Transport;
}

namespace cl::node {

using Json = nlohmann::json;

struct NodeOptions {
  std::string home;                        // CL_HOME: identity.key, secret, config.json, state/
  config::Config config;                   // already loaded (file, environment, flags)
  std::string socket_path;                 // the local socket; empty: home + "/raftd.sock"
  std::optional<std::string> join;         // host:port of a member to join through (first start only)
  std::uint64_t seed = 0;                  // Raft's election randomness; 0: from the OS
  std::shared_ptr<spdlog::logger> logger;  // nullptr: spdlog's default
};

class RaftLogAdapter;
struct Effects;

class Node {
 public:
  static util::Result<std::unique_ptr<Node>> create(boost::asio::io_context& io, NodeOptions options);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Listen for peers and on the socket, bootstrap or join, start ticking.
  util::Status start();
  // Stop: leave the cluster first when leave_on_shutdown is set (bounded), then close the socket
  // and the transport; the store is closed (synced) by the destructor. done runs on the io thread.
  void shutdown(std::function<void()> done);
  // Set when the node stopped by itself (removed from the cluster, ...): why, for the exit message.
  const std::string& stop_reason() const { return stop_reason_; }
  bool stopped() const { return stopped_; }
  // Called when the node decides to stop by itself.
  void on_self_stop(std::function<void()> cb) { on_self_stop_ = std::move(cb); }

  const std::string& peer_id() const { return peer_id_; }
  raft::NodeId node_id() const { return node_id_; }
  std::uint16_t peer_port() const;

 private:
  Node(boost::asio::io_context& io, NodeOptions options);

  // node.cpp: setup and the tick loop
  util::Status open();
  util::Status create_raft();
  util::Status bootstrap_if_new();
  void schedule_tick();
  void on_tick();
  void stop_self(const std::string& reason);
  bool is_leader() const;
  std::string leader_peer_id() const;
  pin::PeerInfo self_info() const;

  // node_ready.cpp: the Ready loop
  void schedule_ready();
  void process_ready();
  // A leader's appends go out before its own log write (see node_ready.cpp); true when some did
  // and the rest of rd must be finished in a posted handler.
  bool send_appends_early(raft::Ready& rd);
  // Persist, send, act on what was applied, serve reads, advance. False when the loop must stop
  // (storage failed: rd is kept for the retry; or the node stopped).
  bool finish_ready(raft::Ready& rd);
  util::Status persist(raft::Ready& rd, Effects& fx);
  util::Status apply_entry(const raft::Entry& e, store::StateWriter& w, Effects& fx);
  void send_messages(std::vector<raft::Message>& messages);
  void after_commit(Effects& fx);
  void on_soft_state(const raft::SoftState& soft);
  void forget_peer(const std::string& peer_id);

  // node_snapshot.cpp
  void maybe_prepare_snapshot();
  void maybe_compact();

  // node_alloc.cpp: metrics and allocation
  Json local_metrics_json() const;
  void push_metrics();
  void record_metrics(const Json& j);
  cluster::PeerTable peer_table() const;
  std::uint64_t local_numpin() const { return 0; }
  std::uint64_t local_pinqueue() const { return 0; }
  std::optional<std::uint64_t> local_freespace() const { return std::nullopt; }

  // node_net.cpp: transport and peer RPC plumbing
  util::Status open_transport();
  void on_peer_message(const std::string& peer_id, std::string payload);
  void on_peer_down(const std::string& peer_id);
  bool send_frame(const std::string& peer_id, std::string frame);

  // node_membership.cpp
  void register_membership_rpc();
  void try_join();
  void check_learners();
  void announce_self_if_changed();
  void handle_join(const Json& params, PeerRpc::Respond respond);

  // node_forward.cpp: writes go to the leader
  using Reply = std::function<void(util::Result<Json>)>;
  void register_leader_ops();
  // Runs method at the leader: here if this node leads, else forwarded (waiting up to the
  // request timeout for a leader to be known).
  void leader_call(const std::string& method, Json params, Reply done);
  void leader_call_until(const std::string& method, Json params, Reply done, util::Nanos deadline);
  void run_leader_op(const std::string& method, Json params, Reply done);
  void flush_waiting_for_leader();
  void propose_command(const pin::Command& cmd, std::function<void(util::Status)> done);
  void propose_conf_change(const raft::ConfChange& cc, std::function<void(util::Status)> done);
  util::Status writable() const;

  // node_reads.cpp: ReadIndex
  void read_barrier(std::function<void(util::Status)> done);
  void read_index_here(std::function<void(util::Result<raft::Index>)> done);
  void wait_applied(raft::Index index, std::function<void(util::Status)> done);
  void serve_read_states(const std::vector<raft::ReadState>& states);
  void fire_apply_waiters();

  // node_api.cpp, node_pins.cpp, node_state.cpp: the local socket
  util::Status open_api();
  std::string api_socket_path() const;
  util::Result<Json> normalize_pin_request(Json params) const;
  void register_api();
  void register_pin_api();
  void register_state_api();
  Json id_json() const;
  Json health_json() const;
  Json peers_json(const Json& leader_view) const;
  void leader_pin_add(Json params, Reply done);
  void leader_pin_rm(Json params, Reply done);
  void leader_pin_update(Json params, Reply done);
  void leader_import(Json params, Reply done);
  void leader_peers_rm(Json params, Reply done);
  Json leader_peer_view() const;
  util::Result<pin::Pin> allocate(pin::Pin request, const std::optional<pin::Pin>& existing);

  boost::asio::io_context& io_;
  NodeOptions opts_;
  const util::Clock& clock_;
  std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<RaftLogAdapter> raft_log_;
  std::optional<identity::KeyPair> key_;
  std::optional<identity::ClusterSecret> secret_;
  std::string peer_id_;
  raft::NodeId node_id_ = 0;
  std::string advertise_;

  std::unique_ptr<store::Store> store_;
  std::unique_ptr<raft::RawNode> raft_;
  std::unique_ptr<net::Transport> transport_;
  std::unique_ptr<api::Server> api_;
  std::unique_ptr<PeerRpc> rpc_;
  PeerDirectory peers_;
  Proposals proposals_;
  boost::asio::steady_timer tick_timer_;
  std::chrono::milliseconds tick_{100};

  bool ready_scheduled_ = false;
  bool ready_in_flight_ = false;            // a Ready whose appends went out early awaits its write
  std::optional<raft::Ready> stuck_ready_;  // persisted failed; retried every tick
  util::Status store_error_;                // set while writes are refused
  bool stopped_ = false;
  bool stopping_ = false;
  std::string stop_reason_;
  std::function<void()> on_self_stop_;
  raft::SoftState soft_;
  std::uint64_t ticks_ = 0;
  bool snapshot_preparing_ = false;

  struct WaitingCall {
    std::string method;
    Json params;
    Reply done;
    util::Nanos deadline;
  };
  std::vector<WaitingCall> waiting_for_leader_;
  std::uint64_t next_read_ctx_ = 1;
  std::map<std::string, std::function<void(util::Result<raft::Index>)>>
      reads_;  // ReadIndex context -> waiter
  std::multimap<raft::Index, std::function<void(util::Status)>> apply_waiters_;
  util::Nanos join_next_try_{0};
  bool joined_ = false;
  int lock_fd_ = -1;
  std::map<raft::NodeId, std::string>
      reply_routes_;  // node id -> peer id it last wrote from  // flock on CL_HOME/lock, held while running

  struct MetricsEntry {
    cluster::PeerMetrics metrics;
    cluster::PeerQuotas quotas;
    std::int64_t received_ms = 0;
    util::Nanos expires{0};
  };
  std::map<std::string, MetricsEntry> metrics_;  // the leader's book of its peers' metrics
  util::Nanos metrics_next_push_{0};
  std::vector<cluster::SortKey> allocate_by_;
  boost::asio::thread_pool workers_{1};  // snapshot writing; joined before the store closes
};

}  // namespace cl::node
