#pragma once
// Effects: what applying one Ready changed, recorded inside the store transaction and acted on
// only after it committed (a failed transaction leaves no trace).
//
// For the pin tracker, each pin change also carries the pin as it was before it (nullopt: the CID
// was not in the pinset): RecordingWriter reads the old row just before the state machine
// overwrites or deletes it, and the sink call that follows picks it up.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cluster/state_machine.hpp"
#include "pin/pin.hpp"
#include "raft/types.hpp"
#include "store/store.hpp"

namespace cl::node {

struct Effects final : cluster::ChangeSink {
  std::vector<std::pair<raft::Term, raft::Index>> applied;
  raft::ConfState conf;
  bool conf_changed = false;
  std::vector<pin::PeerInfo> peers_set;
  std::vector<std::string> peers_removed;
  std::vector<pin::Pin> pins_set;
  std::vector<std::optional<pin::Pin>> pins_set_before;  // parallel to pins_set
  std::vector<cid::Cid> pins_removed;
  std::vector<std::optional<pin::Pin>> pins_removed_before;  // parallel to pins_removed
  bool replaced = false;  // the whole pinset was replaced (import --replace)
  bool self_removed = false;
  std::optional<raft::Index> snapshot_installed;

  // Set by RecordingWriter: the key of the pins row about to change and its old value.
  std::string pending_key;
  std::optional<pin::Pin> pending_before;

  void pin_set(const pin::Pin& p) override {
    pins_set.push_back(p);
    pins_set_before.push_back(take_before(p.cid));
  }
  void pin_removed(const cid::Cid& c) override {
    pins_removed.push_back(c);
    pins_removed_before.push_back(take_before(c));
  }
  void pinset_replaced() override { replaced = true; }
  void peer_set(const pin::PeerInfo& p) override { peers_set.push_back(p); }
  void peer_removed(const std::string& id) override { peers_removed.push_back(id); }

 private:
  std::optional<pin::Pin> take_before(const cid::Cid& c) {
    std::optional<pin::Pin> out;
    if (pending_key == c.bytes()) out = std::move(pending_before);
    pending_key.clear();
    pending_before.reset();
    return out;
  }
};

// Forwards every write to `inner`; before a put or del of a pins row, reads the row's old value
// into fx (pending_key, pending_before). Valid only inside the apply callback of Store::save().
class RecordingWriter final : public store::StateWriter {
 public:
  RecordingWriter(store::StateWriter& inner, Effects& fx) : inner_(inner), fx_(fx) {}
  util::Status put(store::Ns ns, std::string_view key, std::string_view value) override {
    if (ns == store::Ns::pins) CL_TRY_STATUS(remember(key));
    return inner_.put(ns, key, value);
  }
  util::Status del(store::Ns ns, std::string_view key) override {
    if (ns == store::Ns::pins) CL_TRY_STATUS(remember(key));
    return inner_.del(ns, key);
  }
  util::Result<std::optional<std::string>> get(store::Ns ns, std::string_view key) override {
    return inner_.get(ns, key);
  }
  util::Status clear(store::Ns ns, std::string_view prefix) override { return inner_.clear(ns, prefix); }
  util::Status scan(store::Ns ns, std::string_view prefix,
                    const std::function<bool(std::string_view, std::string_view)>& fn) override {
    return inner_.scan(ns, prefix, fn);
  }

 private:
  util::Status remember(std::string_view key) {
    fx_.pending_key = std::string(key);
    fx_.pending_before.reset();
    auto old = inner_.get(store::Ns::pins, key);
    if (!old) return old.status();
    if (old->has_value()) {
      auto p = pin::decode_pin_row(key, **old);
      if (p) fx_.pending_before = std::move(*p);  // an undecodable row: treated as absent
    }
    return util::Status::ok();
  }
  store::StateWriter& inner_;
  Effects& fx_;
};

}  // namespace cl::node
