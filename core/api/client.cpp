#include "api/client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>

#include "api/socket_file.hpp"

namespace cl::api {

namespace {

constexpr std::size_t kReadChunkBytes = 64 * 1024;
// After a failed send, how long to look for the daemon's reason (it may have said why it hung up).
constexpr util::Millis kExplainWait{1000};
constexpr int kConnectRetryMs = 10;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int remaining_ms(std::int64_t deadline) {
  std::int64_t r = deadline - now_ms();
  if (r <= 0) return 0;
  return r > INT_MAX ? INT_MAX : static_cast<int>(r);
}

std::string quote_path(const std::string& path) {
  return util::quote(path, 4096);
}

std::string cannot_reach(const std::string& path, int err) {
  return "cannot reach cl-raftd at " + quote_path(path) + ": " + std::strerror(err) +
         "; is it running? (cl-raftd run)";
}

}  // namespace

Client::Deadline Client::deadline_after(util::Millis timeout) {
  return now_ms() + timeout.count();
}

util::Result<Client> Client::connect(const std::string& path, util::Millis timeout) {
  if (path.empty()) return util::invalid_argument("the socket path is empty; pass --socket or set CL_HOME");
  if (path.size() > detail::socket_path_bytes_max()) {
    return util::invalid_argument("socket path " + quote_path(path) + " is too long (" +
                                  std::to_string(path.size()) + " bytes, at most " +
                                  std::to_string(detail::socket_path_bytes_max()) + ")");
  }
  Deadline deadline = deadline_after(timeout);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return util::unavailable(cannot_reach(path, errno));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  for (;;) {
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return Client(fd, path);
    int err = errno;
    if (err == EINTR) continue;
    if (err == EAGAIN) {
      // Its accept queue is full: the daemon is alive but busy. Retry until the deadline.
      int wait = remaining_ms(deadline);
      if (wait == 0) {
        ::close(fd);
        return util::timeout_error("cl-raftd at " + quote_path(path) +
                                   " did not accept the connection within " + util::format_duration(timeout) +
                                   "; it is overloaded or stuck");
      }
      ::poll(nullptr, 0, wait < kConnectRetryMs ? wait : kConnectRetryMs);
      continue;
    }
    ::close(fd);
    return util::unavailable(cannot_reach(path, err));
  }
}

Client::Client(Client&& other) noexcept
    : fd_(other.fd_),
      path_(std::move(other.path_)),
      next_id_(other.next_id_),
      outstanding_(other.outstanding_),
      out_(std::move(other.out_)),
      in_(std::move(other.in_)),
      in_pos_(other.in_pos_),
      in_end_(other.in_end_),
      scanned_(other.scanned_) {
  other.fd_ = -1;
  other.outstanding_ = 0;
  other.in_pos_ = other.in_end_ = other.scanned_ = 0;
}

Client& Client::operator=(Client&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    next_id_ = other.next_id_;
    outstanding_ = other.outstanding_;
    out_ = std::move(other.out_);
    in_ = std::move(other.in_);
    in_pos_ = other.in_pos_;
    in_end_ = other.in_end_;
    scanned_ = other.scanned_;
    other.fd_ = -1;
    other.outstanding_ = 0;
    other.in_pos_ = other.in_end_ = other.scanned_ = 0;
  }
  return *this;
}

Client::~Client() {
  close();
}

void Client::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  outstanding_ = 0;
  std::vector<char>().swap(in_);
  in_pos_ = 0;
  in_end_ = 0;
  scanned_ = 0;
}

util::Status Client::not_connected() const {
  return util::unavailable("not connected to cl-raftd at " + quote_path(path_) +
                           " (the connection was closed)");
}

util::Status Client::lost(std::string_view what, int err) {
  return util::unavailable("lost the connection to cl-raftd at " + quote_path(path_) + " while " +
                           std::string(what) + ": " + std::strerror(err) + "; is it still running?");
}

