#include "api/server.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "api/connection.hpp"
#include "api/socket_file.hpp"

namespace cl::api {

using detail::AtomicStats;
using detail::Connection;
using detail::Core;

namespace {

constexpr auto kAcceptRetry = std::chrono::milliseconds(100);

util::Status out_of_range(const char* name, std::size_t value, const char* range) {
  return util::invalid_argument("invalid api server option " + std::string(name) + " " +
                                std::to_string(value) + ": must be " + range);
}

// Over connections_max: say why in one line, then hang up. The line is small enough to fit the
// empty socket buffer of a new connection, so a non-blocking write is all it needs.
void reject(Core& core, Connection::Socket socket) {
  AtomicStats::add(core.stats.connections_rejected, 1);
  std::string line;
  append_error_line(line, "null",
                    util::resource_exhausted("too many connections to cl-raftd (connections_max " +
                                             std::to_string(core.options.connections_max) +
                                             "); close idle clients or raise the limit"));
  boost::system::error_code ignored;
  socket.non_blocking(true, ignored);
  socket.write_some(boost::asio::buffer(line), ignored);
  socket.close(ignored);
}

void accept_next(const std::shared_ptr<Core>& core) {
  core->acceptor.async_accept([core](const boost::system::error_code& ec, Connection::Socket socket) {
    if (core->stopped || ec == boost::asio::error::operation_aborted) return;
    if (ec) {
      // Out of file descriptors and the like: wait a moment rather than spin.
      core->accept_retry.expires_after(kAcceptRetry);
      core->accept_retry.async_wait([core](const boost::system::error_code& wait_ec) {
        if (!wait_ec && !core->stopped) accept_next(core);
      });
      return;
    }
    if (core->open.size() >= core->options.connections_max) {
      reject(*core, std::move(socket));
    } else {
      std::make_shared<Connection>(core, std::move(socket))->start();
    }
    accept_next(core);
  });
}

}  // namespace

util::Status validate(const ServerOptions& o) {
  if (o.path.empty()) return util::invalid_argument("the socket path is empty; pass --socket or set CL_HOME");
  if (o.mode > 0777) return out_of_range("mode", o.mode, "permission bits (at most 0777)");
  if (o.line_bytes_max < 64 || o.line_bytes_max > (std::size_t{1} << 30)) {
    return out_of_range("line_bytes_max", o.line_bytes_max, "in [64, 1 GiB]");
  }
  if (o.inflight_per_conn_max < 1 || o.inflight_per_conn_max > (1 << 20)) {
    return out_of_range("inflight_per_conn_max", o.inflight_per_conn_max, "in [1, 1048576]");
  }
  if (o.connections_max < 1 || o.connections_max > 65536) {
    return out_of_range("connections_max", o.connections_max, "in [1, 65536]");
  }
  if (o.high_water_bytes < 1024 || o.high_water_bytes > (std::size_t{1} << 30)) {
    return out_of_range("high_water_bytes", o.high_water_bytes, "in [1 KiB, 1 GiB]");
  }
  if (o.low_water_bytes >= o.high_water_bytes) {
    return out_of_range("low_water_bytes", o.low_water_bytes, "below high_water_bytes");
  }
  if (o.read_buffer_bytes < 512 || o.read_buffer_bytes > (std::size_t{16} << 20)) {
    return out_of_range("read_buffer_bytes", o.read_buffer_bytes, "in [512, 16 MiB]");
  }
  if (o.listen_backlog < 1) return out_of_range("listen_backlog", 0, "at least 1");
  return util::Status::ok();
}

Server::Server(boost::asio::io_context& io, ServerOptions options)
    : core_(std::make_shared<Core>(io, std::move(options))) {}

Server::~Server() {
  stop();
  core_->handlers.clear();
}

void Server::handle(std::string method, Handler handler) {
  CL_ASSERT(!core_->started, "api::Server::handle after start");
  CL_ASSERT(handler != nullptr, "api::Server::handle without a handler");
  core_->handlers.insert_or_assign(std::move(method), std::move(handler));
}

const ServerOptions& Server::options() const {
  return core_->options;
}

ServerStats Server::stats() const {
  return core_->stats.snapshot();
}

util::Status Server::start() {
  CL_ASSERT(!core_->started && !core_->stopped, "api::Server::start twice");
  if (auto st = validate(core_->options); !st.is_ok()) return st;
  const std::string& path = core_->options.path;
  if (auto st = detail::prepare_socket_path(path); !st.is_ok()) return st;

  namespace local = boost::asio::local;
  auto& acceptor = core_->acceptor;
  boost::system::error_code ec;
  acceptor.open(local::stream_protocol(), ec);
  if (!ec) acceptor.bind(local::stream_protocol::endpoint(path), ec);
  if (ec) {
    acceptor.close();
    std::string hint = ec == boost::system::errc::no_such_file_or_directory ? "; create its directory first"
                       : ec == boost::system::errc::address_in_use ? "; another cl-raftd is starting on it"
                                                                   : "";
    return util::io_error("cannot bind the socket " + util::quote(path, 4096) + ": " + ec.message() + hint);
  }
  // chmod before listen: until listen() nobody can connect, so there is no window with the
  // default mode.
  auto id = detail::file_id(path);
  if (::chmod(path.c_str(), core_->options.mode) != 0 || !id) {
    int err = errno;
    acceptor.close();
    if (id) detail::remove_socket_if_ours(path, *id);
    return util::io_error("cannot set the mode of socket " + util::quote(path, 4096) + ": " +
                          std::strerror(err));
  }
  acceptor.listen(core_->options.listen_backlog, ec);
  if (ec) {
    acceptor.close();
    detail::remove_socket_if_ours(path, *id);
    return util::io_error("cannot listen on socket " + util::quote(path, 4096) + ": " + ec.message());
  }
  core_->socket_dev = id->dev;
  core_->socket_ino = id->ino;
  core_->started = true;
  accept_next(core_);
  return util::Status::ok();
}

void Server::stop() {
  if (!core_->started || core_->stopped) return;
  core_->stopped = true;
  boost::system::error_code ignored;
  core_->acceptor.close(ignored);
  core_->accept_retry.cancel();
  std::vector<std::shared_ptr<Connection>> open;
  for (Connection* c : core_->open) {
    if (auto held = c->weak_from_this().lock()) open.push_back(std::move(held));
  }
  for (auto& c : open) c->close();
  detail::remove_socket_if_ours(core_->options.path, {core_->socket_dev, core_->socket_ino});
}

}  // namespace cl::api
