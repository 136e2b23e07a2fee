// Node: snapshots for followers that fell behind, and log compaction.
#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "node/node.hpp"

namespace cl::node {

void Node::maybe_prepare_snapshot() {
  if (snapshot_preparing_ || !store_->snapshot_requested() || !store_error_.is_ok()) return;
  snapshot_preparing_ = true;
  log_->info("a follower needs a snapshot: writing one at index {}", store_->applied_index());
  // A consistent read on its own connection, off the io thread: the cluster keeps committing.
  boost::asio::post(workers_, [this] {
    auto meta = store_->prepare_snapshot();
    boost::asio::post(io_, [this, meta = std::move(meta)]() mutable {
      snapshot_preparing_ = false;
      if (stopped_) return;
      if (!meta) {
        log_->error("writing a snapshot: {}", meta.status().message());
        return;
      }
      store_->adopt_snapshot(*meta);
      log_->info("snapshot at index {} ready ({} bytes)", meta->index, meta->size_bytes);
      schedule_ready();
    });
  });
}

void Node::maybe_compact() {
  // Keep the last snapshot_interval_entries entries for followers that are a little behind; a
  // follower further behind gets a snapshot instead.
  const auto keep =
      static_cast<raft::Index>(std::max<std::int64_t>(1, opts_.config.snapshot_interval_entries));
  const auto applied = store_->applied_index();
  const auto log_start = store_->first_index() - 1;
  if (applied < log_start + 2 * keep || !store_error_.is_ok()) return;
  auto st = store_->compact(applied - keep);
  if (!st.is_ok()) {
    log_->warn("compacting the log: {}", st.message());
    return;
  }
  log_->debug("compacted the log up to index {}", applied - keep);
}

}  // namespace cl::node
