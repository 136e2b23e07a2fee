#include "net/frame.hpp"

#include "util/assert.hpp"

namespace cl::net {

void put_frame_header(char* out, std::uint32_t payload_bytes, FrameType type) {
  out[0] = static_cast<char>((payload_bytes >> 24) & 0xff);
  out[1] = static_cast<char>((payload_bytes >> 16) & 0xff);
  out[2] = static_cast<char>((payload_bytes >> 8) & 0xff);
  out[3] = static_cast<char>(payload_bytes & 0xff);
  out[4] = static_cast<char>(type);
}

FrameHeader read_frame_header(const char* in) {
  auto byte = [&](int i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])); };
  FrameHeader h;
  h.payload_bytes = (byte(0) << 24) | (byte(1) << 16) | (byte(2) << 8) | byte(3);
  h.type = static_cast<std::uint8_t>(byte(4));
  return h;
}

void append_frame(std::string& out, FrameType type, std::string_view payload) {
  CL_ASSERT(payload.size() <= UINT32_MAX, "frame payload over 4 GiB");
  char header[kFrameHeaderBytes];
  put_frame_header(header, static_cast<std::uint32_t>(payload.size()), type);
  out.append(header, kFrameHeaderBytes);
  out.append(payload);
}

bool is_known_frame_type(std::uint8_t type) {
  return type == static_cast<std::uint8_t>(FrameType::auth) ||
         type == static_cast<std::uint8_t>(FrameType::message) ||
         type == static_cast<std::uint8_t>(FrameType::keepalive) ||
         type == static_cast<std::uint8_t>(FrameType::goodbye);
}

}  // namespace cl::net
