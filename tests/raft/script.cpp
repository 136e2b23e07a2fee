// raft_script commands. Every command prints what happened: the Raft logs (info level unless
// `log-level debug`), each Ready handled and each message delivered.
//
//   add-nodes N [voters=1,2,3] [learners=4] [bootstrap=true] [empty=true]
//             [pre-vote=B] [check-quorum=B] [election=T] [heartbeat=T] [max-entries=N]
//             [max-bytes=N] [inflight=N] [chunk-bytes=N] [uncommitted-bytes=N] [seed=N]
//       Adds N nodes with the next ids. The membership defaults to voters = the nodes added;
//       bootstrap=true puts it in the log as bootstrap entries; empty=true starts them with no
//       membership (joiners). Limits apply from the first add-nodes on.
//   campaign ID | tick ID [N] | tick-all [N]
//   propose ID DATA | propose-conf-change ID add-voter|add-learner|promote|remove NODE
//   transfer-leader ID TARGET | read-index ID CONTEXT
//   report-unreachable ID PEER | report-snapshot-failed ID PEER
//   process-ready ID...            handle the Readys of these nodes
//   deliver [from=ID] [to=ID] [drop=true]   deliver (or drop) the queued messages that match, once
//   stabilize                      handle Readys and deliver until nothing happens
//   isolate ID | cut A B | cut-one-way FROM TO | heal
//   crash ID | restart ID          crash loses nothing persisted (persistence is immediate here)
//   compact ID                     snapshot the node's state at its applied index, compact its log
//   snapshot-unavailable ID true|false
//   status ID | log ID | app ID | log-level debug|info
#include "script.hpp"

#include <map>
#include <sstream>

#include "raft/conf_change.hpp"

namespace cl::raft::script {

struct Runner::Args {
  std::string cmd;
  std::vector<std::string> pos;
  std::map<std::string, std::string> kv;

