#include "cid/codec.hpp"

#include <array>

namespace cl::cid {

namespace {
struct Row {
  Codec codec;
  std::string_view name;
};
constexpr std::array<Row, 5> kCodecs = {{
    {Codec::raw, "raw"},
    {Codec::dag_pb, "dag-pb"},
    {Codec::dag_cbor, "dag-cbor"},
    {Codec::libp2p_key, "libp2p-key"},
    {Codec::dag_json, "dag-json"},
}};
}  // namespace

std::string_view codec_name(Codec codec) {
  for (const auto& row : kCodecs) {
    if (row.codec == codec) return row.name;
  }
  return "unknown";
}

std::optional<Codec> codec_from_code(std::uint64_t code) {
  for (const auto& row : kCodecs) {
    if (static_cast<std::uint64_t>(row.codec) == code) return row.codec;
  }
  return std::nullopt;
}

std::optional<Codec> codec_from_name(std::string_view name) {
  for (const auto& row : kCodecs) {
    if (row.name == name) return row.codec;
  }
  return std::nullopt;
}

}  // namespace cl::cid