util::Status Client::write_all(std::string_view bytes, Deadline deadline) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      pollfd p{fd_, POLLOUT, 0};
      int rc = ::poll(&p, 1, remaining_ms(deadline));
      if (rc == 0) {
        return util::timeout_error("cl-raftd at " + quote_path(path_) +
                                   " did not take the request in time (it stopped reading: too many requests "
                                   "in flight?)");
      }
      if (rc < 0 && errno != EINTR) return lost("waiting to send", errno);
      continue;
    }
    return lost("sending", n < 0 ? errno : EPIPE);
  }
  return util::Status::ok();
}

util::Result<std::string_view> Client::read_line(Deadline deadline) {
  for (;;) {
    std::size_t unscanned = in_end_ - in_pos_ - scanned_;
    const void* nl = unscanned == 0 ? nullptr : std::memchr(in_.data() + in_pos_ + scanned_, '\n', unscanned);
    if (nl != nullptr) {
      std::size_t end = static_cast<std::size_t>(static_cast<const char*>(nl) - in_.data());
      std::string_view line(in_.data() + in_pos_, end - in_pos_);
      in_pos_ = end + 1;
      scanned_ = 0;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      return line;
    }
    scanned_ = in_end_ - in_pos_;
    if (scanned_ > kMaxReplyLineBytes) {
      close();
      return util::corrupt("a reply line from cl-raftd is longer than " + std::to_string(kMaxReplyLineBytes) +
                           " bytes; the connection was closed");
    }
    if (in_pos_ > 0) {  // move the partial line to the front
      std::memmove(in_.data(), in_.data() + in_pos_, scanned_);
      in_end_ = scanned_;
      in_pos_ = 0;
    }
    if (in_.size() - in_end_ < kReadChunkBytes) in_.resize(in_end_ + kReadChunkBytes);
    pollfd p{fd_, POLLIN, 0};
    int rc = ::poll(&p, 1, remaining_ms(deadline));
    if (rc == 0) return util::timeout_error("no reply from cl-raftd at " + quote_path(path_) + " in time");
    if (rc < 0) {
      if (errno == EINTR) continue;
      return lost("waiting for a reply", errno);
    }
    ssize_t n = ::recv(fd_, in_.data() + in_end_, in_.size() - in_end_, 0);
    if (n > 0) {
      in_end_ += static_cast<std::size_t>(n);
      continue;
    }
    if (n == 0) {
      close();
      return util::unavailable("cl-raftd at " + quote_path(path_) +
                               " closed the connection; is it still running?");
    }
    if (errno == EINTR || errno == EAGAIN) continue;
    auto st = lost("reading a reply", errno);
    close();
    return st;
  }
}

util::Result<Reply> Client::read_reply(Deadline deadline) {
  auto line = read_line(deadline);
  if (!line) return line.status();
  auto reply = parse_reply(*line);
  if (!reply) close();  // out of step with the daemon: nothing after this can be trusted
  return reply;
}

util::Status Client::explain_send_failure(util::Status send_error) {
  if (send_error.code() == util::Code::unavailable && fd_ >= 0) {
    auto reply = read_reply(deadline_after(kExplainWait));
    if (reply && reply->kind == Reply::Kind::error) {
      close();
      return reply->error;
    }
  }
  close();
  return send_error;
}

