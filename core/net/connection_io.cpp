// Connection: framed reading and batched writing.
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <cstring>

#include "net/connection.hpp"

namespace cl::net {

namespace {
// Payloads up to this size are copied into the batch buffer, so that many small frames become few
// TLS records; larger ones are written from their own storage, without a copy.
constexpr std::size_t kCoalesceBytesMax = 16 * 1024;
// The most plaintext one TLS record carries, hence one read.
constexpr std::size_t kTlsRecordBytes = 16 * 1024;
}  // namespace

void Connection::read_more() {
  stream_.async_read_some(boost::asio::buffer(in_.data() + in_end_, in_.size() - in_end_),
                          [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                            if (self->is_closed()) return;
                            if (ec) return self->fail_read(ec);
                            self->in_end_ += n;
                            self->consume_input();
                          });
}

void Connection::consume_input() {
  while (!is_closed()) {
    const std::size_t avail = in_end_ - in_begin_;
    if (avail < kFrameHeaderBytes) break;
    const FrameHeader h = read_frame_header(in_.data() + in_begin_);
    if (!check_header(h.payload_bytes, h.type)) return;
    const std::size_t total = kFrameHeaderBytes + h.payload_bytes;
    if (avail >= total) {
      std::string payload(in_.data() + in_begin_ + kFrameHeaderBytes, h.payload_bytes);
      in_begin_ += total;
      handle_frame(h.type, std::move(payload));
      continue;
    }
    if (total <= in_.size()) break;  // the rest will fit in the buffer
    // Larger than the buffer: read the rest of the payload straight into its own string.
    const std::size_t have = avail - kFrameHeaderBytes;
    big_.resize(h.payload_bytes);
    std::memcpy(big_.data(), in_.data() + in_begin_ + kFrameHeaderBytes, have);
    big_type_ = h.type;
    in_begin_ = in_end_ = 0;
    boost::asio::async_read(stream_, boost::asio::buffer(big_.data() + have, big_.size() - have),
                            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                              if (self->is_closed()) return;
                              if (ec) return self->fail_read(ec);
                              std::string payload = std::move(self->big_);
                              self->big_ = {};
                              self->handle_frame(self->big_type_, std::move(payload));
                              if (self->is_closed()) return;
                              self->read_more();
                            });
    return;
  }
  if (is_closed()) return;
  // Move the partial frame to the front only when the space after it runs short (less than a TLS
  // record), not after every read.
  if (in_begin_ == in_end_) {
    in_begin_ = in_end_ = 0;
  } else if (in_.size() - in_end_ < kTlsRecordBytes) {
    std::memmove(in_.data(), in_.data() + in_begin_, in_end_ - in_begin_);
    in_end_ -= in_begin_;
    in_begin_ = 0;
  }
  read_more();
}

bool Connection::check_header(std::uint32_t payload_bytes, std::uint8_t type) {
  constexpr auto kAuth = static_cast<std::uint8_t>(FrameType::auth);
  constexpr auto kMessage = static_cast<std::uint8_t>(FrameType::message);
  const bool ok = state_ == State::proving ? type == kAuth && payload_bytes == kProofBytes
                                           : is_known_frame_type(type) && type != kAuth &&
                                                 (type == kMessage ? payload_bytes <= limits_.frame_bytes_max
                                                                   : payload_bytes == 0);
  if (ok) return true;
  const std::string what =
      "frame of type " + std::to_string(type) + " and " + std::to_string(payload_bytes) + " bytes";
  if (state_ == State::proving) {
    fail(CloseReason::auth, util::permission_denied("expected a cluster secret proof, got a " + what));
  } else if (type == kMessage) {
    fail(CloseReason::protocol, util::resource_exhausted("announced " + what + ", over frame_bytes_max " +
                                                         std::to_string(limits_.frame_bytes_max)));
  } else {
    fail(CloseReason::protocol, util::corrupt("unexpected " + what));
  }
  return false;
}

