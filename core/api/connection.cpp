#include "api/connection.hpp"

#include <poll.h>

#include <algorithm>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

namespace cl::api::detail {

namespace {
bool blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// "[json.exception.type_error.302] type must be string" -> "type must be string"
std::string exception_detail(const char* what) {
  std::string_view s(what);
  if (s.substr(0, 1) == "[") {
    if (auto p = s.find("] "); p != std::string_view::npos) s.remove_prefix(p + 2);
  }
  return std::string(s.substr(0, 200));
}
}  // namespace

ServerStats AtomicStats::snapshot() const {
  auto r = [](const std::atomic<std::uint64_t>& c) { return c.load(std::memory_order_relaxed); };
  ServerStats s;
  s.connections_accepted = r(connections_accepted);
  s.connections_rejected = r(connections_rejected);
  s.connections_open = r(connections_open);
  s.connections_alive = r(connections_alive);
  s.calls_started = r(calls_started);
  s.calls_alive = r(calls_alive);
  s.calls_cancelled = r(calls_cancelled);
  s.calls_dropped = r(calls_dropped);
  s.bad_lines = r(bad_lines);
  s.out_buffered_bytes_peak = r(out_buffered_bytes_peak);
  s.line_buffer_bytes_peak = r(line_buffer_bytes_peak);
  return s;
}

Core::Core(boost::asio::io_context& io_context, ServerOptions opts)
    : io(io_context), options(std::move(opts)), acceptor(io_context), accept_retry(io_context) {}

Connection::Connection(std::shared_ptr<Core> core, Socket socket)
    : core_(std::move(core)),
      socket_(std::move(socket)),
      framer_(core_->options.line_bytes_max),
      rbuf_(new char[core_->options.read_buffer_bytes]) {
  AtomicStats::add(core_->stats.connections_alive, 1);
  AtomicStats::add(core_->stats.connections_open, 1);
  AtomicStats::add(core_->stats.connections_accepted, 1);
  core_->open.push_back(this);
}

Connection::~Connection() {
  if (!closed_) {
    std::erase(core_->open, this);
    AtomicStats::add(core_->stats.connections_open, -1);
  }
  AtomicStats::add(core_->stats.connections_alive, -1);
}

void Connection::start() {
  read_more();
}

void Connection::read_more() {
  if (reading_ || closed_ || read_eof_) return;
  reading_ = true;
  socket_.async_read_some(boost::asio::buffer(rbuf_.get(), core_->options.read_buffer_bytes),
                          [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                            self->on_read(ec, n);
                          });
}

bool Connection::peer_fully_closed() {
  // After the client's close the socket reports POLLHUP; after a mere shutdown(SHUT_WR) (as in
  // `echo '{...}' | socat - UNIX:raftd.sock`) it does not, and the answers are still wanted.
  pollfd p{socket_.native_handle(), POLLOUT, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR)) != 0;
}

void Connection::on_read(const boost::system::error_code& ec, std::size_t n) {
  reading_ = false;
  if (closed_) return;
  if (ec == boost::asio::error::eof) {
    if (peer_fully_closed()) {
      close();
      return;
    }
    read_eof_ = true;
    process();
    return;
  }
  if (ec) {
    close();
    return;
  }
  unread_ = std::string_view(rbuf_.get(), n);
  process();
}

bool Connection::input_paused() const {
  return active_.size() >= core_->options.inflight_per_conn_max || !room();
}

void Connection::process() {
  if (processing_ || closed_) return;
  processing_ = true;
  while (!closed_ && !input_paused()) {
    if (unread_.empty()) {
      if (read_eof_ && !eof_line_done_) {
        eof_line_done_ = true;
        handle_event(framer_.finish());
        continue;
      }
      break;
    }
    handle_event(framer_.next(unread_));
    AtomicStats::peak(core_->stats.line_buffer_bytes_peak, framer_.buffer_capacity());
  }
  processing_ = false;
  if (closed_) return;
  flush();
  if (unread_.empty() && !input_paused()) read_more();
  close_if_done();
}

void Connection::handle_event(const LineFramer::Event& ev) {
  switch (ev.kind) {
    case LineFramer::Kind::need_more:
      return;
    case LineFramer::Kind::too_long:
      AtomicStats::add(core_->stats.bad_lines, 1);
      reject_line(nullptr, util::resource_exhausted("line " + std::to_string(ev.line_no) +
                                                    " is longer than the limit of " +
                                                    std::to_string(framer_.line_bytes_max()) +
                                                    " bytes (line_bytes_max); it was discarded"));
      return;
    case LineFramer::Kind::line:
      dispatch(ev.line, ev.line_no);
      return;
  }
}

