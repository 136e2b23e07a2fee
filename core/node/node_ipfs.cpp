// Node: the local IPFS daemon. An HttpConnector to config ipfs_api, the pin tracker that makes it
// pin what the pinset allocates here (told about every committed change by after_commit), and a
// watcher thread that polls the daemon's id (its addresses travel in this peer's metadata) and
// repo/stat (the freespace metric), and swarm-connects it to the other peers' IPFS daemons so an
// allocated peer can fetch what another peer added.
//
// Threads: the io thread only calls the tracker's mutex-only methods (track, untrack,
// replace_all, status) and reads the watcher's results under ipfs_mu_. Every IPFS call runs on
// the tracker's workers and scheduler, the watcher thread, or ipfs_calls_ (node_status.cpp).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "cluster/informers.hpp"
#include "cluster/tracker.hpp"
#include "ipfs/http_connector.hpp"
#include "node/effects.hpp"
#include "node/node.hpp"

namespace cl::node {

namespace {

constexpr std::size_t kIpfsAddrsMax = 8;  // of the local daemon's addresses, in peer metadata
constexpr auto kWatchPeriod = std::chrono::seconds(5);
constexpr auto kConnectBackoffMin = std::chrono::seconds(5);
constexpr auto kConnectBackoffMax = std::chrono::minutes(5);

// The IPFS peer ID at the end of a multiaddr (".../p2p/ID" or ".../ipfs/ID"); "" if none.
std::string ipfs_peer_of(const std::string& addr) {
  for (const char* tag : {"/p2p/", "/ipfs/"}) {
    auto at = addr.rfind(tag);
    if (at != std::string::npos) return addr.substr(at + std::string_view(tag).size());
  }
  return {};
}

}  // namespace

void Node::open_ipfs() {
  const auto& cfg = opts_.config;
  ipfs::HttpConfig hc;
  hc.api_url = cfg.ipfs_api;
  hc.pin_stall_timeout = cfg.pin_timeout;
  hc.call_timeout = std::chrono::seconds(30);
  auto conn = ipfs::HttpConnector::create(hc);
  if (!conn) {
    ipfs_error_ = "ipfs_api " + util::quote(cfg.ipfs_api) + ": " + conn.status().message();
    log_->error("no pin tracker: {}", ipfs_error_);
    return;
  }
  ipfs_ = std::move(*conn);
  cluster::TrackerOptions to;
  to.concurrent_pins = static_cast<int>(cfg.concurrent_pins);
  to.pin_timeout = cfg.pin_timeout;
  to.state_sync_interval = cfg.state_sync_interval;
  to.seed = opts_.seed != 0 ? opts_.seed : 1;
  tracker_ = std::make_unique<cluster::Tracker>(*ipfs_, util::SystemClock::instance(), to, peer_id_);
  // Reconciles read the pinset through their own read view, on the tracker's scheduler thread.
  tracker_->set_pinset([this](const cluster::PinVisitor& visit) -> util::Status {
    auto view = store_->read_view();
    if (!view) return view.status();
    util::Status bad;
    CL_TRY_STATUS((*view)->scan(store::Ns::pins, [&](std::string_view key, std::string_view value) {
      auto p = pin::decode_pin_row(key, value);
      if (!p) {
        bad = p.status();
        return false;
      }
      visit(*p);
      return true;
    }));
    return bad;
  });
}

void Node::start_ipfs() {
  if (tracker_) {
    auto st = tracker_->start();
    if (!st.is_ok()) {
      ipfs_error_ = "pin tracker: " + st.message();
      log_->error("{}", ipfs_error_);
      tracker_.reset();
    } else {
      log_->info("pin tracker started on IPFS {} ({} concurrent pins, pin_timeout {} ms)",
                 opts_.config.ipfs_api, opts_.config.concurrent_pins, opts_.config.pin_timeout.count());
    }
  }
  if (ipfs_) {
    update_swarm_targets();
    ipfs_watcher_ = std::thread([this] { ipfs_watch_loop(); });
  }
}

void Node::stop_ipfs() {
  ipfs_cancel_.cancel();
  {
    std::lock_guard lock(ipfs_mu_);
    ipfs_stop_ = true;
  }
  ipfs_cv_.notify_all();
  if (ipfs_watcher_.joinable()) ipfs_watcher_.join();
  if (tracker_) tracker_->stop();
  ipfs_calls_.join();
}

std::uint64_t Node::local_numpin() const {
  return tracker_ ? tracker_->pinned_count() : 0;
}

std::uint64_t Node::local_pinqueue() const {
  return tracker_ ? tracker_->queue_length() : 0;
}

std::optional<std::uint64_t> Node::local_freespace() const {
  std::lock_guard lock(ipfs_mu_);
  return ipfs_freespace_;
}

std::vector<std::string> Node::local_ipfs_addrs() const {
  std::lock_guard lock(ipfs_mu_);
  return ipfs_addrs_;
}

cluster::PinInfo Node::local_status(const cid::Cid& cid, const pin::Pin* pin) const {
  if (tracker_) return pin != nullptr ? tracker_->status(*pin) : tracker_->status(cid);
  cluster::PinInfo info;
  info.cid = cid;
  info.peer = peer_id_;
  info.status = cluster::TrackerStatus::cluster_error;
  info.timestamp = clock_.wall();
  info.error = "no pin tracker on this peer: " + ipfs_error_;
  return info;
}

void Node::tell_tracker(const Effects& fx) {
  if (!tracker_) return;
  if (fx.snapshot_installed || fx.replaced) {
    tracker_->replace_all();  // the pinset was replaced as a whole: a reconcile sorts it out
    return;
  }
  for (std::size_t i = 0; i < fx.pins_set.size(); ++i) {
    const auto& before = fx.pins_set_before[i];
    tracker_->track(fx.pins_set[i], before ? &*before : nullptr);
  }
  for (std::size_t i = 0; i < fx.pins_removed.size(); ++i) {
    const auto& before = fx.pins_removed_before[i];
    if (before) {
      tracker_->untrack(fx.pins_removed[i], *before);
    } else {
      tracker_->untrack(fx.pins_removed[i]);
    }
  }
}

void Node::update_swarm_targets() {
  std::map<std::string, std::vector<std::string>> targets;
  for (const auto& p : peers_.all()) {
    if (p.peer_id != peer_id_ && !p.ipfs_addrs.empty()) targets[p.peer_id] = p.ipfs_addrs;
  }
  {
    std::lock_guard lock(ipfs_mu_);
    if (targets == ipfs_targets_) return;
    ipfs_targets_ = std::move(targets);
    ipfs_targets_changed_ = true;
  }
  ipfs_cv_.notify_all();
}

// The watcher thread: every kWatchPeriod (at once when the peers' IPFS addresses change), reads
// the local daemon's id and repo/stat, and connects it to every other peer's daemon it is not
// connected to, with a per-peer backoff after failures.
void Node::ipfs_watch_loop() {
  struct Backoff {
    std::chrono::steady_clock::time_point next{};
    std::chrono::seconds delay{0};
  };
  std::map<std::string, Backoff> backoff;  // cl peer ID -> when to try connecting again
  std::string last_error;
  for (;;) {
    std::map<std::string, std::vector<std::string>> targets;
    {
      std::unique_lock lock(ipfs_mu_);
      if (ipfs_stop_) return;
      targets = ipfs_targets_;
      ipfs_targets_changed_ = false;
    }
    std::string error;
    auto id = ipfs_->id();
    if (id) {
      std::vector<std::string> addrs = id->addresses;
      std::sort(addrs.begin(), addrs.end());
      if (addrs.size() > kIpfsAddrsMax) addrs.resize(kIpfsAddrsMax);
      std::lock_guard lock(ipfs_mu_);
      ipfs_addrs_ = std::move(addrs);
    } else {
      error = id.status().message();
    }
    auto stat = ipfs_->repo_stat();
    if (stat) {
      // The smaller of StorageMax - RepoSize and the disk under the repo, when the repo is here.
      const auto disk = cluster::ipfs_api_is_local(opts_.config.ipfs_api)
                            ? cluster::filesystem_free_bytes(stat->repo_path)
                            : std::nullopt;
      const auto free = cluster::freespace_bytes(*stat, disk);
      std::lock_guard lock(ipfs_mu_);
      ipfs_freespace_ = free;
    } else if (error.empty()) {
      error = stat.status().message();
    }
    if (error != last_error) {
      if (error.empty()) {
        log_->info("IPFS {} answers", opts_.config.ipfs_api);
      } else {
        log_->warn("IPFS {}: {}", opts_.config.ipfs_api, error);
      }
      last_error = error;
    }
    if (id && !targets.empty()) {
      std::set<std::string> connected;
      if (auto peers = ipfs_->swarm_peers()) {
        for (const auto& sp : *peers) connected.insert(sp.peer);
      }
      const auto now = std::chrono::steady_clock::now();
      for (const auto& [peer, addrs] : targets) {
        const std::string ipfs_peer = ipfs_peer_of(addrs.front());
        if (ipfs_peer == id->id || (!ipfs_peer.empty() && connected.count(ipfs_peer) > 0)) {
          backoff.erase(peer);
          continue;
        }
        auto& b = backoff[peer];
        if (now < b.next) continue;
        util::Status st = util::unavailable("no address");
        for (const auto& a : addrs) {
          st = ipfs_->swarm_connect(a);
          if (st.is_ok()) break;
        }
        if (st.is_ok()) {
          log_->info("IPFS connected to peer {}'s IPFS {}", peer, ipfs_peer);
          backoff.erase(peer);
        } else {
          b.delay = std::min<std::chrono::seconds>(kConnectBackoffMax,
                                                   b.delay.count() == 0 ? kConnectBackoffMin : b.delay * 2);
          b.next = now + b.delay;
          log_->warn("cannot connect IPFS to peer {}'s IPFS ({}); next try in {} s", peer, st.message(),
                     b.delay.count());
        }
      }
    }
    std::unique_lock lock(ipfs_mu_);
    ipfs_cv_.wait_for(lock, kWatchPeriod, [this] { return ipfs_stop_ || ipfs_targets_changed_; });
    if (ipfs_stop_) return;
  }
}

}  // namespace cl::node
