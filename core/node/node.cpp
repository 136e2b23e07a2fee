// Node: setup, the tick loop and shutdown.
#include "node/node.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/file.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <cerrno>
#include <cstring>

#include "api/server.hpp"
#include "cluster/tracker.hpp"
#include "identity/key_file.hpp"
#include "identity/peer_id.hpp"
#include "net/transport.hpp"
#include "node/raft_log.hpp"
#include "util/bytes.hpp"
#include "util/version.hpp"

namespace cl::node {

namespace {

// A public fingerprint of the cluster secret: a database of another cluster is refused by it.
std::string cluster_fingerprint(const identity::ClusterSecret& secret) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_DigestInit_ex(md, EVP_sha256(), nullptr);
  static constexpr char kLabel[] = "cl cluster id v1";
  EVP_DigestUpdate(md, kLabel, sizeof kLabel - 1);
  EVP_DigestUpdate(md, secret.bytes().data(), secret.bytes().size());
  EVP_DigestFinal_ex(md, digest, &len);
  EVP_MD_CTX_free(md);
  return util::to_hex(std::string_view(reinterpret_cast<char*>(digest), 8));
}

std::uint64_t os_seed() {
  std::uint64_t seed = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed);
  return seed;
}

}  // namespace

Node::Node(boost::asio::io_context& io, NodeOptions options)
    : io_(io),
      opts_(std::move(options)),
      clock_(util::SystemClock::instance()),
      log_(opts_.logger ? opts_.logger : spdlog::default_logger()),
      tick_timer_(io) {}

Node::~Node() {
  stop_ipfs();  // the tracker's reconcile reads the store
  if (api_) api_->stop();
  if (transport_) transport_->stop();
  workers_.join();  // a snapshot being written uses the store
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

util::Result<std::unique_ptr<Node>> Node::create(boost::asio::io_context& io, NodeOptions options) {
  std::unique_ptr<Node> n(new Node(io, std::move(options)));
  CL_TRY_STATUS(n->open());
  return n;
}

util::Status Node::open() {
  const auto& home = opts_.home;
  // One daemon per CL_HOME: a second one would fight over the database and the socket.
  const std::string lock_path = home + "/lock";
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0)
    return util::io_error("cannot open " + util::quote(lock_path) + ": " + std::strerror(errno));
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    return util::failed_precondition("another cl-raftd is already running with CL_HOME " + util::quote(home) +
                                     " (it holds " + lock_path + ")");
  }
  auto key = identity::load_key_file(home + "/identity.key");
  if (!key) return key.status();
  key_.emplace(std::move(*key));
  auto secret = identity::load_secret_file(home + "/secret");
  if (!secret) return secret.status();
  secret_.emplace(std::move(*secret));
  auto pid = identity::PeerId::from_public_key(key_->public_key());
  peer_id_ = pid.to_string();
  node_id_ = identity::raft_node_id(pid);
  raft_log_ = std::make_unique<RaftLogAdapter>(log_);

  const auto& cfg = opts_.config;
  tick_ = cfg.heartbeat_interval;
  auto by = cluster::parse_allocate_by(cfg.allocate_by);
  if (!by) return by.status().with_context("config allocate_by");
  allocate_by_ = std::move(*by);
  store::OpenOptions so;
  so.dir = home + "/state";
  so.cluster_id = cluster_fingerprint(*secret_);
  so.peer_id = peer_id_;
  auto st = store::Store::open(so);
  if (!st) return st.status();
  store_ = std::move(*st);
  CL_TRY_STATUS(peers_.load(*store_));
  CL_TRY_STATUS(open_transport());
  CL_TRY_STATUS(bootstrap_if_new());
  CL_TRY_STATUS(create_raft());
  open_ipfs();  // never fails the start: without IPFS, statuses say why
  CL_TRY_STATUS(open_api());
  return util::Status::ok();
}

util::Status Node::create_raft() {
  const auto& cfg = opts_.config;
  raft::Config rc;
  rc.id = node_id_;
  rc.storage = store_.get();
  rc.logger = raft_log_.get();
  rc.applied = store_->applied_index();
  rc.seed = opts_.seed != 0 ? opts_.seed : os_seed();
  rc.heartbeat_ticks = 1;
  rc.election_ticks =
      static_cast<int>(std::max<std::int64_t>(2, cfg.election_timeout / cfg.heartbeat_interval));
  auto r = raft::RawNode::create(rc);
  if (!r) return r.status().with_context("starting raft");
  raft_ = std::move(*r);
  return util::Status::ok();
}

pin::PeerInfo Node::self_info() const {
  pin::PeerInfo info;
  info.peer_id = peer_id_;
  info.node_id = node_id_;
  info.addr = advertise_;
  info.version = std::string(util::version());
  info.ipfs_addrs = local_ipfs_addrs();
  return info;
}

