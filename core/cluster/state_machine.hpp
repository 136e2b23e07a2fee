#pragma once
// The pinset state machine: applies one committed Command (pin/command.hpp) to the replicated state
// through a store::StateWriter, inside the store's apply transaction. Deterministic: the same
// entries give the same state on every peer. A malformed command is skipped (and reported through
// the returned count), never an error: an error here means the storage failed.
//
// Layout of the state (store namespaces):
//   pins:    CID bytes -> encode_pin_row(pin)
//   peers:   peer ID   -> encode_peer(info)
//   staging: token (16 bytes) + CID bytes -> encode_pin_row(pin), for import --replace
#include <functional>
#include <string_view>

#include "pin/command.hpp"
#include "store/store.hpp"

namespace cl::cluster {

inline constexpr std::size_t kImportTokenBytes = 16;

// Told about every change to the pinset, in order, while an entry is applied. The calls happen
// inside the store transaction: a sink must only record them and act once save() succeeded.
class ChangeSink {
 public:
  virtual ~ChangeSink() = default;
  virtual void pin_set(const pin::Pin& pin) = 0;  // added or replaced
  virtual void pin_removed(const cid::Cid& cid) = 0;
  virtual void pinset_replaced() = 0;  // import --replace: re-read everything
  virtual void peer_set(const pin::PeerInfo& peer) = 0;
  virtual void peer_removed(const std::string& peer_id) = 0;
};

struct ApplyResult {
  bool malformed = false;  // the entry was not a valid command and was skipped
  std::string error;       // why, for the log
};

// Applies the command in `data` (a normal entry's data; empty data is the leader's no-op).
util::Result<ApplyResult> apply_command(std::string_view data, store::StateWriter& w, ChangeSink* sink);

// Reads a pin from the state; nullopt if the CID is not pinned.
util::Result<std::optional<pin::Pin>> read_pin(store::Store& s, const cid::Cid& cid);

}  // namespace cl::cluster
