#include "net/send_queue.hpp"

#include "util/assert.hpp"

namespace cl::net {

bool SendQueue::push(OutFrame frame) {
  CL_ASSERT(frame.type == FrameType::message, "push() takes message frames; use push_control()");
  const std::size_t n = frame.wire_bytes();
  if (messages_ + 1 > messages_max_ || n > bytes_max_ - std::min(bytes_, bytes_max_)) return false;
  bytes_ += n;
  ++messages_;
  frames_.push_back(std::move(frame));
  return true;
}

void SendQueue::push_control(OutFrame frame) {
  CL_ASSERT(frame.type != FrameType::message, "push_control() takes control frames");
  frames_.push_back(std::move(frame));
}

std::size_t SendQueue::append(SendQueue& other) {
  std::size_t dropped = 0;
  std::deque<OutFrame> control;
  while (!other.empty()) {
    OutFrame f = other.pop();
    if (f.type != FrameType::message) {
      control.push_back(std::move(f));
    } else if (!push(std::move(f))) {
      ++dropped;
    }
  }
  other.frames_ = std::move(control);
  return dropped;
}

OutFrame SendQueue::pop() {
  CL_ASSERT(!frames_.empty(), "pop() on an empty send queue");
  OutFrame f = std::move(frames_.front());
  frames_.pop_front();
  if (f.type == FrameType::message) {
    bytes_ -= f.wire_bytes();
    --messages_;
  }
  return f;
}

std::size_t SendQueue::clear() {
  const std::size_t dropped = messages_;
  frames_.clear();
  bytes_ = messages_ = 0;
  return dropped;
}

}  // namespace cl::net
