#include "net/send_queue.hpp"

#include <catch2/catch.hpp>

using namespace cl::net;

namespace {
OutFrame msg(std::string p) {
  return OutFrame{FrameType::message, std::move(p)};
}
}  // namespace

TEST_CASE("the send queue refuses what passes its byte limit, counting header bytes") {
  SendQueue q(20, 100);
  CHECK(q.push(msg("12345")));    // 10 wire bytes
  CHECK(q.push(msg("1234")));     // 19
  CHECK_FALSE(q.push(msg("1")));  // 25 > 20
  CHECK_FALSE(q.push(msg("")));   // 24 > 20
  CHECK(q.messages() == 2);
  CHECK(q.bytes() == 19);
  CHECK(q.pop().payload == "12345");
  CHECK(q.bytes() == 9);
  CHECK(q.push(msg("123456")));  // 20
}

TEST_CASE("the send queue refuses what passes its message limit; control frames pass") {
  SendQueue q(1000, 2);
  CHECK(q.push(msg("a")));
  CHECK(q.push(msg("b")));
  CHECK_FALSE(q.push(msg("c")));
  q.push_control(OutFrame{FrameType::keepalive, {}});
  CHECK(q.messages() == 2);
  CHECK(q.pop().payload == "a");
  CHECK(q.pop().payload == "b");
  CHECK(q.pop().type == FrameType::keepalive);
  CHECK(q.empty());
}

TEST_CASE("append moves message frames in order, leaves control frames, drops what does not fit") {
  SendQueue q(1000, 3), other(1000, 10);
  CHECK(q.push(msg("1")));
  other.push_control(OutFrame{FrameType::auth, std::string(32, 'p')});
  for (const char* p : {"2", "3", "4"}) CHECK(other.push(msg(p)));
  other.push_control(OutFrame{FrameType::goodbye, {}});
  CHECK(q.append(other) == 1);  // "4" does not fit
  CHECK(other.messages() == 0);
  CHECK(other.bytes() == 0);
  CHECK(other.pop().type == FrameType::auth);
  CHECK(other.pop().type == FrameType::goodbye);
  CHECK(other.empty());
  CHECK(q.pop().payload == "1");
  CHECK(q.pop().payload == "2");
  CHECK(q.pop().payload == "3");
  CHECK(q.empty());
}

TEST_CASE("clear reports the messages it dropped") {
  SendQueue q(1000, 10);
  CHECK(q.push(msg("a")));
  CHECK(q.push(msg("b")));
  q.push_control(OutFrame{FrameType::keepalive, {}});
  CHECK(q.clear() == 2);
  CHECK(q.empty());
  CHECK(q.bytes() == 0);
}
