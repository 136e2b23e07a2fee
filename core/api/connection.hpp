#pragma once
// Internal to cl_api: the state a Server shares with its connections and calls, and one client
// connection. Not for use outside core/api.
//
// A Connection reads lines (LineFramer), dispatches requests to handlers, and writes answers
// through a double buffer: `pending_` collects lines while `writing_` is on the wire, so replies
// produced together leave in one write. Reading pauses while inflight_per_conn_max calls are
// unanswered or the outgoing buffer is at the high-water mark (backpressure), and resumes as
// they drain. Calls hold the connection alive (shared_ptr); the connection keeps only raw
// pointers to its unanswered calls, to cancel them when it closes.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>

#include "api/call.hpp"
#include "api/line_framer.hpp"
#include "api/server.hpp"

namespace cl::api::detail {

inline constexpr std::size_t kNoSlot = static_cast<std::size_t>(-1);

struct AtomicStats {
  std::atomic<std::uint64_t> connections_accepted{0}, connections_rejected{0}, connections_open{0},
      connections_alive{0}, calls_started{0}, calls_alive{0}, calls_cancelled{0}, calls_dropped{0},
      bad_lines{0}, out_buffered_bytes_peak{0}, line_buffer_bytes_peak{0};
  static void add(std::atomic<std::uint64_t>& c, std::int64_t d) {
    c.fetch_add(static_cast<std::uint64_t>(d), std::memory_order_relaxed);
  }
  // Only the io thread writes peaks, so load-then-store is enough.
  static void peak(std::atomic<std::uint64_t>& c, std::uint64_t v) {
    if (v > c.load(std::memory_order_relaxed)) c.store(v, std::memory_order_relaxed);
  }
  ServerStats snapshot() const;
};

class Connection;

struct Core {
  Core(boost::asio::io_context& io_context, ServerOptions opts);

  boost::asio::io_context& io;
  ServerOptions options;
  std::map<std::string, Handler, std::less<>> handlers;
  AtomicStats stats;
  boost::asio::local::stream_protocol::acceptor acceptor;
  boost::asio::steady_timer accept_retry;
  std::vector<Connection*> open;  // open connections, for stop()
  bool started = false;
  bool stopped = false;
  // The socket file we bound, to remove it on stop only if it is still ours.
  std::uint64_t socket_dev = 0, socket_ino = 0;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Socket = boost::asio::local::stream_protocol::socket;

  Connection(std::shared_ptr<Core> core, Socket socket);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void start();
  // The client went away or the server stops: cancel unanswered calls, close the socket.
  void close();
  bool closed() const { return closed_; }
  Core& core() { return *core_; }

  // ---- for Call ----
  // The buffer answers are appended to; call queued() after appending.
  std::string& out() { return pending_; }
  void queued();
  // Bytes accepted for the client and not yet written to the socket.
  std::size_t buffered() const { return pending_.size() + writing_.size(); }
  bool room() const { return buffered() < core_->options.high_water_bytes; }
  // A call got its terminal answer (or was destroyed): forget it, maybe read more.
  void finished(Call& call);
  void start_stream(std::shared_ptr<Call> call);
  void schedule_pumps();

 private:
  void read_more();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  bool input_paused() const;
  // Frame and dispatch buffered input until it runs out or input pauses.
  void process();
  void handle_event(const LineFramer::Event& ev);
  void dispatch(std::string_view line, std::uint64_t line_no);
  void reject_line(const Json& id, const util::Status& status);
  void resume_input();
  void flush();
  void on_written(const boost::system::error_code& ec);
  void run_pumps();
  void close_if_done();
  bool peer_fully_closed();

  std::shared_ptr<Core> core_;
  Socket socket_;
  LineFramer framer_;
  std::unique_ptr<char[]> rbuf_;
  std::string_view unread_;  // received bytes in rbuf_ not yet framed
  std::string pending_;
  std::string writing_;
  std::vector<Call*> active_;                   // unanswered calls (incl. open streams)
  std::vector<std::shared_ptr<Call>> streams_;  // open streams, kept alive until they end
  bool reading_ = false;
  bool write_in_flight_ = false;
  bool processing_ = false;
  bool resume_posted_ = false;
  bool pumps_posted_ = false;
  bool pumping_ = false;
  bool read_eof_ = false;       // the client shut down its sending side
  bool eof_line_done_ = false;  // the unterminated last line (if any) was handled
  bool closed_ = false;
};

}  // namespace cl::api::detail
