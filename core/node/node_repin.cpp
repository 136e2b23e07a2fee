// Node: repinning at the leader. When a peer has been down for repin_delay (cluster::Monitor says
// "dead"), or a peer left the cluster, the leader walks the pinset a page per tick and re-allocates
// every pin whose live allocations fell below rmin (cluster::plan_repins), proposing the new
// allocations in batched entries of ReallocateOps (applied only if the pin did not change since it
// was read, so a repin never undoes a user's pin.rm or pin.update).
//
// Pins with rmin live allocations left are not touched, even if one of their peers is dead: moving
// data is what users notice, and a peer that comes back still holds its copies. A pin that was
// moved no longer lists the dead peer, so when that peer returns its tracker unpins it there.
//
// A pass starts when the set of dead peers or of cluster members differs from the last finished
// pass (this includes the first tick as leader), or, when the last pass left pins it could not
// re-allocate (not enough peers), again after kRepinRetryInterval. One entry is in flight at a time.
#include <spdlog/spdlog.h>

#include "cluster/allocator.hpp"
#include "cluster/repin.hpp"
#include "node/node.hpp"
#include "node/pin_page.hpp"

namespace cl::node {

namespace {

constexpr std::size_t kRepinPageMax = 256;       // pins read per tick
constexpr std::size_t kRepinEntryPinsMax = 128;  // ReallocateOps per log entry
constexpr util::Nanos kRepinRetryInterval = std::chrono::seconds(30);

std::set<std::string> member_ids(const cluster::PeerReports& reports) {
  std::set<std::string> out;
  for (const auto& [id, r] : reports) out.insert(id);
  return out;
}

}  // namespace

void Node::repin_tick() {
  if (opts_.config.repin_delay.count() == 0 || repin_proposing_) return;
  const auto now = clock_.monotonic();
  if (!repin_.active) {
    auto dead = monitor_.dead();
    auto members = member_ids(monitor_.reports());
    const bool changed = dead != repin_done_.dead || members != repin_done_.members;
    const bool retry = repin_done_.failed > 0 && now >= repin_retry_at_;
    if (!changed && !retry) return;
    repin_ = RepinPass{};
    repin_.active = true;
    repin_.dead = std::move(dead);
    repin_.members = std::move(members);
    if (!repin_.dead.empty()) {
      log_->info("repin: {} peer(s) down for {}ms or more; re-allocating pins below rmin", repin_.dead.size(),
                 opts_.config.repin_delay.count());
    }
  }

  auto page = read_pin_page(*store_, repin_.after, kRepinPageMax);
  if (!page) {
    log_->warn("repin: reading the pinset: {}", page.status().message());
    return;  // the next tick tries again
  }
  auto plan = cluster::plan_repins(page->pins, peer_table(), allocate_by_, kRepinEntryPinsMax);
  const bool page_done = plan.next_index == page->pins.size();
  if (page_done) {
    repin_.after = page->next_after;
  } else {
    repin_.after = page->keys[plan.next_index - 1];
  }
  for (const auto& [peer, n] : plan.moved_from) repin_.moved[peer] += n;
  if (plan.failed > 0 && repin_.failed == 0) repin_.first_error = plan.first_error;
  repin_.failed += plan.failed;
  const bool pass_done = page_done && page->last;

  if (!plan.changed.empty()) {
    pin::Command cmd;
    for (const auto& p : plan.changed) {
      cmd.ops.push_back(pin::ReallocateOp{p.cid, p.allocations, p.timestamp_ms});
    }
    const std::size_t n = plan.changed.size();
    repin_proposing_ = true;
    propose_command(cmd, [this, n, pass_done](util::Status st) {
      repin_proposing_ = false;
      if (!st.is_ok()) {
        log_->warn("repin: proposing {} re-allocations: {}", n, st.message());
        repin_.failed += n;  // the pass ends with failures: retried later
      }
      if (pass_done && repin_.active) finish_repin_pass();
    });
    return;
  }
  if (pass_done) finish_repin_pass();
}

void Node::finish_repin_pass() {
  const auto wall_ms = clock_.wall().count();
  for (const auto& [peer, n] : repin_.moved) {
    if (n == 0) continue;
    monitor_.record_repin(peer, n, wall_ms);
    log_->info("repin: moved {} pin(s) off {}", n, peer);
  }
  if (repin_.failed > 0) {
    log_->warn("repin: {} pin(s) stay below rmin: {}", repin_.failed, repin_.first_error);
  }
  repin_.active = false;
  repin_done_ = std::move(repin_);
  repin_ = RepinPass{};
  repin_retry_at_ = clock_.monotonic() + kRepinRetryInterval;
}

}  // namespace cl::node
