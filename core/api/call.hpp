#pragma once
// Call: one request being answered by a handler of the local socket server.
//
// Contract for handlers:
// - Every Call method must run on the server's io_context thread (post there from elsewhere);
//   this is asserted.
// - Give exactly one terminal answer: reply(), fail(), or stream() (whose end line the server
//   writes when the pump says done, or when StreamWriter::fail() is called). A second answer is a
//   bug and asserts. The answer may come later (after a Raft commit): keep the shared_ptr<Call>.
// - When the client goes away (or the server stops), the call is cancelled: cancelled() turns
//   true, on_cancel callbacks run once, a stream's pump is destroyed and never called again, and
//   any later answer is a no-op. A cancelled call need not be answered.
// - A Call destroyed without an answer (a handler bug) is answered with an internal error, so the
//   client never waits forever; ServerStats::calls_dropped counts these.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/protocol.hpp"
#include "util/status.hpp"

namespace cl::api {

namespace detail {
class Connection;
}

class Call;

// Handed to a stream's pump to write items; valid only during that pump invocation.
class StreamWriter {
 public:
  // Queue one item line. Returns true while the connection can take more now; false once its
  // outgoing buffer reached the high-water mark: the pump must then return Pump::more (it is
  // called again when the buffer drains). Writing when room() is false is a bug (asserted): that
  // bound is what keeps a million-item listing out of memory.
  bool write(const Json& item);
  bool room() const;
  // Items written so far in this stream.
  std::uint64_t count() const;
  // End the stream with an error line instead of the end line (items already sent stay sent).
  // The pump's return value is then ignored. status must not be ok.
  void fail(const util::Status& status);

 private:
  friend class Call;
  explicit StreamWriter(Call& call) : call_(call) {}
  Call& call_;
};

// What a pump tells the server after writing what it could.
enum class Pump {
  more,  // more items to come: call again when there is room (at once if there still is)
  done,  // finished: the server writes {"id":X,"end":true,"count":N}
  idle,  // nothing to write now; the producer calls Call::wake() when it has (asynchronous sources)
};

// Produces items on demand. Called on the io_context thread, only while the connection has room,
// never after the stream ended or was cancelled; destroyed when the stream ends or is cancelled.
// It must not keep a shared_ptr to its own Call (that would be a cycle); capture a weak_ptr.
using PumpFn = std::function<Pump(StreamWriter&)>;

class Call : public std::enable_shared_from_this<Call> {
 public:
  Call(std::shared_ptr<detail::Connection> conn, Json id, std::string method);
  ~Call();
  Call(const Call&) = delete;
  Call& operator=(const Call&) = delete;

  const Json& id() const { return id_; }
  const std::string& method() const { return method_; }

  // Terminal answers (exactly one; see the contract above).
  void reply(Json result);
  void fail(const util::Status& status);  // status must not be ok
  void stream(PumpFn pump);

  // Resume a stream whose pump returned Pump::idle. Harmless at any other time.
  void wake();

  bool cancelled() const { return cancelled_; }
  // Run cb once if the call is cancelled; at once if it already is. Callbacks are dropped when
  // the call is answered.
  void on_cancel(std::function<void()> cb);
  bool answered() const { return state_ != State::pending; }

 private:
  friend class StreamWriter;
  friend class detail::Connection;
  enum class State { pending, streaming, done };

  void check_thread() const;
  // The connection closed: mark cancelled, drop the pump, run the callbacks.
  void cancel();
  // Called by the connection while it has room; returns true when the stream is over.
  bool pump_some();
  void end_stream_with(const util::Status& status);

  std::shared_ptr<detail::Connection> conn_;
  Json id_;
  std::string id_json_;  // id_ as it goes on the wire, serialized once
  std::string method_;
  State state_ = State::pending;
  bool cancelled_ = false;
  bool idle_ = false;
  bool in_pump_ = false;
  bool ending_ = false;  // the pump said done; the end line waits for room
  std::uint64_t count_ = 0;
  std::size_t slot_;  // index in the connection's active list, or kNoSlot
  PumpFn pump_;
  std::vector<std::function<void()>> on_cancel_;
};

}  // namespace cl::api