  NodeId id(std::size_t i) const {
    if (i >= pos.size()) throw std::runtime_error("missing argument " + std::to_string(i + 1));
    return std::stoull(pos[i]);
  }
  std::string str(std::size_t i) const {
    if (i >= pos.size()) throw std::runtime_error("missing argument " + std::to_string(i + 1));
    return pos[i];
  }
  std::uint64_t num(const std::string& key, std::uint64_t def) const {
    auto it = kv.find(key);
    return it == kv.end() ? def : std::stoull(it->second);
  }
  bool flag(const std::string& key, bool def) const {
    auto it = kv.find(key);
    return it == kv.end() ? def : it->second == "true";
  }
  std::vector<NodeId> ids(const std::string& key) const {
    std::vector<NodeId> out;
    auto it = kv.find(key);
    if (it == kv.end()) return out;
    std::stringstream ss(it->second);
    for (std::string part; std::getline(ss, part, ',');)
      if (!part.empty()) out.push_back(std::stoull(part));
    return out;
  }
};

namespace {
std::string join_entries(const std::vector<Entry>& es) {
  std::string s;
  for (std::size_t i = 0; i < es.size(); ++i) s += (i ? ", " : "") + describe(es[i]);
  return s;
}
}  // namespace

Runner::Runner() : logger_(LogLevel::info) {}

void Runner::flush_logs() {
  for (auto& l : logger_.take()) out(std::move(l));
}

std::vector<std::string> Runner::run(const std::string& line) {
  out_.clear();
  Args a;
  std::stringstream ss(line);
  ss >> a.cmd;
  for (std::string tok; ss >> tok;) {
    auto eq = tok.find('=');
    if (eq == std::string::npos)
      a.pos.push_back(tok);
    else
      a.kv[tok.substr(0, eq)] = tok.substr(eq + 1);
  }
  try {
    if (a.cmd != "add-nodes" && !net_) throw std::runtime_error("add-nodes first");
    const std::string& c = a.cmd;
    if (c == "add-nodes") {
      cmd_add_nodes(a);
    } else if (c == "campaign") {
      net_->node(a.id(0))->campaign();
    } else if (c == "tick") {
      net_->tick(a.id(0), a.pos.size() > 1 ? std::stoi(a.pos[1]) : 1);
    } else if (c == "tick-all") {
      net_->tick_all(a.pos.empty() ? 1 : std::stoi(a.pos[0]));
    } else if (c == "propose") {
      auto r = net_->node(a.id(0))->propose(a.str(1));
      flush_logs();
      out(r.is_ok() ? "proposed at " + std::to_string(r->term) + "/" + std::to_string(r->index)
                 : "error: " + r.status().to_string());
    } else if (c == "propose-conf-change") {
      static const std::map<std::string, ConfChangeType> types = {
          {"add-voter", ConfChangeType::add_voter},
          {"add-learner", ConfChangeType::add_learner},
          {"promote", ConfChangeType::promote_to_voter},
          {"remove", ConfChangeType::remove}};
      auto t = types.find(a.str(1));
      if (t == types.end()) throw std::runtime_error("unknown conf change type '" + a.str(1) + "'");
      auto r = net_->node(a.id(0))->propose_conf_change(ConfChange{t->second, a.id(2), {}});
      flush_logs();
      out(r.is_ok() ? "proposed at " + std::to_string(r->term) + "/" + std::to_string(r->index)
                 : "error: " + r.status().to_string());
    } else if (c == "transfer-leader") {
      auto st = net_->node(a.id(0))->transfer_leader(a.id(1));
      flush_logs();
      if (!st.is_ok()) out("error: " + st.to_string());
    } else if (c == "read-index") {
      auto st = net_->node(a.id(0))->read_index(a.str(1));
      flush_logs();
      if (!st.is_ok()) out("error: " + st.to_string());
    } else if (c == "report-unreachable") {
      net_->node(a.id(0))->report_unreachable(a.id(1));
    } else if (c == "report-snapshot-failed") {
      net_->node(a.id(0))->report_snapshot_failed(a.id(1));
    } else if (c == "process-ready") {
      cmd_process_ready(a);
    } else if (c == "deliver") {
      cmd_deliver(a);
    } else if (c == "stabilize") {
      cmd_stabilize(a);
    } else if (c == "isolate") {
      net_->isolate(a.id(0));
    } else if (c == "cut") {
      net_->cut(a.id(0), a.id(1));
    } else if (c == "cut-one-way") {
      net_->cut_one_way(a.id(0), a.id(1));
    } else if (c == "heal") {
      net_->heal();
    } else if (c == "crash") {
      net_->crash(a.id(0));
    } else if (c == "restart") {
      net_->restart(a.id(0));
    } else if (c == "compact") {
      auto st = net_->compact(a.id(0));
      if (!st.is_ok()) out("error: " + st.to_string());
      auto& s = *net_->node(a.id(0)).storage;
      out("compacted: log starts at " + std::to_string(s.first_index()) + ", snapshot " +
          std::to_string(s.snapshot_meta()->term) + "/" + std::to_string(s.snapshot_meta()->index) + " (" +
          std::to_string(s.snapshot_data().size()) + " bytes)");
    } else if (c == "snapshot-unavailable") {
      net_->node(a.id(0)).storage->set_snapshot_unavailable(a.str(1) == "true");
    } else if (c == "status") {
      cmd_status(a);
    } else if (c == "log") {
      cmd_log(a);
    } else if (c == "app") {
      const auto& app = net_->node(a.id(0)).app;
      std::string data;
      for (std::size_t i = 0; i < app.data.size(); ++i) data += (i ? " " : "") + app.data[i];
      out("applied=" + std::to_string(app.applied) + " data=[" + data + "] " + describe(app.conf));
    } else if (c == "log-level") {
      logger_.set_level(a.str(0) == "debug" ? LogLevel::debug : LogLevel::info);
    } else {
      throw std::runtime_error("unknown command '" + c + "'");
    }
  } catch (const std::exception& e) {
    flush_logs();
    out(std::string("error: ") + e.what());
  }
  flush_logs();
  return out_;
}

void Runner::cmd_add_nodes(const Args& a) {
  const std::size_t n = a.id(0);
  if (!net_) {
    Config c;
    c.pre_vote = a.flag("pre-vote", true);
    c.check_quorum = a.flag("check-quorum", true);
    c.election_ticks = static_cast<int>(a.num("election", 10));
    c.heartbeat_ticks = static_cast<int>(a.num("heartbeat", 1));
    c.entries_per_msg_max = a.num("max-entries", c.entries_per_msg_max);
    c.bytes_per_msg_max = a.num("max-bytes", c.bytes_per_msg_max);
    c.inflight_msgs_max = a.num("inflight", c.inflight_msgs_max);
    c.snapshot_chunk_bytes = a.num("chunk-bytes", c.snapshot_chunk_bytes);
    c.max_uncommitted_bytes = a.num("uncommitted-bytes", c.max_uncommitted_bytes);
    c.seed = a.num("seed", 1);
    net_ = std::make_unique<test::Network>(c, &logger_);
  }
  ConfState conf;
  conf.voters = a.ids("voters");
  conf.learners = a.ids("learners");
  if (conf.voters.empty() && conf.learners.empty())
    for (std::size_t i = 0; i < n; ++i) conf.voters.push_back(next_id_ + i);
  for (std::size_t i = 0; i < n; ++i) {
    const NodeId id = next_id_++;
    if (a.flag("empty", false))
      net_->add_empty(id);
    else if (a.flag("bootstrap", false))
      net_->add_bootstrapped(id, conf);
    else
      net_->add(id, conf);
  }
}

void Runner::process_ready(NodeId id) {
  net_->process_ready(id, [this](NodeId nid, const Ready& rd) {
    flush_logs();
    out("> " + std::to_string(nid) + " handling Ready");
    if (rd.soft_state)
      out("  soft: leader=" + std::to_string(rd.soft_state->leader) +
          " role=" + std::string(role_name(rd.soft_state->role)));
    if (rd.hard_state)
      out("  hard: term=" + std::to_string(rd.hard_state->term) + " vote=" +
          std::to_string(rd.hard_state->vote) + " commit=" + std::to_string(rd.hard_state->commit));
    if (!rd.entries.empty()) out("  entries: " + join_entries(rd.entries));
    for (const auto& c : rd.snapshot_chunks)
      out("  snapshot-chunk: " + std::to_string(c.meta.term) + "/" + std::to_string(c.meta.index) +
          " offset=" + std::to_string(c.offset) + " bytes=" + std::to_string(c.data.size()) +
          (c.last ? " last" : ""));
    if (rd.snapshot)
      out("  snapshot: " + std::to_string(rd.snapshot->term) + "/" + std::to_string(rd.snapshot->index) +
          " " + describe(rd.snapshot->conf));
    for (const auto& m : rd.messages) out("  send: " + describe(m));
    if (!rd.committed_entries.empty()) out("  apply: " + join_entries(rd.committed_entries));
    for (const auto& r : rd.read_states)
      out("  read: index=" + std::to_string(r.index) + " context=" + r.context);
  });
  flush_logs();  // e.g. conf changes applied during advance()
}

void Runner::cmd_process_ready(const Args& a) {
  for (std::size_t i = 0; i < a.pos.size(); ++i) process_ready(a.id(i));
}

void Runner::deliver_one_round(NodeId only_to, NodeId only_from, bool drop) {
  // Stepping never queues anything (messages leave through Readys), so one pass is exact.
  std::deque<Message> batch;
  batch.swap(net_->queue());
  for (auto& m : batch) {
    const bool match =
        (only_to == kNoNode || m.to == only_to) && (only_from == kNoNode || m.from == only_from);
    if (!match) {
      net_->queue().push_back(std::move(m));
      continue;
    }
    const std::string d = describe(m);
    if (drop) {
      out("> drop " + d);
      continue;
    }
    const bool delivered = net_->deliver_one(std::move(m));
    out(std::string(delivered ? "> deliver " : "> lost ") + d);
    flush_logs();
  }
}

void Runner::cmd_deliver(const Args& a) {
  deliver_one_round(a.num("to", kNoNode), a.num("from", kNoNode), a.flag("drop", false));
}

void Runner::cmd_stabilize(const Args&) {
  for (int round = 0; round < 1000; ++round) {
    bool any = false;
    for (NodeId id : net_->ids()) {
      if (net_->node(id).down || !net_->node(id)->has_ready()) continue;
      process_ready(id);
      any = true;
    }
    if (!net_->queue().empty()) {
      any = true;
      deliver_one_round(kNoNode, kNoNode, false);
    }
    if (!any) return;
  }
  out("error: did not stabilize in 1000 rounds");
}

void Runner::cmd_status(const Args& a) {
  auto s = net_->node(a.id(0))->status();
  out(std::to_string(s.id) + ": " + std::string(role_name(s.role)) + " term=" + std::to_string(s.term) +
      " vote=" + std::to_string(s.vote) + " leader=" + std::to_string(s.leader) +
      " commit=" + std::to_string(s.commit) + " applied=" + std::to_string(s.applied) + " log=[" +
      std::to_string(s.first_index) + "," + std::to_string(s.last_index) + "] " + describe(s.conf));
  for (const auto& p : s.peers) {
    std::string line = "  " + std::to_string(p.id) + (p.learner ? " learner" : "") + ": " +
                       std::string(progress_state_name(p.state)) + " match=" + std::to_string(p.match) +
                       " next=" + std::to_string(p.next);
    if (p.inflight_msgs) line += " inflight=" + std::to_string(p.inflight_msgs);
    if (p.pending_snapshot) line += " snapshot=" + std::to_string(p.pending_snapshot);
    out(line);
  }
}

void Runner::cmd_log(const Args& a) {
  auto& s = *net_->node(a.id(0)).storage;
  out("log [" + std::to_string(s.first_index()) + "," + std::to_string(s.last_index()) + "]:");
  for (const auto& e : s.all_entries()) out("  " + describe(e));
}

}  // namespace cl::raft::script
