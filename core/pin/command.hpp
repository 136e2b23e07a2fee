#pragma once
// Command: the data of one replicated log entry, a list of operations applied in order and
// atomically by the pinset state machine (core/cluster). Encoded with protobuf (pin.proto).
#include <string>
#include <variant>
#include <vector>

#include "pin/pin.hpp"

namespace cl::pin {

// What every peer knows about every other, replicated through the log.
struct PeerInfo {
  std::string peer_id;
  std::uint64_t node_id = 0;            // Raft node id derived from peer_id
  std::string addr;                     // host:port other peers dial
  std::vector<std::string> ipfs_addrs;  // multiaddrs of its IPFS node
  std::string version;
  friend bool operator==(const PeerInfo&, const PeerInfo&) = default;
};

struct PinOp {
  Pin pin;
};
struct UnpinOp {
  cid::Cid cid;
};
// import --replace: begin a staging area, fill it in batches, then swap it in (or abort).
struct ImportBegin {
  std::string token;
};
struct ImportPut {
  std::string token;
  std::vector<Pin> pins;
};
struct ImportCommit {
  std::string token;
};
struct ImportAbort {
  std::string token;
};
struct PeerSet {
  PeerInfo peer;
};
struct PeerRemove {
  std::string peer_id;
};

// The leader's repin and expiry act on a pin it read; a user's change that lands first wins: these
// apply only while the stored pin still has timestamp_ms == if_timestamp_ms (else they do nothing),
// so a repin never brings back a removed pin nor undoes new options.
struct ReallocateOp {
  cid::Cid cid;
  std::vector<std::string> allocations;  // sorted, as the allocator returns them
  std::int64_t if_timestamp_ms = 0;
};
struct ExpireOp {
  cid::Cid cid;
  std::int64_t if_timestamp_ms = 0;
};

using Op = std::variant<PinOp, UnpinOp, ImportBegin, ImportPut, ImportCommit, ImportAbort, PeerSet,
                        PeerRemove, ReallocateOp, ExpireOp>;

struct Command {
  std::vector<Op> ops;
};

std::string encode_command(const Command& command);
// Code::corrupt when the bytes are not a Command or hold an invalid CID.
util::Result<Command> decode_command(std::string_view bytes);

// A pinset row: the value stored under the CID's bytes (the CID itself is not repeated).
std::string encode_pin_row(const Pin& pin);
util::Result<Pin> decode_pin_row(std::string_view cid_bytes, std::string_view value);

std::string encode_peer(const PeerInfo& peer);
util::Result<PeerInfo> decode_peer(std::string_view bytes);

}  // namespace cl::pin
