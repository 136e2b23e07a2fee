#pragma once
// Wire frames of the peer transport. After the TLS handshake every byte on a connection is a frame:
//
//   length  4 bytes, big-endian: payload bytes (the header is not counted)
//   type    1 byte (FrameType)
//   payload `length` bytes
//
// The reader checks the header before it allocates anything: an unknown type or a length above the
// limit closes the connection, whatever the length announces.
#include <cstddef>
#include <cstdint>
#include <string>

namespace cl::net {

enum class FrameType : std::uint8_t {
  auth = 1,       // the cluster-secret proof (auth.hpp); exactly kProofBytes; first frame each way
  message = 2,    // an opaque payload for the owner (on_message)
  keepalive = 3,  // empty; sent on an idle link so that the other side sees contact
  goodbye = 4,    // empty; the sender writes nothing more on this connection (link_choice.hpp)
};

inline constexpr std::size_t kFrameHeaderBytes = 5;

struct FrameHeader {
  std::uint32_t payload_bytes = 0;
  std::uint8_t type = 0;  // raw: may be a value FrameType does not name
};

// Write the header of a frame to out[0..5).
void put_frame_header(char* out, std::uint32_t payload_bytes, FrameType type);
// Read a header from in[0..5).
FrameHeader read_frame_header(const char* in);
// Append a whole frame (header and payload) to out.
void append_frame(std::string& out, FrameType type, std::string_view payload);

bool is_known_frame_type(std::uint8_t type);

}  // namespace cl::net
