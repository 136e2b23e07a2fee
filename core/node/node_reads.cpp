// Node: linearizable reads through ReadIndex, and waiting for the applied index.
#include "node/node.hpp"

namespace cl::node {

void Node::read_barrier(std::function<void(util::Status)> done) {
  // A peer that cannot write cannot advance its applied index either: it serves reads from its
  // own (possibly stale) state rather than none at all. health says "degraded".
  if (!store_error_.is_ok()) return done(util::Status::ok());
  auto wait = [this, done = std::move(done)](util::Result<raft::Index> index) mutable {
    if (!index) return done(index.status());
    wait_applied(*index, std::move(done));
  };
  if (is_leader()) {
    read_index_here(std::move(wait));
    return;
  }
  leader_call("read.index", Json::object(), [wait = std::move(wait)](util::Result<Json> r) mutable {
    if (!r) return wait(r.status());
    if (!r->contains("index") || !(*r)["index"].is_number_unsigned()) {
      return wait(util::corrupt("read.index: malformed reply from the leader"));
    }
    wait((*r)["index"].get<raft::Index>());
  });
}

void Node::read_index_here(std::function<void(util::Result<raft::Index>)> done) {
  const std::string ctx = std::to_string(next_read_ctx_++);
  auto st = raft_->read_index(ctx);
  if (!st.is_ok()) return done(st);
  reads_.emplace(ctx, std::move(done));
  schedule_ready();
}

void Node::serve_read_states(const std::vector<raft::ReadState>& states) {
  for (const auto& rs : states) {
    auto it = reads_.find(rs.context);
    if (it == reads_.end()) continue;
    auto done = std::move(it->second);
    reads_.erase(it);
    done(rs.index);
  }
}

void Node::wait_applied(raft::Index index, std::function<void(util::Status)> done) {
  if (store_->applied_index() >= index) return done(util::Status::ok());
  apply_waiters_.emplace(index, std::move(done));
}

void Node::fire_apply_waiters() {
  const auto applied = store_->applied_index();
  while (!apply_waiters_.empty() && apply_waiters_.begin()->first <= applied) {
    auto node = apply_waiters_.extract(apply_waiters_.begin());
    node.mapped()(util::Status::ok());
  }
}

}  // namespace cl::node
