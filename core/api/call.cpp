#include "api/call.hpp"

#include "api/connection.hpp"
#include "util/assert.hpp"

namespace cl::api {

using detail::AtomicStats;
using detail::kNoSlot;

// ---- StreamWriter ----

bool StreamWriter::write(const Json& item) {
  Call& c = call_;
  CL_ASSERT(c.in_pump_, "StreamWriter used outside its pump");
  CL_ASSERT(c.state_ == Call::State::streaming, "StreamWriter::write after the stream ended");
  if (c.cancelled_) return false;
  CL_ASSERT(c.conn_->room(), "stream pump wrote past the high-water mark; return when write() returns false");
  append_item_line(c.conn_->out(), c.id_json_, item);
  ++c.count_;
  c.conn_->queued();
  return c.conn_->room();
}

bool StreamWriter::room() const {
  return !call_.cancelled_ && call_.conn_->room();
}

std::uint64_t StreamWriter::count() const {
  return call_.count_;
}

void StreamWriter::fail(const util::Status& status) {
  CL_ASSERT(call_.in_pump_, "StreamWriter used outside its pump");
  call_.end_stream_with(status);
}

// ---- Call ----

Call::Call(std::shared_ptr<detail::Connection> conn, Json id, std::string method)
    : conn_(std::move(conn)),
      id_(std::move(id)),
      id_json_(id_to_json(id_)),
      method_(std::move(method)),
      slot_(kNoSlot) {
  AtomicStats::add(conn_->core().stats.calls_alive, 1);
}

Call::~Call() {
  auto& stats = conn_->core().stats;
  if (state_ == State::pending && !cancelled_ && !conn_->closed()) {
    // A handler dropped its call: answer rather than leave the client waiting forever.
    AtomicStats::add(stats.calls_dropped, 1);
    state_ = State::done;
    append_error_line(conn_->out(), id_json_,
                      util::internal_error("request " + util::quote(method_) +
                                           " was dropped without an answer; this is a bug in cl-raftd"));
    conn_->queued();
  }
  if (slot_ != kNoSlot) conn_->finished(*this);
  AtomicStats::add(stats.calls_alive, -1);
}

void Call::check_thread() const {
  CL_ASSERT(conn_->core().io.get_executor().running_in_this_thread(),
            "api::Call used outside the server's io_context thread; post to it");
}

void Call::reply(Json result) {
  check_thread();
  CL_ASSERT(state_ == State::pending, "api::Call answered twice");
  state_ = State::done;
  on_cancel_.clear();
  if (cancelled_) return;
  append_result_line(conn_->out(), id_json_, result);
  conn_->queued();
  conn_->finished(*this);
}

void Call::fail(const util::Status& status) {
  check_thread();
  CL_ASSERT(!status.is_ok(), "api::Call::fail with an ok status");
  CL_ASSERT(state_ == State::pending, "api::Call answered twice");
  state_ = State::done;
  on_cancel_.clear();
  if (cancelled_) return;
  append_error_line(conn_->out(), id_json_, status);
  conn_->queued();
  conn_->finished(*this);
}

void Call::stream(PumpFn pump) {
  check_thread();
  CL_ASSERT(pump != nullptr, "api::Call::stream without a pump");
  CL_ASSERT(state_ == State::pending, "api::Call answered twice");
  state_ = State::streaming;
  if (cancelled_) return;
  pump_ = std::move(pump);
  conn_->start_stream(shared_from_this());
}

void Call::wake() {
  check_thread();
  if (state_ != State::streaming || cancelled_ || !idle_) return;
  idle_ = false;
  conn_->schedule_pumps();
}

void Call::on_cancel(std::function<void()> cb) {
  check_thread();
  if (state_ == State::done) return;
  if (cancelled_) {
    cb();
    return;
  }
  on_cancel_.push_back(std::move(cb));
}

void Call::cancel() {
  if (cancelled_ || state_ == State::done) return;
  cancelled_ = true;
  AtomicStats::add(conn_->core().stats.calls_cancelled, 1);
  if (!in_pump_) pump_ = nullptr;
  auto callbacks = std::move(on_cancel_);
  on_cancel_.clear();
  for (auto& cb : callbacks) cb();
}

void Call::end_stream_with(const util::Status& status) {
  CL_ASSERT(!status.is_ok(), "a stream's error needs an error status");
  CL_ASSERT(state_ == State::streaming, "api::Call stream ended twice");
  state_ = State::done;
  on_cancel_.clear();
  if (!in_pump_) pump_ = nullptr;
  if (cancelled_) return;
  append_error_line(conn_->out(), id_json_, status);
  conn_->queued();
  conn_->finished(*this);
}

bool Call::pump_some() {
  if (cancelled_ || state_ != State::streaming) return true;
  if (ending_) {
    if (!conn_->room()) return false;
    state_ = State::done;
    on_cancel_.clear();
    append_end_line(conn_->out(), id_json_, count_);
    conn_->queued();
    conn_->finished(*this);
    return true;
  }
  if (idle_) return false;
  StreamWriter writer(*this);
  while (conn_->room()) {
    std::uint64_t before = count_;
    Pump next = Pump::more;
    in_pump_ = true;
    try {
      next = pump_(writer);
    } catch (const std::exception& e) {
      if (state_ == State::streaming && !cancelled_) {
        end_stream_with(
            util::internal_error("the stream of " + util::quote(method_) + " failed: " + e.what()));
      }
    }
    in_pump_ = false;
    if (cancelled_ || state_ != State::streaming) {
      pump_ = nullptr;
      return true;
    }
    if (next == Pump::done) {
      pump_ = nullptr;
      ending_ = true;
      return pump_some();  // writes the end line now if there is room
    }
    if (next == Pump::idle) {
      idle_ = true;
      return false;
    }
    if (count_ == before) {
      // It yielded without writing: let the io_context serve others before asking again.
      conn_->schedule_pumps();
      return false;
    }
  }
  return false;
}

}  // namespace cl::api
