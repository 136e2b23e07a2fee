#pragma once
// Test harness for core/api: a Server on its own io_context thread, listening in a fresh temp
// directory, with toy handlers whose effects the tests observe through atomics.
//
// Toy methods:
//   echo {..}              -> result: the params
//   fail {code, message}   -> error with that code and message
//   slow {ms, value}       -> result: value, after a timer of ms
//   hold {}                -> never answers; counts cancellations (on_cancel)
//   gate {}                -> held until release_gate() answers every held call; tracks the peak
//   collect {n}            -> held until n collect calls arrived, then all answered in reverse
//   count {n, fail_at?, size?} -> a stream of the numbers 0..n-1 (n = -1: endless), each padded to
//                              `size` bytes; fail_at: error after that many items
//   ticker {n}             -> a stream fed by a 1 ms timer: the pump goes idle, wake() resumes
//   throw_json {}          -> the handler throws a nlohmann::json exception
//   drop {}                -> the handler drops its call without answering
#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "api/client.hpp"
#include "api/server.hpp"

namespace cl::api::test {

// A fresh directory under /tmp (short, because socket paths are limited to 107 bytes), removed
// with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// What the toy handlers did, readable from the test thread.
struct ToyState {
  std::atomic<int> cancels{0};          // on_cancel callbacks run (hold, count, ticker)
  std::atomic<int> pumps_destroyed{0};  // stream producers (pumps) destroyed
  std::atomic<std::int64_t> items_produced{0};
  std::atomic<int> gate_held{0};
  std::atomic<int> gate_held_peak{0};
  // Io-thread only:
  std::vector<std::shared_ptr<Call>> gate;
  std::vector<std::shared_ptr<Call>> collected;
};

// Register the toy methods above on `server`.
void add_toy_handlers(Server& server, boost::asio::io_context& io, std::shared_ptr<ToyState> state);

// A plain blocking socket connected to `path`, for what Client deliberately cannot do
// (half-close, sending from one thread while reading from another). The caller closes it.
int raw_connect(const std::string& path);
// Read from a raw socket until `lines` newlines arrived (or EOF); returns what was read.
std::string raw_read_lines(int fd, std::size_t lines);

// Poll `pred` every millisecond until it holds or `limit` passes; returns its last value. For
// effects of another thread (the server's); never used to assert a duration.
bool wait_until(const std::function<bool()>& pred,
                std::chrono::milliseconds limit = std::chrono::seconds(20));

class TestServer {
 public:
  // Starts the server at dir/raftd.sock (unless options.path is set) with the toy handlers, on a
  // new thread. REQUIREs that start() succeeded.
  explicit TestServer(ServerOptions options = {});
  // Stops the server on its thread, then joins it.
  ~TestServer();

  const std::string& path() const { return path_; }
  ServerStats stats() const { return server_->stats(); }
  ToyState& toys() { return *toys_; }
  Client connect();
  // Run f on the server's thread and wait for it.
  void on_io(const std::function<void()>& f);
  // Answer every call held by `gate`.
  void release_gate();
  void stop();

 private:
  TempDir dir_;
  std::string path_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::unique_ptr<Server> server_;
  std::shared_ptr<ToyState> toys_;
  std::thread thread_;
  bool stopped_ = false;
};

inline constexpr util::Millis kWait{20'000};

}  // namespace cl::api::test
