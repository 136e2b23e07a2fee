// Node: pin expiry at the leader. The leader walks the pinset, a page per tick, and proposes
// ExpireOps (batched, one entry in flight at a time) for pins whose expire_at passed by its wall
// clock (clock_, so tests can drive it). An ExpireOp names the pin's timestamp: a pin re-added
// since the leader read it is kept.
//
// When: a pass starts on the first tick as leader, then at the soonest expire_at the last pass saw
// (at least kExpiryPassMin, at most kExpiryPassMax later); a pin added with an expiry through this
// leader pulls the next pass to its expire_at (note_expiry). So a pin disappears within about
// kExpiryPassMin plus one pass (a page per tick) of its expire_at, and a pin whose expiry came some
// other way (import) within kExpiryPassMax.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "cluster/expiry.hpp"
#include "node/node.hpp"
#include "node/pin_page.hpp"

namespace cl::node {

namespace {

constexpr std::size_t kExpiryPageMax = kPinPageMax;  // pins read per tick
constexpr std::size_t kExpiryEntryPinsMax = 256;     // ExpireOps per log entry
constexpr std::int64_t kExpiryPassMinMs = 1'000;
constexpr std::int64_t kExpiryPassMaxMs = 600'000;

}  // namespace

void Node::expiry_tick() {
  if (expiry_proposing_) return;
  const auto now = clock_.monotonic();
  if (!expiry_.active) {
    if (now < expiry_next_pass_) return;
    expiry_ = ExpiryPass{};
    expiry_.active = true;
    expiry_next_pass_ = util::Nanos::max();  // note_expiry may pull it in during the pass
  }
  auto page = read_pin_page(*store_, expiry_.after, kExpiryPageMax);
  if (!page) {
    log_->warn("expiry: reading the pinset: {}", page.status().message());
    return;
  }
  const std::int64_t wall_ms = clock_.wall().count();
  auto sel = cluster::select_expired(page->pins, wall_ms, kExpiryEntryPinsMax);
  const bool page_done = sel.next_index == page->pins.size();
  expiry_.after = page_done ? page->next_after : page->keys[sel.next_index - 1];
  for (std::size_t i = 0; i < sel.next_index; ++i) {
    const auto at = page->pins[i].expire_at_ms;
    if (at > wall_ms && (expiry_.soonest_ms == 0 || at < expiry_.soonest_ms)) expiry_.soonest_ms = at;
  }
  if (page_done && page->last) {
    expiry_.active = false;
    std::int64_t wait_ms = expiry_.soonest_ms == 0 ? kExpiryPassMaxMs : expiry_.soonest_ms - wall_ms;
    wait_ms = std::clamp(wait_ms, kExpiryPassMinMs, kExpiryPassMaxMs);
    expiry_next_pass_ = std::min(expiry_next_pass_, now + util::Millis(wait_ms));
  }
  if (sel.expired.empty()) return;
  pin::Command cmd;
  for (auto& op : sel.expired) cmd.ops.emplace_back(std::move(op));
  const std::size_t n = cmd.ops.size();
  expiry_proposing_ = true;
  propose_command(cmd, [this, n](util::Status st) {
    expiry_proposing_ = false;
    if (st.is_ok()) {
      log_->info("expiry: unpinned {} expired pin(s)", n);
    } else {
      log_->warn("expiry: proposing {} unpins: {}", n, st.message());
    }
  });
}

void Node::note_expiry(std::int64_t expire_at_ms) {
  if (expire_at_ms <= 0 || !is_leader()) return;
  const std::int64_t wait_ms = std::max<std::int64_t>(0, expire_at_ms - clock_.wall().count());
  const auto at = clock_.monotonic() + util::Millis(wait_ms);
  if (at < expiry_next_pass_) expiry_next_pass_ = at;
}

}  // namespace cl::node
