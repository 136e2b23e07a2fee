#pragma once
// HttpConnector: the Connector of a real daemon, over the Kubo RPC API (POST /api/v0/...) with
// libcurl. Works with Kubo and with js-ipfs (whose differences it absorbs: numbers sent as
// strings, no pin progress, 500 "is not pinned").
//
// Thread-safety: every method may be called from many threads at once. Each call takes its own
// curl easy handle from a small pool of idle handles (so keep-alive connections are reused) and
// returns it afterwards; nothing else is shared but the backoff state, under a mutex.
// curl_global_init runs once per process, on the first create().
//
// Deadlines: connect_timeout bounds the TCP connect of every call; each call type has an
// overall timeout (below); pin/add is instead bounded by its stall timeout (no progress for that
// long) and by pin_add_timeout, which is also sent to the daemon as `timeout=`.
// Cancellation (CancelFlag) and stalls are checked in curl's progress callback, which runs at
// least about once a second, so both take effect within about a second.
//
// Backoff: after a call fails to connect (refused, unreachable, connect timeout), every call
// fails at once with Code::unavailable until the backoff has passed (backoff_min, doubling per
// failed attempt up to backoff_max); the first successful call resets it.
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ipfs/connector.hpp"
#include "util/clock.hpp"

namespace cl::ipfs {

namespace detail {
class HttpCall;
struct CallSpec;
}  // namespace detail

struct HttpConfig {
  // The daemon's API, scheme://host:port without /api/v0 (Kubo's default is port 5001).
  std::string api_url = "http://127.0.0.1:5001";
  util::Millis connect_timeout{5'000};
  util::Millis call_timeout{60'000};                     // id version pin/rm repo/stat swarm/* block/stat
  util::Millis pin_stall_timeout{120'000};               // pin_timeout, when PinAddOptions leaves it 0
  util::Millis pin_add_timeout{std::chrono::hours(24)};  // hard cap on one pin/add
  util::Millis pin_update_timeout{std::chrono::hours(1)};
  util::Millis pin_ls_timeout{std::chrono::hours(1)};  // a whole listing
  util::Millis add_timeout{std::chrono::hours(24)};    // a whole upload
  util::Millis backoff_min{250};
  util::Millis backoff_max{5'000};
  std::size_t line_bytes_max = 1 << 20;   // one ndjson line of a streamed reply
  std::size_t body_bytes_max = 16 << 20;  // a whole (non-streamed) reply
  std::size_t add_entries_max = 100'000;  // files + directories in one upload
  std::size_t idle_handles_max = 16;      // curl handles kept for reuse

  // Ok, or invalid_argument naming the bad field: a URL that is not http(s)://host[:port],
  // zero timeouts or limits, backoff_min > backoff_max.
  Status validate() const;
};

class HttpConnector final : public Connector {
 public:
  // clock is used for stalls and backoff; it must outlive the connector.
  static Result<std::unique_ptr<HttpConnector>> create(HttpConfig config,
                                                       util::Clock& clock = util::SystemClock::instance());
  ~HttpConnector() override;
  HttpConnector(const HttpConnector&) = delete;
  HttpConnector& operator=(const HttpConnector&) = delete;

  const HttpConfig& config() const { return config_; }

  Result<NodeInfo> id() override;
  Result<VersionInfo> version() override;
  Status pin_add(const Cid& cid, const PinAddOptions& options) override;
  Status pin_rm(const Cid& cid, const CancelFlag* cancel = nullptr) override;
  Status pin_ls(PinType type, const PinSink& on_pin) override;
  Status pin_update(const Cid& from, const Cid& to, bool unpin, const CancelFlag* cancel = nullptr) override;
  Result<RepoStat> repo_stat() override;
  Status swarm_connect(std::string_view multiaddr) override;
  Result<std::vector<SwarmPeer>> swarm_peers() override;
  Result<AddedEntry> add(const AddRequest& request, const AddSink& on_entry = {}) override;
  Result<BlockStat> block_stat(const Cid& cid) override;

 private:
  HttpConnector(HttpConfig config, util::Clock& clock);

  // What a failed call left for the endpoint to interpret (e.g. 500 "... is not pinned").
  struct CallOutcome {
    long http_status = 0;
    std::string daemon_message;
  };
  // Runs one call: backoff check, a pooled handle, the transfer, backoff bookkeeping.
  Status perform(detail::CallSpec& spec, CallOutcome* outcome = nullptr);
  Status check_backoff(const std::string& call) const;  // unavailable while in backoff
  void note_connect_failure(const std::string& error);
  void note_connected();
  void* take_handle();  // a CURL*, from the idle pool or new; null if curl cannot make one
  void give_handle(void* handle);

  HttpConfig config_;
  util::Clock& clock_;

  mutable std::mutex mu_;  // guards what follows
  std::vector<void*> idle_handles_;
  int connect_failures_ = 0;
  util::Nanos retry_at_{0};  // clock_.monotonic() before which calls fail fast
  std::string last_connect_error_;
};

}  // namespace cl::ipfs