util::Result<Json> Client::call(std::string_view method, Json params, util::Millis timeout) {
  CL_ASSERT(outstanding_ == 0, "Client::call while pipelined requests are outstanding; receive() them first");
  if (fd_ < 0) return not_connected();
  Deadline deadline = deadline_after(timeout);
  std::uint64_t id = next_id_++;
  out_.clear();
  append_request_line(out_, id, method, params);
  if (auto st = write_all(out_, deadline); !st.is_ok()) return explain_send_failure(std::move(st));
  for (;;) {
    auto reply = read_reply(deadline);
    if (!reply) {
      if (reply.code() != util::Code::timeout) return reply.status();
      close();
      return util::timeout_error("no reply from cl-raftd to " + util::quote(method) + " within " +
                                 util::format_duration(timeout) + "; the request was cancelled");
    }
    if (!reply->id.is_null() && reply->id != id) {
      close();
      return util::corrupt("cl-raftd answered request id " + reply->id.dump() + " while " +
                           std::to_string(id) + " was expected");
    }
    switch (reply->kind) {
      case Reply::Kind::result:
        return std::move(reply->value);
      case Reply::Kind::error:
        return reply->error;
      case Reply::Kind::item:
      case Reply::Kind::end:
        close();
        return util::invalid_argument(util::quote(method) +
                                      " answers with a stream of items; use Client::stream");
    }
  }
}

util::Status Client::stream(std::string_view method, Json params,
                            const std::function<bool(const Json&)>& each, util::Millis timeout) {
  CL_ASSERT(outstanding_ == 0,
            "Client::stream while pipelined requests are outstanding; receive() them first");
  if (fd_ < 0) return not_connected();
  std::uint64_t id = next_id_++;
  out_.clear();
  append_request_line(out_, id, method, params);
  if (auto st = write_all(out_, deadline_after(timeout)); !st.is_ok())
    return explain_send_failure(std::move(st));
  std::uint64_t received = 0;
  for (;;) {
    auto reply = read_reply(deadline_after(timeout));
    if (!reply) {
      if (reply.code() != util::Code::timeout) return reply.status();
      close();
      return util::timeout_error("cl-raftd sent nothing for " + util::format_duration(timeout) +
                                 " in the middle of " + util::quote(method) + "; the listing was cancelled");
    }
    if (!reply->id.is_null() && reply->id != id) {
      close();
      return util::corrupt("cl-raftd answered request id " + reply->id.dump() + " while " +
                           std::to_string(id) + " was expected");
    }
    switch (reply->kind) {
      case Reply::Kind::item:
        ++received;
        if (!each(reply->value)) {
          close();  // the daemon sees the client leave and cancels the listing
          return util::Status::ok();
        }
        break;
      case Reply::Kind::end:
        if (reply->count != received) {
          close();
          return util::corrupt("cl-raftd ended " + util::quote(method) + " with count " +
                               std::to_string(reply->count) + " after sending " + std::to_string(received) +
                               " items");
        }
        return util::Status::ok();
      case Reply::Kind::error:
        return reply->error;
      case Reply::Kind::result:
        return util::invalid_argument(util::quote(method) +
                                      " answers with a single result; use Client::call");
    }
  }
}

util::Result<std::uint64_t> Client::send(std::string_view method, Json params, util::Millis timeout) {
  if (fd_ < 0) return not_connected();
  std::uint64_t id = next_id_++;
  out_.clear();
  append_request_line(out_, id, method, params);
  // A half-written request would run into the next one: any failure closes the connection.
  if (auto st = write_all(out_, deadline_after(timeout)); !st.is_ok())
    return explain_send_failure(std::move(st));
  ++outstanding_;
  return id;
}

util::Result<Reply> Client::receive(util::Millis timeout) {
  if (fd_ < 0) return not_connected();
  auto reply = read_reply(deadline_after(timeout));
  if (!reply) {
    if (reply.code() == util::Code::timeout) {
      return util::timeout_error("no reply from cl-raftd within " + util::format_duration(timeout));
    }
    return reply.status();
  }
  if (reply->terminal() && outstanding_ > 0) --outstanding_;
  return reply;
}

util::Status Client::send_raw(std::string_view bytes, util::Millis timeout) {
  if (fd_ < 0) return not_connected();
  auto st = write_all(bytes, deadline_after(timeout));
  if (!st.is_ok()) close();
  return st;
}

}  // namespace cl::api
