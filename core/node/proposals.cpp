#include "node/proposals.hpp"

namespace cl::node {

void Proposals::add(raft::EntryId id, util::Nanos deadline, Done done) {
  pending_.emplace(id.index, Pending{id.term, deadline, std::move(done)});
}

void Proposals::applied(raft::Term term, raft::Index index) {
  while (!pending_.empty() && pending_.begin()->first <= index) {
    auto node = pending_.extract(pending_.begin());
    Pending& p = node.mapped();
    if (node.key() == index && p.term == term) {
      p.done(util::Status::ok());
    } else {
      p.done(util::unavailable("the proposal was lost in a leader change (entry " +
                               std::to_string(node.key()) + " holds another term); retry"));
    }
  }
}

void Proposals::snapshot_installed(raft::Index index) {
  while (!pending_.empty() && pending_.begin()->first <= index) {
    auto node = pending_.extract(pending_.begin());
    node.mapped().done(
        util::unavailable("a snapshot replaced the log before the proposal could be confirmed; retry"));
  }
}

void Proposals::expire(util::Nanos now) {
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second.deadline <= now) {
      auto done = std::move(it->second.done);
      it = pending_.erase(it);
      done(util::timeout_error("not committed in time; it may still be applied (check with cl-pin get)"));
    } else {
      ++it;
    }
  }
}

void Proposals::fail_all(const util::Status& status) {
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& [index, p] : pending) p.done(status);
}

}  // namespace cl::node