void Connection::dispatch(std::string_view line, std::uint64_t line_no) {
  if (blank(line)) return;
  ParsedRequest parsed = parse_request(line, line_no);
  if (!parsed.status.is_ok()) {
    AtomicStats::add(core_->stats.bad_lines, 1);
    reject_line(parsed.request.id, parsed.status);
    return;
  }
  auto handler = core_->handlers.find(parsed.request.method);
  if (handler == core_->handlers.end()) {
    AtomicStats::add(core_->stats.bad_lines, 1);
    reject_line(parsed.request.id, util::not_found("unknown method " + util::quote(parsed.request.method) +
                                                   "; " + core_->options.methods_hint));
    return;
  }
  auto call = std::make_shared<Call>(shared_from_this(), parsed.request.id, parsed.request.method);
  call->slot_ = active_.size();
  active_.push_back(call.get());
  AtomicStats::add(core_->stats.calls_started, 1);
  try {
    handler->second(std::move(parsed.request), call);
  } catch (const Json::exception& e) {
    if (!call->answered() && !call->cancelled()) {
      call->fail(util::invalid_argument("invalid params for " + util::quote(call->method()) + ": " +
                                        exception_detail(e.what())));
    }
  } catch (const std::exception& e) {
    if (!call->answered() && !call->cancelled()) {
      call->fail(util::internal_error("the handler of " + util::quote(call->method()) +
                                      " failed: " + exception_detail(e.what())));
    }
  }
}

void Connection::reject_line(const Json& id, const util::Status& status) {
  append_error_line(pending_, id_to_json(id), status);
  queued();
}

void Connection::queued() {
  AtomicStats::peak(core_->stats.out_buffered_bytes_peak, buffered());
  if (!processing_ && !pumping_) flush();
}

void Connection::finished(Call& call) {
  CL_ASSERT(call.slot_ < active_.size() && active_[call.slot_] == &call, "call not in its connection's list");
  Call* last = active_.back();
  last->slot_ = call.slot_;
  active_[call.slot_] = last;
  active_.pop_back();
  call.slot_ = kNoSlot;
  resume_input();
}

void Connection::resume_input() {
  if (closed_ || processing_ || resume_posted_ || input_paused()) return;
  if (unread_.empty() && !(read_eof_ && !eof_line_done_)) {
    read_more();
    close_if_done();
    return;
  }
  // Not inline: we may be inside a handler's reply() and must not re-enter handlers.
  resume_posted_ = true;
  boost::asio::post(core_->io, [self = shared_from_this()] {
    self->resume_posted_ = false;
    self->process();
  });
}

void Connection::flush() {
  if (write_in_flight_ || pending_.empty() || closed_) return;
  writing_.swap(pending_);
  write_in_flight_ = true;
  boost::asio::async_write(socket_, boost::asio::buffer(writing_),
                           [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                             self->on_written(ec);
                           });
}

void Connection::on_written(const boost::system::error_code& ec) {
  write_in_flight_ = false;
  writing_.clear();  // the buffer is ours again (also after close: the aborted write is done)
  if (closed_) return;
  if (ec) {
    close();
    return;
  }
  if (writing_.capacity() > 4 * core_->options.high_water_bytes) std::string().swap(writing_);
  // Requests first, then streams: otherwise a stream that refills the buffer after every write
  // keeps the connection's input paused forever, and a request queued behind it never runs.
  // (Inline is safe here: no handler is on the stack of a completion.)
  if (!input_paused()) {
    if (!unread_.empty() || (read_eof_ && !eof_line_done_)) {
      process();
      if (closed_) return;
    } else {
      read_more();
    }
  }
  if (!streams_.empty() && buffered() <= core_->options.low_water_bytes) run_pumps();
  flush();
  close_if_done();
}

void Connection::start_stream(std::shared_ptr<Call> call) {
  streams_.push_back(std::move(call));
  schedule_pumps();
}

void Connection::schedule_pumps() {
  if (pumps_posted_ || closed_) return;
  pumps_posted_ = true;
  boost::asio::post(core_->io, [self = shared_from_this()] {
    self->pumps_posted_ = false;
    // Without room the next write completion runs the pumps.
    if (self->room()) self->run_pumps();
  });
}

void Connection::run_pumps() {
  if (closed_ || pumping_) return;
  pumping_ = true;
  std::size_t n = streams_.size();
  for (std::size_t i = 0; i < n && i < streams_.size() && !closed_ && room(); ++i) {
    std::shared_ptr<Call> call = streams_[i];
    call->pump_some();
  }
  std::erase_if(streams_, [](const std::shared_ptr<Call>& c) {
    return c->cancelled_ || c->state_ != Call::State::streaming;
  });
  // Take turns: the stream that went first goes last next time.
  if (streams_.size() > 1) std::rotate(streams_.begin(), streams_.begin() + 1, streams_.end());
  pumping_ = false;
  if (closed_) return;
  flush();
  resume_input();
}

void Connection::close_if_done() {
  if (!closed_ && read_eof_ && eof_line_done_ && unread_.empty() && active_.empty() && !write_in_flight_ &&
      pending_.empty()) {
    close();
  }
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  std::erase(core_->open, this);
  AtomicStats::add(core_->stats.connections_open, -1);
  boost::system::error_code ignored;
  socket_.close(ignored);
  framer_.release();
  rbuf_.reset();
  unread_ = {};
  std::string().swap(pending_);
  // Hold every unanswered call while cancelling: a cancel callback may drop other calls.
  std::vector<std::shared_ptr<Call>> calls;
  calls.reserve(active_.size());
  for (Call* c : active_) {
    c->slot_ = kNoSlot;
    if (auto held = c->weak_from_this().lock()) calls.push_back(std::move(held));
  }
  active_.clear();
  auto streams = std::move(streams_);
  streams_.clear();
  for (auto& c : calls) c->cancel();
}

}  // namespace cl::api::detail
