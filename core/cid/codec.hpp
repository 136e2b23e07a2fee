#pragma once
// Codec: the multicodec of a CIDv1's content (what the block's bytes are). Only the codecs an
// IPFS pinset meets are accepted; a CID with any other codec is rejected (ParseError::
// unknown_codec). Adding one is one row in codec.cpp's table. Values are the multicodec table's.
#include <cstdint>
#include <optional>
#include <string_view>

namespace cl::cid {

enum class Codec : std::uint64_t {
  raw = 0x55,     // plain bytes (raw leaves, `ipfs add --raw-leaves`)
  dag_pb = 0x70,  // UnixFS files and directories; every CIDv0 is dag-pb
  dag_cbor = 0x71,
  libp2p_key = 0x72,  // peer IDs and IPNS keys as CIDs (k51...)
  dag_json = 0x0129,
};

// The multicodec name: "raw", "dag-pb", "dag-cbor", "libp2p-key", "dag-json".
std::string_view codec_name(Codec codec);
// The codec with this multicodec number, if it is one of the table's.
std::optional<Codec> codec_from_code(std::uint64_t code);
// The codec with this multicodec name ("dag-pb"), if it is one of the table's.
std::optional<Codec> codec_from_name(std::string_view name);

}  // namespace cl::cid
