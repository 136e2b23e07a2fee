// Simulation: the network. Every message gets a random delay (so messages reorder), may be lost
// or duplicated, and is dropped on delivery when its link is cut (partitions are per direction) or
// its receiver is down.
#include "simulation.hpp"

namespace cl::sim {

void Simulation::send(raft::Message&& m) {
  ++stats_.messages_sent;
  if (opt_.trace_messages_tick && tick_ == opt_.trace_messages_tick) trace("send " + raft::describe(m));
  ++stats_.sent_by_type[static_cast<std::size_t>(m.type) % 12];
  if (flight_.size() >= kMaxInFlight || rng_.chance(prof_.loss_pm, 1000)) {
    ++stats_.messages_dropped;
    return;
  }
  const auto delay = [&] { return 1 + rng_.below(static_cast<std::uint64_t>(prof_.max_delay_rounds) + 1); };
  if (rng_.chance(prof_.dup_pm, 1000)) flight_.push(InFlight{round_ + delay(), flight_seq_++, m});
  flight_.push(InFlight{round_ + delay(), flight_seq_++, std::move(m)});
}

bool Simulation::blocked(raft::NodeId from, raft::NodeId to) const {
  return blocked_.count({from, to}) != 0;
}

void Simulation::deliver_due() {
  while (!flight_.empty() && flight_.top().due <= round_) {
    InFlight f = std::move(const_cast<InFlight&>(flight_.top()));
    flight_.pop();
    auto it = nodes_.find(f.m.to);
    if (it == nodes_.end() || !it->second.up || blocked(f.m.from, f.m.to)) {
      ++stats_.messages_dropped;
      // A transport notices some of the failures and tells the sender.
      auto from = nodes_.find(f.m.from);
      if (from != nodes_.end() && from->second.up && rng_.chance(1, 4)) {
        if (f.m.type == raft::MessageType::snapshot)
          from->second.raw->report_snapshot_failed(f.m.to);
        else
          from->second.raw->report_unreachable(f.m.to);
      }
      continue;
    }
    SimNode& n = it->second;
    auto st = n.raw->step(std::move(f.m));
    if (!st.is_ok()) throw SimFailure("tick " + std::to_string(tick_) + ": step refused: " + st.to_string());
    observe(n);
  }
}

}  // namespace cl::sim
