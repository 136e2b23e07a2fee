#include "net/frame.hpp"

#include <catch2/catch.hpp>

using namespace cl::net;

TEST_CASE("frame headers are a big-endian length and a type byte") {
  char h[kFrameHeaderBytes];
  put_frame_header(h, 0x01020304u, FrameType::message);
  CHECK(std::string(h, 5) == std::string("\x01\x02\x03\x04\x02", 5));
  FrameHeader r = read_frame_header(h);
  CHECK(r.payload_bytes == 0x01020304u);
  CHECK(r.type == 2);
  put_frame_header(h, 0xffffffffu, FrameType::keepalive);
  r = read_frame_header(h);
  CHECK(r.payload_bytes == 0xffffffffu);
  CHECK(r.type == 3);
}

TEST_CASE("append_frame writes header then payload") {
  std::string out = "x";
  append_frame(out, FrameType::auth, "abc");
  CHECK(out == std::string("x\x00\x00\x00\x03\x01"
                           "abc",
                           9));
}

TEST_CASE("only the four frame types are known") {
  CHECK_FALSE(is_known_frame_type(0));
  CHECK(is_known_frame_type(1));
  CHECK(is_known_frame_type(2));
  CHECK(is_known_frame_type(3));
  CHECK(is_known_frame_type(4));
  CHECK_FALSE(is_known_frame_type(5));
  CHECK_FALSE(is_known_frame_type(255));
}
