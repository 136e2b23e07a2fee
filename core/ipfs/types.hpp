#pragma once
// The values that cross the Connector interface (connector.hpp): what an IPFS daemon reports
// and what a caller asks of it. Plain data, copyable; field names follow the Kubo RPC API.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cid/cid.hpp"
#include "util/duration.hpp"
#include "util/result.hpp"

namespace cl::ipfs {

// CIDs cross the interface in binary form (cl::cid::Cid), compared by bytes: js-ipfs prints a
// CIDv1 in base58btc ("zb2r..."), Kubo in base32 ("bafy..."), and both name the same Cid. They
// are sent to the daemon as Cid::to_string() (v0 "Qm...", v1 base32), which both daemons read.
using Cid = cid::Cid;

enum class PinType : std::uint8_t {
  recursive,  // the CID and everything it links to
  direct,     // the CID's own block only
};
// "recursive" / "direct": the Kubo API's spelling.
std::string_view pin_type_name(PinType type);

// Set from any thread to ask a running call to stop; the call ends with Code::cancelled
// within about a second (libcurl's progress callback period when no data flows).
class CancelFlag {
 public:
  void cancel() noexcept { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> cancelled_{false};
};

// /api/v0/id
struct NodeInfo {
  std::string id;                      // peer ID, "12D3KooW..." or "Qm..."
  std::vector<std::string> addresses;  // multiaddrs, usually ending in /p2p/<id>
  std::string agent_version;           // "kubo/0.25.0", "js-ipfs/0.18.1"
};

// /api/v0/version
struct VersionInfo {
  std::string version;  // "0.18.1"
  std::string commit;   // may be empty
  std::string repo;     // repo version: "12" (js-ipfs), "fs-repo@15" (Kubo)
};

// One line of /api/v0/pin/ls?stream=true
struct PinInfo {
  Cid cid;
  PinType type = PinType::recursive;
};

// /api/v0/repo/stat (js-ipfs sends the numbers as JSON strings, Kubo as numbers: both accepted)
struct RepoStat {
  std::uint64_t repo_size_bytes = 0;
  std::uint64_t storage_max_bytes = 0;  // js-ipfs: 2^53-1 when Datastore.StorageMax is unset
  std::uint64_t num_objects = 0;
  std::string repo_path;
  std::string version;
};

// One connection in /api/v0/swarm/peers (js-ipfs lists a peer once per connection).
struct SwarmPeer {
  std::string peer;  // peer ID
  std::string addr;  // multiaddr of the connection
};

// One line of /api/v0/add: a file or directory that was added.
struct AddedEntry {
  std::string name;  // path relative to the upload ("dir/sub/file"; "" for a wrapping directory)
  Cid cid;
  std::uint64_t size_bytes = 0;  // cumulative DAG size as the daemon reports it
};

// /api/v0/block/stat
struct BlockStat {
  Cid cid;
  std::uint64_t size_bytes = 0;
};

struct PinAddOptions {
  PinType type = PinType::recursive;
  // pin_timeout: the pin is cancelled (Code::timeout) when its progress has not changed for this
  // long. 0 = the connector's default. A daemon that streams no progress (js-ipfs) must
  // therefore finish within it.
  util::Millis stall_timeout{0};
  const CancelFlag* cancel = nullptr;  // not owned; must outlive the call; may be null
  // Called from the calling thread each time the daemon reports a new number of fetched blocks
  // (Kubo only). May be empty.
  std::function<void(std::uint64_t blocks)> on_progress;
};

// What /api/v0/add uploads: a file or a directory tree from disk (streamed, never read whole
// into memory), or bytes held by the caller.
struct AddRequest {
  std::filesystem::path path;          // a regular file, or a directory added recursively
  std::optional<std::string> content;  // when set, uploaded instead of path, as file `name`
  std::string name;                    // the file name for content; ignored for path
  bool wrap = false;                   // wrap-with-directory: the root is a directory holding the upload
  bool pin = true;                     // pin the root on the daemon
  int cid_version = 0;                 // 0 or 1 (1 implies raw leaves, as in Kubo)
  const CancelFlag* cancel = nullptr;  // not owned; may be null
};

// Callbacks for streamed listings. Returning a non-ok Status stops the listing; the call then
// returns that Status.
using PinSink = std::function<util::Status(const PinInfo&)>;
using AddSink = std::function<util::Status(const AddedEntry&)>;

}  // namespace cl::ipfs
