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
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "cluster/allocation_counts.hpp"
#include "cluster/allocator.hpp"
#include "cluster/metrics.hpp"
#include "cluster/monitor.hpp"
#include "config/config.hpp"
#include "identity/keys.hpp"
#include "identity/secret.hpp"
#include "ipfs/connector.hpp"
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
namespace cl::cluster {
class Tracker;
struct PinInfo;
}  // namespace cl::cluster

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
struct StatusGather;

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

  // node_health.cpp: the leader's monitor (liveness, alerts) and the loops it drives
  void alloc_tick();   // every tick: push metrics, count allocations; at the leader: observe, repin, expire
  void counts_tick();  // node_alloc.cpp: one page of the allocation-counting pass, until done
  void count_changes(const Effects& fx);  // node_alloc.cpp: after an apply, keep the counts current
  cluster::PeerReports peer_reports() const;
  void observe_peers();
  Json peers_health_json() const;  // alerts then repin records, for the leader op peers.health
  // node_repin.cpp: re-allocate pins under rmin once a peer has been down for repin_delay
  void repin_tick();
  void finish_repin_pass();
  // node_expiry.cpp: unpin pins whose expire_at passed
  void expiry_tick();
  void note_expiry(std::int64_t expire_at_ms);  // a pin with this expiry was just proposed here

  // node_alloc.cpp: metrics and allocation
  Json local_metrics_json() const;
  void push_metrics();
  void record_metrics(const Json& j);
  cluster::PeerTable peer_table() const;
  std::uint64_t local_numpin() const;                    // node_ipfs.cpp: from the tracker
  std::uint64_t local_pinqueue() const;                  // node_ipfs.cpp: from the tracker
  std::optional<std::uint64_t> local_freespace() const;  // node_ipfs.cpp: repo/stat, polled

  // node_ipfs.cpp: the local IPFS daemon, the pin tracker and the IPFS watcher thread
  void open_ipfs();
  void start_ipfs();
  void stop_ipfs();
  void tell_tracker(const Effects& fx);
  void update_swarm_targets();
  void ipfs_watch_loop();
  std::vector<std::string> local_ipfs_addrs() const;
  // This peer's status of a CID: the tracker's, or cluster_error when there is no tracker.
  cluster::PinInfo local_status(const cid::Cid& cid, const pin::Pin* pin) const;

  // node_status.cpp: status.ls, sync, recover and add on the local socket; status.local and
  // recover.local between peers
  void register_status_api();
  void register_status_rpc();
  util::Status load_status_batch(const std::shared_ptr<StatusGather>& g);
  void stream_statuses(const std::shared_ptr<api::Call>& call, std::shared_ptr<StatusGather> g);
  std::vector<cid::Cid> recover_here(const std::vector<cid::Cid>* cids);
  void handle_add(Json params, const std::shared_ptr<api::Call>& call);

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
  // Set when the stuck Ready's snapshot was installed before its entries failed to persist.
  std::optional<raft::Index> stuck_snapshot_installed_;
  util::Status store_error_;  // set while writes are refused
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
  std::map<std::string, MetricsEntry> metrics_;         // the leader's book of its peers' metrics
  std::string metrics_pushed_to_;                       // the leader the last push went to
  cluster::AllocationCounts alloc_counts_;              // pins allocated to each peer (node_alloc.cpp)
  std::string counts_after_;                            // where the counting pass resumes
  cluster::Monitor monitor_{opts_.config.repin_delay};  // observed while leading (node_health.cpp)
  bool monitor_leading_ = false;                        // monitor_ holds this term's observations
  std::uint64_t monitor_observed_tick_ = 0;             // ticks_ at the last observation
  struct RepinPass {                                    // node_repin.cpp
    bool active = false;
    std::string after;                         // pinset key the pass resumes after
    std::set<std::string> dead, members;       // what the pass was started for
    std::map<std::string, std::size_t> moved;  // peer -> pins moved off it so far
    std::size_t failed = 0;                    // pins left under rmin (no peers for them)
    std::string first_error;
  };
  RepinPass repin_;
  RepinPass repin_done_;  // the last finished pass (its dead/members/failed decide the next)
  util::Nanos repin_retry_at_{0};
  bool repin_proposing_ = false;  // one repin entry in flight at a time
  struct ExpiryPass {             // node_expiry.cpp
    bool active = false;
    std::string after;
    std::int64_t soonest_ms = 0;  // the soonest future expire_at seen in this pass; 0: none
  };
  ExpiryPass expiry_;
  util::Nanos expiry_next_pass_{0};
  bool expiry_proposing_ = false;
  util::Nanos metrics_next_push_{0};
  std::vector<cluster::SortKey> allocate_by_;
  boost::asio::thread_pool workers_{1};  // snapshot writing; joined before the store closes

  // The local IPFS daemon (node_ipfs.cpp). tracker_ is null when the connector could not be
  // created (ipfs_error_ says why); statuses then say cluster_error.
  std::unique_ptr<ipfs::Connector> ipfs_;
  std::unique_ptr<cluster::Tracker> tracker_;
  std::string ipfs_error_;
  // Blocking IPFS work asked for on the socket (add, sync): never on the io thread.
  boost::asio::thread_pool ipfs_calls_{2};
  ipfs::CancelFlag ipfs_cancel_;  // set by stop_ipfs: ends the work on ipfs_calls_
  // The watcher thread: polls id and repo/stat, connects the local IPFS to the other peers' IPFS.
  std::thread ipfs_watcher_;
  mutable std::mutex ipfs_mu_;  // guards what follows
  std::condition_variable ipfs_cv_;
  bool ipfs_stop_ = false;
  bool ipfs_targets_changed_ = false;
  std::vector<std::string> ipfs_addrs_;                           // the local IPFS's addresses, from id
  std::optional<std::uint64_t> ipfs_freespace_;                   // StorageMax - RepoSize, from repo/stat
  std::map<std::string, std::vector<std::string>> ipfs_targets_;  // peer ID -> its IPFS addresses
};

}  // namespace cl::node
