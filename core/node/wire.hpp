#pragma once
// The peer wire format (peer.proto): one Frame per transport payload.
#include <string>
#include <variant>

#include "raft/message.hpp"
#include "util/result.hpp"

namespace cl::node {

struct PeerRequest {
  std::uint64_t id = 0;
  std::string method;
  std::string body;  // JSON params
};

struct PeerReply {
  std::uint64_t id = 0;
  std::string body;  // JSON result or stream item
  util::Status error;
  bool more = false;  // a stream item; more follow
  bool end = false;   // the end of a stream (body empty)
};

using Frame = std::variant<raft::Message, PeerRequest, PeerReply>;

std::string encode_frame(const raft::Message& m);
std::string encode_frame(const PeerRequest& r);
std::string encode_frame(const PeerReply& r);
// Code::corrupt for bytes that are not a frame, or a Raft message of an unknown type.
util::Result<Frame> decode_frame(std::string_view bytes);

}  // namespace cl::node
