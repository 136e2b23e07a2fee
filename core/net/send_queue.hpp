#pragma once
// SendQueue: the frames waiting to be written to one peer, in order, bounded by bytes and count.
// Message frames count against the limits; control frames (auth, keepalive) do not: a connection
// holds at most one of each at a time.
#include <cstddef>
#include <deque>
#include <string>

#include "net/frame.hpp"

namespace cl::net {

struct OutFrame {
  FrameType type = FrameType::message;
  std::string payload;
  std::size_t wire_bytes() const { return kFrameHeaderBytes + payload.size(); }
};

class SendQueue {
 public:
  SendQueue(std::size_t bytes_max, std::size_t messages_max)
      : bytes_max_(bytes_max), messages_max_(messages_max) {}

  // Append a message frame; false (and no change) when it would pass either limit.
  bool push(OutFrame frame);
  // Append a control frame, regardless of the limits.
  void push_control(OutFrame frame);
  // Move other's message frames to the back of this queue, in order, while they fit; returns how
  // many did not fit (they are dropped). Control frames stay in other, in order: they belong to
  // the connection they were queued on.
  std::size_t append(SendQueue& other);

  bool empty() const { return frames_.empty(); }
  const OutFrame& front() const { return frames_.front(); }
  OutFrame pop();
  // Drop everything; returns the number of message frames dropped.
  std::size_t clear();

  std::size_t messages() const { return messages_; }
  std::size_t bytes() const { return bytes_; }  // wire bytes of the message frames

 private:
  std::deque<OutFrame> frames_;
  std::size_t bytes_max_, messages_max_;
  std::size_t bytes_ = 0, messages_ = 0;
};

}  // namespace cl::net
