#pragma once
// Targets of the load generator: one connection to one server, used by one thread.
//
//   ClTarget   pin.add on cl-raftd's local socket (a fresh CIDv1 raw sha2-256 per write).
//   EtcdTarget PUT through etcd's v3 HTTP gateway (POST /v3/kv/put): key "/pins/<59-char CID>"
//              (65 bytes, base64 in the JSON), a constant 211-byte pin-JSON value; one libcurl
//              easy handle, so the TCP connection is kept alive between requests.
// Both are not thread-safe: one thread owns one target. write() returns ok only when the server
// answered that the write committed.
#include <cstdint>
#include <memory>
#include <string>

#include "api/client.hpp"
#include "util/result.hpp"

namespace cl::bench {

// The CID text of write number `n` of writer `writer` in run `tag`: bafkrei... (59 characters),
// the sha2-256 of "<tag>/<writer>/<n>", so every write of every run is a new key.
std::string bench_cid(std::uint64_t tag, std::uint64_t writer, std::uint64_t n);

class Target {
 public:
  virtual ~Target() = default;
  // One committed write of `cid`; `timeout_ms` bounds the whole request.
  virtual util::Status write(const std::string& cid, int timeout_ms) = 0;
};

// `endpoint`: a socket path for kind "cl", a base URL (http://127.0.0.1:2379) for kind "etcd".
// unavailable when a cl socket cannot be reached; etcd handles connect lazily.
util::Result<std::unique_ptr<Target>> make_target(const std::string& kind, const std::string& endpoint);

// The index in `endpoints` of the member that is leader now, or -1 when none answers as leader.
int find_leader(const std::string& kind, const std::vector<std::string>& endpoints);

// True when every endpoint answers a read that needs a leader (cl: health "ok" with `voters`
// voters; etcd: a linearizable range).
bool all_ready(const std::string& kind, const std::vector<std::string>& endpoints, std::size_t voters);

// POST `body` to `url`; the response body, or an error naming the URL and the HTTP status.
util::Result<std::string> http_post(const std::string& url, const std::string& body, int timeout_ms);

}  // namespace cl::bench
