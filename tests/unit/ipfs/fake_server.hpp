#pragma once
// FakeServer: a tiny HTTP/1.1 server on 127.0.0.1 for the faults a real IPFS daemon cannot be
// made to produce on demand (500s, resets mid-stream, stalls, Kubo's progress stream and number
// formats). One connection at a time, one request per connection, on its own thread; the
// handler scripts the reply byte by byte through Conn. Every wait is bounded.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace cl::ipfs::test {

struct Request {
  std::string method;
  std::string target;                          // path and query, e.g. "/api/v0/pin/add?arg=Qm..."
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
};

class Conn {
 public:
  explicit Conn(int fd) : fd_(fd) {}
  // Raw bytes; false once the client is gone.
  bool send(std::string_view bytes);
  // A complete reply with Content-Length and "Connection: close".
  bool reply(int status, std::string_view body, std::string_view content_type = "application/json");
  // A chunked reply: head(), then chunk() per piece, then end() with an optional trailer line
  // ("X-Stream-Error: ..."), as js-ipfs and Kubo stream ndjson.
  bool head(int status = 200);
  bool chunk(std::string_view data);
  bool end(std::string_view trailer = "");
  // Make the close after the handler a TCP reset (SO_LINGER 0) instead of an orderly close.
  void reset();
  // Waits until the client closes the connection, at most max_ms; true if it did.
  bool wait_client_close(int max_ms);

 private:
  int fd_;
};

class FakeServer {
 public:
  using Handler = std::function<void(const Request&, Conn&)>;

  // Listens on 127.0.0.1:port (0: any free port) and serves until destroyed.
  explicit FakeServer(Handler handler, std::uint16_t port = 0);
  ~FakeServer();
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<Request> requests() const;

 private:
  void serve();

  Handler handler_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<Request> requests_;
  std::thread thread_;
};

// A value a test changes between requests while the server thread reads it.
template <class T>
class Shared {
 public:
  Shared() = default;
  explicit Shared(T value) : value_(std::move(value)) {}
  void set(T value) {
    std::lock_guard lock(mu_);
    value_ = std::move(value);
  }
  T get() const {
    std::lock_guard lock(mu_);
    return value_;
  }

 private:
  mutable std::mutex mu_;
  T value_{};
};

// A free port on 127.0.0.1 right now (nothing listens on it once this returns).
std::uint16_t unused_port();

}  // namespace cl::ipfs::test
