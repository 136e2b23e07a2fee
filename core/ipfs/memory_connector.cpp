#include "ipfs/memory_connector.hpp"

#include <chrono>
#include <fstream>
#include <iterator>

namespace cl::ipfs {

namespace {

std::size_t index(MemoryConnector::Op op) {
  return static_cast<std::size_t>(op);
}

Status down_status() {
  return util::unavailable("ipfs at memory: daemon unreachable (MemoryConnector set down)");
}

Cid content_cid(cid::Codec codec, const std::string& bytes) {
  return Cid::v1(codec, cid::Multihash::sha2_256(bytes));
}

}  // namespace

MemoryConnector::MemoryConnector(std::string peer_id) : peer_id_(std::move(peer_id)) {}

void MemoryConnector::provide(const Cid& cid, std::uint64_t size_bytes) {
  std::lock_guard lock(mu_);
  provided_[cid] = size_bytes;
}

void MemoryConnector::fail_next(Op op, Status status, int times) {
  CL_ASSERT(!status.is_ok() && times > 0, "fail_next needs an error status and a positive count");
  std::lock_guard lock(mu_);
  faults_[index(op)] = {std::move(status), times};
}

void MemoryConnector::set_down(bool down) {
  std::lock_guard lock(mu_);
  down_ = down;
  changed_.notify_all();
}

void MemoryConnector::hold(const Cid& cid) {
  std::lock_guard lock(mu_);
  held_.insert(cid);
}

void MemoryConnector::release(const Cid& cid) {
  std::lock_guard lock(mu_);
  held_.erase(cid);
  changed_.notify_all();
}

void MemoryConnector::set_delay(Op op, util::Millis delay) {
  std::lock_guard lock(mu_);
  delays_[index(op)] = delay;
}

void MemoryConnector::set_storage_max(std::uint64_t bytes) {
  std::lock_guard lock(mu_);
  storage_max_bytes_ = bytes;
}

std::map<Cid, PinType> MemoryConnector::pins() const {
  std::lock_guard lock(mu_);
  return pins_;
}

bool MemoryConnector::is_pinned(const Cid& cid) const {
  std::lock_guard lock(mu_);
  return pins_.count(cid) != 0;
}

int MemoryConnector::calls(Op op) const {
  std::lock_guard lock(mu_);
  return calls_[index(op)];
}

int MemoryConnector::pin_adds_in_flight() const {
  std::lock_guard lock(mu_);
  return in_flight_;
}

int MemoryConnector::pin_adds_in_flight_max() const {
  std::lock_guard lock(mu_);
  return in_flight_max_;
}

std::vector<std::string> MemoryConnector::connected() const {
  std::lock_guard lock(mu_);
  return connected_;
}

Status MemoryConnector::enter(Op op, const CancelFlag* cancel) {
  std::unique_lock lock(mu_);
  ++calls_[index(op)];
  if (down_) return down_status();
  Fault& fault = faults_[index(op)];
  if (fault.times > 0) {
    --fault.times;
    return fault.status;
  }
  util::Millis delay = delays_[index(op)];
  if (delay.count() > 0) {
    auto until = std::chrono::steady_clock::now() + delay;
    while (std::chrono::steady_clock::now() < until) {
      if (cancel != nullptr && cancel->cancelled())
        return {util::Code::cancelled, "ipfs at memory: cancelled"};
      changed_.wait_for(lock, std::chrono::milliseconds(5));
    }
  }
  return Status::ok();
}

Result<NodeInfo> MemoryConnector::id() {
  CL_TRY_STATUS(enter(Op::id, nullptr));
  return NodeInfo{peer_id_, {"/memory/p2p/" + peer_id_}, "cl-memory/0"};
}

Result<VersionInfo> MemoryConnector::version() {
  CL_TRY_STATUS(enter(Op::version, nullptr));
  return VersionInfo{"0.0.0-memory", "", "memory"};
}

Status MemoryConnector::pin_add(const Cid& cid, const PinAddOptions& options) {
  CL_TRY_STATUS(enter(Op::pin_add, options.cancel));
  std::unique_lock lock(mu_);
  ++in_flight_;
  in_flight_max_ = std::max(in_flight_max_, in_flight_);
  Status st;
  // Wait while held; the flag is polled because a CancelFlag cannot notify.
  while (held_.count(cid) != 0 && !down_ && !(options.cancel != nullptr && options.cancel->cancelled())) {
    changed_.wait_for(lock, std::chrono::milliseconds(5));
  }
  if (down_) {
    st = down_status();
  } else if (options.cancel != nullptr && options.cancel->cancelled()) {
    st = {util::Code::cancelled, "ipfs pin/add " + util::quote(cid.to_string()) + " at memory: cancelled"};
  } else if (provided_.count(cid) == 0) {
    st = util::timeout_error("ipfs pin/add " + util::quote(cid.to_string()) +
                             " at memory: no progress (nobody provides it)");
  } else {
    // A recursive pin is never downgraded to a direct one (Kubo refuses that).
    auto [it, inserted] = pins_.try_emplace(cid, options.type);
    if (!inserted && options.type == PinType::recursive) it->second = PinType::recursive;
  }
  --in_flight_;
  return st;
}

Status MemoryConnector::pin_rm(const Cid& cid, const CancelFlag* cancel) {
  CL_TRY_STATUS(enter(Op::pin_rm, cancel));
  std::lock_guard lock(mu_);
  pins_.erase(cid);  // not pinned: done all the same
  return Status::ok();
}

Status MemoryConnector::pin_ls(PinType type, const PinSink& on_pin) {
  CL_TRY_STATUS(enter(Op::pin_ls, nullptr));
  std::vector<PinInfo> list;
  {
    std::lock_guard lock(mu_);
    for (const auto& [cid, t] : pins_) {
      if (t == type) list.push_back({cid, t});
    }
  }
  for (const auto& pin : list) CL_TRY_STATUS(on_pin(pin));  // outside the lock: on_pin may call us
  return Status::ok();
}

Status MemoryConnector::pin_update(const Cid& from, const Cid& to, bool unpin, const CancelFlag* cancel) {
  CL_TRY_STATUS(enter(Op::pin_update, cancel));
  std::lock_guard lock(mu_);
  auto it = pins_.find(from);
  if (it == pins_.end() || it->second != PinType::recursive) {
    return util::not_found("ipfs pin/update " + util::quote(from.to_string()) +
                           " at memory: not pinned recursively");
  }
  if (provided_.count(to) == 0) {
    return util::timeout_error("ipfs pin/update " + util::quote(to.to_string()) +
                               " at memory: no progress (nobody provides it)");
  }
  if (unpin) pins_.erase(from);
  pins_[to] = PinType::recursive;
  return Status::ok();
}

Result<RepoStat> MemoryConnector::repo_stat() {
  CL_TRY_STATUS(enter(Op::repo_stat, nullptr));
  std::lock_guard lock(mu_);
  RepoStat stat;
  for (const auto& [cid, type] : pins_) {
    auto p = provided_.find(cid);
    stat.repo_size_bytes += p == provided_.end() ? 0 : p->second;
    ++stat.num_objects;
  }
  stat.storage_max_bytes = storage_max_bytes_;
  stat.repo_path = "memory";
  stat.version = "memory";
  return stat;
}

Status MemoryConnector::swarm_connect(std::string_view multiaddr) {
  CL_TRY_STATUS(enter(Op::swarm_connect, nullptr));
  if (multiaddr.empty() || multiaddr.front() != '/') {
    return util::invalid_argument("ipfs swarm/connect " + util::quote(multiaddr) +
                                  " at memory: not a multiaddr");
  }
  std::lock_guard lock(mu_);
  connected_.emplace_back(multiaddr);
  return Status::ok();
}

Result<std::vector<SwarmPeer>> MemoryConnector::swarm_peers() {
  CL_TRY_STATUS(enter(Op::swarm_peers, nullptr));
  std::lock_guard lock(mu_);
  std::vector<SwarmPeer> peers;
  for (const auto& addr : connected_) {
    auto p2p = addr.rfind("/p2p/");
    peers.push_back({p2p == std::string::npos ? std::string() : addr.substr(p2p + 5), addr});
  }
  return peers;
}

Result<AddedEntry> MemoryConnector::add(const AddRequest& request, const AddSink& on_entry) {
  CL_TRY_STATUS(enter(Op::add, request.cancel));
  std::string bytes;
  std::string name = request.name;
  if (request.content) {
    bytes = *request.content;
  } else {
    std::ifstream in(request.path, std::ios::binary);
    if (!std::filesystem::is_regular_file(request.path) || !in) {
      return util::invalid_argument("ipfs add " + util::quote(request.path.string()) +
                                    " at memory: only regular files and content are modelled");
    }
    bytes.assign(std::istreambuf_iterator<char>(in), {});
    name = request.path.filename().string();
  }
  AddedEntry entry{name, content_cid(cid::Codec::raw, bytes), bytes.size()};
  if (on_entry) CL_TRY_STATUS(on_entry(entry));
  if (request.wrap) {
    AddedEntry dir{"", content_cid(cid::Codec::dag_pb, "dir:" + name + ":" + entry.cid.bytes()),
                   entry.size_bytes};
    if (on_entry) CL_TRY_STATUS(on_entry(dir));
    entry = dir;
  }
  std::lock_guard lock(mu_);
  provided_[entry.cid] = entry.size_bytes;
  if (request.pin) pins_[entry.cid] = PinType::recursive;
  return entry;
}

Result<BlockStat> MemoryConnector::block_stat(const Cid& cid) {
  CL_TRY_STATUS(enter(Op::block_stat, nullptr));
  std::lock_guard lock(mu_);
  auto it = provided_.find(cid);
  if (it == provided_.end()) {
    return util::timeout_error("ipfs block/stat " + util::quote(cid.to_string()) +
                               " at memory: nobody provides it");
  }
  return BlockStat{cid, it->second};
}

}  // namespace cl::ipfs