void Connection::handle_frame(std::uint8_t type, std::string payload) {
  last_read_ = owner_->now();
  if (state_ == State::proving) return on_proof(std::move(payload));
  if (type == static_cast<std::uint8_t>(FrameType::goodbye)) {
    // The peer writes nothing more here. If we retired this connection too, it is done; if it is
    // still our link, our retire() follows once the peer's replacement reaches us.
    peer_goodbye_ = true;
    if (state_ == State::draining && goodbye_sent_) {
      fail(CloseReason::retired, util::Status::ok());
    }
    return;
  }
  if (type != static_cast<std::uint8_t>(FrameType::message)) return;  // keepalive: contact only
  ++counters_.messages_received;
  counters_.bytes_received += payload.size();
  owner_->on_message(*this, std::move(payload));
}

void Connection::fail_read(const boost::system::error_code& ec) {
  const bool eof = ec == boost::asio::error::eof || ec == boost::asio::ssl::error::stream_truncated ||
                   ec == boost::asio::error::connection_reset;
  if (state_ == State::proving && eof) {
    return fail(CloseReason::refused,
                util::permission_denied("closed by the peer during authentication (does it use the same "
                                        "cluster secret, and accept this peer?)"));
  }
  fail(CloseReason::network, util::unavailable(eof ? "closed by the peer" : "read failed: " + ec.message()));
}

void Connection::schedule_pump() {
  if (pump_scheduled_ || writing_) return;
  // Deferred, so that the frames a handler queues in a burst go out in one write.
  pump_scheduled_ = true;
  boost::asio::post(stream_.get_executor(), [self = shared_from_this()] {
    self->pump_scheduled_ = false;
    self->pump_writes();
  });
}

void Connection::pump_writes() {
  if (writing_ || is_closed() || (queue_.empty() && raw_for_test_.empty())) return;
  if (state_ != State::proving && state_ != State::open && state_ != State::draining) return;
  chunks_.clear();
  buffers_.clear();
  batch_messages_ = batch_payload_bytes_ = 0;
  batch_has_goodbye_ = false;
  std::string chunk = std::move(raw_for_test_);
  raw_for_test_.clear();
  std::size_t batch_bytes = 0;
  while (!queue_.empty() && batch_bytes < limits_.write_batch_bytes_max) {
    OutFrame f = queue_.pop();
    char header[kFrameHeaderBytes];
    put_frame_header(header, static_cast<std::uint32_t>(f.payload.size()), f.type);
    chunk.append(header, kFrameHeaderBytes);
    batch_bytes += f.wire_bytes();
    if (f.type == FrameType::message) {
      ++batch_messages_;
      batch_payload_bytes_ += f.payload.size();
    }
    batch_has_goodbye_ |= f.type == FrameType::goodbye;
    if (f.payload.size() <= kCoalesceBytesMax) {
      chunk.append(f.payload);
    } else {
      chunks_.push_back(std::move(chunk));
      chunk.clear();
      chunks_.push_back(std::move(f.payload));
    }
  }
  if (!chunk.empty()) chunks_.push_back(std::move(chunk));
  for (const auto& c : chunks_) {
    if (!c.empty()) buffers_.emplace_back(c.data(), c.size());
  }
  writing_ = true;
  boost::asio::async_write(
      stream_, buffers_, [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
        self->writing_ = false;
        if (self->is_closed()) return;
        if (ec) {
          return self->fail(CloseReason::network, util::unavailable("write failed: " + ec.message()));
        }
        self->last_write_ = self->owner_->now();
        self->counters_.messages_sent += self->batch_messages_;
        self->counters_.bytes_sent += self->batch_payload_bytes_;
        self->chunks_.clear();
        if (self->batch_has_goodbye_) {
          self->goodbye_sent_ = true;
          if (self->peer_goodbye_) {
            return self->fail(CloseReason::retired, util::Status::ok());
          }
        }
        self->pump_writes();
      });
}

}  // namespace cl::net