util::Status Node::bootstrap_if_new() {
  const bool fresh = store_->last_index() == 0 && store_->hard_state() == raft::HardState{} &&
                     store_->conf().voters.empty() && store_->conf().learners.empty();
  if (!fresh) {
    if (opts_.join) log_->info("already a cluster member: ignoring --join {}", *opts_.join);
    opts_.join.reset();
    joined_ = true;
    return util::Status::ok();
  }
  if (opts_.join) {
    log_->info("new peer {}: joining the cluster through {}", peer_id_, *opts_.join);
    return util::Status::ok();
  }
  // A new cluster with this peer as its only voter: the first entry adds it, with its address.
  raft::ConfChange cc{raft::ConfChangeType::add_voter, node_id_, pin::encode_peer(self_info())};
  store::SaveBatch b;
  b.hard_state = raft::HardState{1, raft::kNoNode, 1};
  b.entries.push_back(raft::Entry{1, 1, raft::EntryType::conf_change, raft::encode_conf_change(cc)});
  CL_TRY_STATUS(store_->save(b, {}));
  joined_ = true;
  log_->info("new cluster: {} is its first voter", peer_id_);
  return util::Status::ok();
}

util::Status Node::start() {
  // Alone in the cluster: no one to wait for, lead at once.
  const auto conf = raft_->status().conf;
  if (conf.voters.size() == 1 && conf.voters[0] == node_id_) raft_->campaign();
  schedule_tick();
  schedule_ready();
  start_ipfs();
  log_->info("cl-raftd {} peer {} (raft node {:016x}) listening on {} for peers, {} for tools",
             util::version(), peer_id_, node_id_, advertise_, api_socket_path());
  return util::Status::ok();
}

std::uint16_t Node::peer_port() const {
  return transport_ ? transport_->local_port() : 0;
}

bool Node::is_leader() const {
  return raft_ && raft_->role() == raft::Role::leader;
}

std::string Node::leader_peer_id() const {
  if (!raft_) return {};
  const auto* info = peers_.by_node(raft_->leader());
  return info ? info->peer_id : std::string();
}

void Node::schedule_tick() {
  tick_timer_.expires_after(tick_);
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    on_tick();
    schedule_tick();
  });
}

void Node::on_tick() {
  ++ticks_;
  raft_->tick();
  const auto now = clock_.monotonic();
  proposals_.expire(now);
  rpc_->expire();
  for (auto it = waiting_for_leader_.begin(); it != waiting_for_leader_.end();) {
    if (it->deadline <= now) {
      auto done = std::move(it->done);
      it = waiting_for_leader_.erase(it);
      done(util::unavailable("no leader: the cluster cannot elect one (a majority of voters down?)"));
    } else {
      ++it;
    }
  }
  if (!joined_) try_join();
  if (is_leader() && ticks_ % 5 == 0) check_learners();
  if (ticks_ % 20 == 0) announce_self_if_changed();
  alloc_tick();  // metrics; at the leader: monitor, repin, expiry
  maybe_prepare_snapshot();
  maybe_compact();
  schedule_ready();
}

void Node::stop_self(const std::string& reason) {
  if (stopping_) return;
  log_->error("stopping: {}", reason);
  stop_reason_ = reason;
  shutdown([this] {
    if (on_self_stop_) on_self_stop_();
  });
}

void Node::shutdown(std::function<void()> done) {
  if (stopped_) {
    io_.post(std::move(done));
    return;
  }
  auto finish = [this, done = std::move(done)]() {
    if (stopped_) return;
    stopped_ = true;
    tick_timer_.cancel();
    const util::Status gone = util::unavailable("cl-raftd is shutting down");
    proposals_.fail_all(gone);
    rpc_->fail_all(gone);
    for (auto& w : waiting_for_leader_) w.done(gone);
    waiting_for_leader_.clear();
    for (auto& [ctx, r] : reads_) r(gone);
    reads_.clear();
    for (auto& [i, w] : apply_waiters_) w(gone);
    apply_waiters_.clear();
    if (api_) api_->stop();
    if (transport_) transport_->stop();
    stop_ipfs();
    log_->info("stopped");
    io_.post(done);
  };
  if (stopping_) return;
  stopping_ = true;
  if (opts_.config.leave_on_shutdown && stop_reason_.empty() && joined_) {
    log_->info("leaving the cluster (leave_on_shutdown)");
    leader_call("peers.rm", Json{{"peer_id", peer_id_}}, [this, finish](util::Result<Json> r) {
      if (!r) log_->warn("could not leave the cluster: {}", r.status().message());
      finish();
    });
    return;
  }
  finish();
}

}  // namespace cl::node
