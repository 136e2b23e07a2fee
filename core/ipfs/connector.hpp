#pragma once
// Connector: what cl needs from one IPFS daemon (the Kubo RPC API). HttpConnector
// (http_connector.hpp) speaks to a real daemon; MemoryConnector (memory_connector.hpp) is an
// in-memory stand-in with failure knobs for the tests of the modules above.
//
// Contract for every implementation:
// - Calls block and may run concurrently from many threads (the pin tracker runs
//   `concurrent_pins` workers): implementations are thread-safe.
// - Errors: Code::unavailable (daemon down: connection refused, or closed before any answer, or
//   still in the backoff after a refused connection: retry later), Code::timeout (a deadline passed or a pin
//   made no progress), Code::cancelled (the CancelFlag was set), Code::not_found (where named below),
//   Code::invalid_argument (the daemon rejected an argument: retrying unchanged fails again),
//   Code::io_error (the connection broke in the middle of a reply), Code::internal (the daemon failed; its
//   message is quoted). Messages name the API path, the CID or address, and the daemon's URL.
#include <string_view>
#include <vector>

#include "ipfs/types.hpp"
#include "util/result.hpp"

namespace cl::ipfs {

using util::Result;
using util::Status;

class Connector {
 public:
  virtual ~Connector() = default;

  // /api/v0/id: the daemon's peer ID and addresses.
  virtual Result<NodeInfo> id() = 0;
  // /api/v0/version
  virtual Result<VersionInfo> version() = 0;

  // /api/v0/pin/add?arg=CID&progress=true: fetch what is missing and pin it. Returns once the
  // daemon has pinned it; Code::timeout when the progress stalled for options.stall_timeout.
  virtual Status pin_add(const Cid& cid, const PinAddOptions& options) = 0;
  // /api/v0/pin/rm?arg=CID (recursive): a CID that is not pinned counts as removed (ok).
  virtual Status pin_rm(const Cid& cid, const CancelFlag* cancel = nullptr) = 0;
  // /api/v0/pin/ls?type=TYPE&stream=true: calls on_pin once per pin of that type, in the
  // daemon's order, from the calling thread, as the reply streams in (never the whole list in
  // memory). No pins: ok without a call.
  virtual Status pin_ls(PinType type, const PinSink& on_pin) = 0;
  // /api/v0/pin/update?arg=FROM&arg=TO&unpin=UNPIN: pin TO (recursively) and, with unpin,
  // unpin FROM. Code::not_found when FROM is not pinned.
  virtual Status pin_update(const Cid& from, const Cid& to, bool unpin,
                            const CancelFlag* cancel = nullptr) = 0;

  // /api/v0/repo/stat
  virtual Result<RepoStat> repo_stat() = 0;
  // /api/v0/swarm/connect?arg=MULTIADDR
  virtual Status swarm_connect(std::string_view multiaddr) = 0;
  // /api/v0/swarm/peers: one entry per connection.
  virtual Result<std::vector<SwarmPeer>> swarm_peers() = 0;

  // /api/v0/add: upload a file, a directory tree or bytes (AddRequest). on_entry (may be empty)
  // sees every added entry as it streams in; the result is the last one, the root.
  virtual Result<AddedEntry> add(const AddRequest& request, const AddSink& on_entry = {}) = 0;
  // /api/v0/block/stat?arg=CID (fetches the block if the daemon does not hold it).
  virtual Result<BlockStat> block_stat(const Cid& cid) = 0;
};

}  // namespace cl::ipfs
