#include "testkit.hpp"

#include "util/assert.hpp"
#include "util/bytes.hpp"

namespace cl::raft::test {

void CaptureLogger::log(LogLevel level, std::string_view line) {
  std::string s;
  if (level != LogLevel::info) s = std::string(log_level_name(level)) + ": ";
  s.append(line);
  lines_.push_back(std::move(s));
}

std::vector<std::string> CaptureLogger::take() {
  std::vector<std::string> out;
  out.swap(lines_);
  return out;
}

std::string App::encode() const {
  std::string out;
  util::put_uvarint(out, data.size());
  for (const auto& d : data) {
    util::put_uvarint(out, d.size());
    out += d;
  }
  return out;
}

void App::decode(const std::string& bytes) {
  std::size_t pos = 0;
  auto n = util::get_uvarint(bytes, pos);
  CL_ASSERT(n.has_value(), "bad test snapshot");
  data.clear();
  for (std::uint64_t i = 0; i < *n; ++i) {
    auto len = util::get_uvarint(bytes, pos);
    CL_ASSERT(len && pos + *len <= bytes.size(), "bad test snapshot");
    data.push_back(bytes.substr(pos, *len));
    pos += *len;
  }
}

Network::Network(const Config& base, Logger* logger) : base_(base), logger_(logger) {}

void Network::start(TestNode& n) {
  n.cfg = base_;
  n.cfg.id = n.id;
  n.cfg.storage = n.storage.get();
  n.cfg.logger = logger_;
  n.cfg.applied = n.app.applied;
  n.cfg.seed = base_.seed * 1000003 + n.id;
  auto raw = RawNode::create(n.cfg);
  CL_ASSERT(raw.is_ok(), raw.status().to_string().c_str());
  n.raw = std::move(raw).value();
  n.down = false;
}

TestNode& Network::add(NodeId id, const ConfState& conf) {
  TestNode& n = nodes_[id];
  n.id = id;
  n.storage = std::make_unique<MemoryStorage>();
  n.storage->set_conf_state(conf);
  n.app.conf = conf;
  start(n);
  return n;
}

TestNode& Network::add_bootstrapped(NodeId id, const ConfState& conf) {
  TestNode& n = nodes_[id];
  n.id = id;
  n.storage = std::make_unique<MemoryStorage>();
  auto entries = bootstrap_entries(conf);
  const Index last = entries.size();
  CL_ASSERT(n.storage->append(std::move(entries)).is_ok(), "bootstrap append failed");
  n.storage->set_hard_state(HardState{1, kNoNode, last});
  start(n);
  return n;
}

TestNode& Network::add_empty(NodeId id) {
  TestNode& n = nodes_[id];
  n.id = id;
  n.storage = std::make_unique<MemoryStorage>();
  start(n);
  return n;
}

TestNode& Network::node(NodeId id) {
  auto it = nodes_.find(id);
  CL_ASSERT(it != nodes_.end(), "no such test node");
  return it->second;
}

std::vector<NodeId> Network::ids() const {
  std::vector<NodeId> out;
  for (const auto& [id, n] : nodes_) out.push_back(id);
  return out;
}

bool Network::process_ready(NodeId id, const std::function<void(NodeId, const Ready&)>& observer) {
  TestNode& n = node(id);
  if (n.down || !n.raw->has_ready()) return false;
  Ready rd = n.raw->ready();
  if (observer) observer(id, rd);
  MemoryStorage& st = *n.storage;
  App& app = n.app;
  // 1-2: persist.
  for (auto& c : rd.snapshot_chunks) {
    if (c.offset == 0) {
      app.staging.clear();
      app.staging_meta = c.meta;
    }
    CL_ASSERT(app.staging.size() == c.offset, "snapshot chunk out of order");
    app.staging += c.data;
  }
  if (rd.snapshot) {
    CL_ASSERT(app.staging_meta && *app.staging_meta == *rd.snapshot,
              "installing a snapshot that was not staged");
    CL_ASSERT(app.staging.size() == rd.snapshot->size_bytes, "staged snapshot has the wrong size");
    st.apply_snapshot(*rd.snapshot, app.staging);
    app.decode(app.staging);
    app.applied = rd.snapshot->index;
    app.conf = rd.snapshot->conf;
    app.staging.clear();
    app.staging_meta.reset();
  }
  if (!rd.entries.empty()) CL_ASSERT(st.append(rd.entries).is_ok(), "append failed");
  if (rd.hard_state) st.set_hard_state(*rd.hard_state);
  // 3: send.
  for (auto& m : rd.messages) queue_.push_back(std::move(m));
  // 4: apply.
  for (const auto& e : rd.committed_entries) {
    CL_ASSERT(e.index == app.applied + 1, "committed entries out of order");
    app.applied = e.index;
    if (e.type == EntryType::conf_change) {
      auto cc = decode_conf_change(e.data);
      if (cc.is_ok()) {
        auto next = apply_conf_change(app.conf, *cc);
        if (next.is_ok()) app.conf = *next;
      }
    } else if (!e.data.empty()) {
      app.data.push_back(e.data);
    }
  }
  st.set_conf_state(app.conf);
  for (auto& r : rd.read_states) app.read_states.push_back(std::move(r));
  n.raw->advance();
  return true;
}

bool Network::blocked(NodeId from, NodeId to) const {
  return cuts_.count({from, to}) != 0;
}

bool Network::deliver_one(Message&& m) {
  auto it = nodes_.find(m.to);
  if (it == nodes_.end() || it->second.down || blocked(m.from, m.to)) return false;
  auto st = it->second.raw->step(std::move(m));
  CL_ASSERT(st.is_ok(), st.to_string().c_str());
  return true;
}

std::size_t Network::deliver(const std::function<bool(const Message&)>& filter) {
  std::deque<Message> batch;
  batch.swap(queue_);
  std::size_t delivered = 0;
  for (auto& m : batch) {
    if (filter && !filter(m)) continue;
    if (deliver_one(std::move(m))) ++delivered;
  }
  return delivered;
}

void Network::stabilize(std::size_t max_rounds) {
  for (std::size_t round = 0; round < max_rounds; ++round) {
    bool any = false;
    for (auto& [id, n] : nodes_) any = process_ready(id) || any;
    any = deliver() > 0 || any;
    if (!any) return;
  }
  CL_ASSERT(false, "the test cluster did not stabilize");
}

void Network::tick(NodeId id, int n) {
  for (int i = 0; i < n; ++i) node(id).raw->tick();
}

void Network::tick_all(int n) {
  for (int i = 0; i < n; ++i)
    for (auto& [id, node] : nodes_)
      if (!node.down) node.raw->tick();
}

void Network::cut(NodeId a, NodeId b) {
  cuts_.insert({a, b});
  cuts_.insert({b, a});
}

void Network::cut_one_way(NodeId from, NodeId to) {
  cuts_.insert({from, to});
}

void Network::isolate(NodeId id) {
  for (const auto& [other, n] : nodes_)
    if (other != id) cut(id, other);
}

void Network::heal() {
  cuts_.clear();
}

void Network::crash(NodeId id) {
  TestNode& n = node(id);
  n.down = true;
  n.raw.reset();
  std::deque<Message> kept;
  for (auto& m : queue_)
    if (m.to != id && m.from != id) kept.push_back(std::move(m));
  queue_.swap(kept);
}

void Network::restart(NodeId id) {
  TestNode& n = node(id);
  n.app.staging.clear();
  n.app.staging_meta.reset();
  start(n);
}

util::Status Network::compact(NodeId id) {
  TestNode& n = node(id);
  CL_TRY_STATUS(n.storage->create_snapshot(n.app.applied, n.app.conf, n.app.encode()));
  return n.storage->compact(n.app.applied);
}

void Network::elect(NodeId id) {
  node(id).raw->campaign();
  stabilize();
}

NodeId Network::leader() const {
  NodeId best = kNoNode;
  Term best_term = 0;
  for (const auto& [id, n] : nodes_) {
    if (n.down || n.raw->role() != Role::leader) continue;
    if (n.raw->term() >= best_term) {
      best = id;
      best_term = n.raw->term();
    }
  }
  return best;
}

}  // namespace cl::raft::test
