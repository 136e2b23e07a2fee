#pragma once
// Server: the daemon's side of the local socket (PROTOCOL.md). It runs on one io_context owned by
// the caller, single-threaded: accept, read, dispatch to handlers and write all happen on the
// thread that runs that io_context. Handlers are registered before start().
//
//   boost::asio::io_context io;
//   api::Server server(io, {.path = "/home/me/.cl/raftd.sock"});
//   server.handle("pin.add", [&](api::Request req, std::shared_ptr<api::Call> call) {
//     ... call->reply({{"cid", cid}}) now, or later after the Raft commit ...
//   });
//   if (auto st = server.start(); !st) { ... }   // st names the path and what to do
//   io.run();
//
// Destroy the Server before its io_context (the io_context outlives everything that uses it).
//
// Memory per connection is bounded: a fixed read buffer, a partial line of at most
// line_bytes_max, at most inflight_per_conn_max requests being answered, and an outgoing buffer
// that stops reading and stream pumps at high_water_bytes.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "api/call.hpp"
#include "api/protocol.hpp"
#include "util/status.hpp"

namespace cl::api {

// Called on the io_context thread for each valid request of its method. It owns the Call and
// may answer before returning or keep it and answer later. An exception escaping a handler is
// caught: a nlohmann::json exception (bad params) answers invalid_argument, any other internal.
using Handler = std::function<void(Request, std::shared_ptr<Call>)>;

struct ServerOptions {
  std::string path;                           // the socket file; required
  unsigned mode = 0660;                       // permission bits of the socket file
  std::size_t line_bytes_max = 1 << 20;       // request line limit, without '\n'; >= 64
  std::size_t inflight_per_conn_max = 1024;   // unanswered requests per connection; >= 1
  std::size_t connections_max = 256;          // open connections; >= 1
  std::size_t high_water_bytes = 256 * 1024;  // outgoing buffer: stop reading and pumping
  std::size_t low_water_bytes = 64 * 1024;    // outgoing buffer: pump streams again; < high
  std::size_t read_buffer_bytes = 64 * 1024;  // per connection; >= 512
  int listen_backlog = 128;
  // Appended to "unknown method 'x'; ".
  std::string methods_hint = "see cl-raftd(8) for the methods";
};

// invalid_argument naming the first option out of range.
util::Status validate(const ServerOptions& options);

// Counters, readable from any thread (relaxed atomics underneath).
struct ServerStats {
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_rejected = 0;  // over connections_max: told why, then closed
  std::uint64_t connections_open = 0;
  std::uint64_t connections_alive = 0;  // connection objects not yet freed (leak check)
  std::uint64_t calls_started = 0;
  std::uint64_t calls_alive = 0;  // Call objects not yet freed (leak check)
  std::uint64_t calls_cancelled = 0;
  std::uint64_t calls_dropped = 0;            // destroyed unanswered: a handler bug, answered internal
  std::uint64_t bad_lines = 0;                // malformed, invalid, too long, unknown method
  std::uint64_t out_buffered_bytes_peak = 0;  // the largest outgoing buffer of any connection
  std::uint64_t line_buffer_bytes_peak = 0;   // the largest partial-line buffer of any connection
};

namespace detail {
struct Core;
}

class Server {
 public:
  Server(boost::asio::io_context& io, ServerOptions options);
  // Stops if still running. Calls still held by handlers stay valid; answering them is a no-op.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Register the handler of `method` (replacing any earlier one). Before start() only.
  void handle(std::string method, Handler handler);

  // Validate options, prepare the socket file (remove a stale one; refuse when a live server
  // listens there or the path is not a socket), bind with `mode`, listen, start accepting.
  util::Status start();
  // Stop accepting, close every connection (cancelling their calls) and remove the socket file
  // if it is still ours. Call on the io_context thread, or while the io_context is not running.
  // Idempotent.
  void stop();

  const ServerOptions& options() const;
  ServerStats stats() const;

 private:
  std::shared_ptr<detail::Core> core_;
};

}  // namespace cl::api
