#include "fake_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace cl::ipfs::test {

namespace {

constexpr int kReadTimeoutMs = 5000;
constexpr std::size_t kRequestBytesMax = 64 << 20;

std::string status_text(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 500:
      return "Internal Server Error";
    default:
      return "Status";
  }
}

// Reads one request (headers, then Content-Length bytes of body); false on timeout or close.
bool read_request(int fd, Request& req) {
  std::string data;
  char buf[16384];
  std::size_t header_end = std::string::npos;
  std::size_t body_bytes = 0;
  while (true) {
    if (header_end != std::string::npos && data.size() >= header_end + 4 + body_bytes) break;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, kReadTimeoutMs) <= 0) return false;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return false;
    data.append(buf, static_cast<std::size_t>(n));
    if (data.size() > kRequestBytesMax) return false;
    if (header_end == std::string::npos) {
      header_end = data.find("\r\n\r\n");
      if (header_end == std::string::npos) continue;
      std::string head = data.substr(0, header_end);
      std::size_t line_end = head.find("\r\n");
      std::string first = head.substr(0, line_end);
      std::size_t sp1 = first.find(' '), sp2 = first.rfind(' ');
      req.method = first.substr(0, sp1);
      req.target = first.substr(sp1 + 1, sp2 - sp1 - 1);
      std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
      while (pos < head.size()) {
        std::size_t end = head.find("\r\n", pos);
        if (end == std::string::npos) end = head.size();
        std::string line = head.substr(pos, end - pos);
        std::size_t colon = line.find(':');
        if (colon != std::string::npos) {
          std::string name = line.substr(0, colon);
          std::transform(name.begin(), name.end(), name.begin(),
                         [](unsigned char c) { return std::tolower(c); });
          std::size_t v = line.find_first_not_of(' ', colon + 1);
          req.headers[name] = v == std::string::npos ? "" : line.substr(v);
        }
        pos = end + 2;
      }
      auto cl = req.headers.find("content-length");
      body_bytes = cl == req.headers.end() ? 0 : std::stoul(cl->second);
    }
  }
  req.body = data.substr(header_end + 4, body_bytes);
  return true;
}

}  // namespace

bool Conn::send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool Conn::reply(int status, std::string_view body, std::string_view content_type) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " + status_text(status) +
                     "\r\nContent-Type: " + std::string(content_type) +
                     "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  return send(head) && send(body);
}

bool Conn::head(int status) {
  return send("HTTP/1.1 " + std::to_string(status) + " " + status_text(status) +
              "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nTrailer: X-Stream-Error"
              "\r\nConnection: close\r\n\r\n");
}

bool Conn::chunk(std::string_view data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return send(size) && send(data) && send("\r\n");
}

bool Conn::end(std::string_view trailer) {
  std::string last = "0\r\n";
  if (!trailer.empty()) last += std::string(trailer) + "\r\n";
  return send(last + "\r\n");
}

void Conn::reset() {
  linger l{1, 0};
  setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);  // the close that follows sends RST
}

bool Conn::wait_client_close(int max_ms) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(max_ms);
  char buf[4096];
  while (std::chrono::steady_clock::now() < until) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 50) > 0) {
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return true;
    }
  }
  return false;
}

FakeServer::FakeServer(Handler handler, std::uint16_t port) : handler_(std::move(handler)) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(listen_fd_, 16) != 0) {
    std::string err = std::strerror(errno);
    ::close(listen_fd_);
    throw std::runtime_error("fake server: cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + err);
  }
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

FakeServer::~FakeServer() {
  stop_ = true;
  thread_.join();
  ::close(listen_fd_);
}

std::vector<Request> FakeServer::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

void FakeServer::serve() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 20) <= 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    Request req;
    if (read_request(fd, req)) {
      {
        std::lock_guard lock(mu_);
        requests_.push_back(req);
      }
      Conn conn(fd);
      handler_(req, conn);
    }
    ::close(fd);
  }
}

std::uint16_t unused_port() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace cl::ipfs::test
