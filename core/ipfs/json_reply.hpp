#pragma once
// Parsing the daemon's JSON replies into the Connector's types. Kubo and js-ipfs differ in small
// ways that are absorbed here: numbers may be JSON numbers or decimal strings, a CID may be a
// string or a {"/": "..."} link. Every error is Code::corrupt and names the field and the text.
// Internal to the ipfs module.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ipfs/types.hpp"
#include "util/result.hpp"

namespace cl::ipfs::detail {

using util::Result;
using util::Status;

// Parses one JSON object (a reply body or an ndjson line).
Result<nlohmann::json> parse_object(std::string_view text);

// A non-negative integer field given as a number (Kubo) or a decimal string (js-ipfs).
Result<std::uint64_t> read_u64(const nlohmann::json& object, std::string_view key);
// A CID field: "Qm..." or {"/": "bafy..."}, in any base; corrupt if it does not parse.
Result<Cid> read_cid(const nlohmann::json& object, std::string_view key);

Result<NodeInfo> parse_node_info(const nlohmann::json& reply);
Result<VersionInfo> parse_version(const nlohmann::json& reply);
Result<RepoStat> parse_repo_stat(const nlohmann::json& reply);
Result<std::vector<SwarmPeer>> parse_swarm_peers(const nlohmann::json& reply);
Result<BlockStat> parse_block_stat(const nlohmann::json& reply);
// One line of pin/ls?stream=true: {"Cid":"...","Type":"recursive"}.
Result<PinInfo> parse_pin_line(const nlohmann::json& line);
// One line of add: {"Name","Hash","Size"}; nullopt for a progress line (no "Hash").
Result<std::optional<AddedEntry>> parse_add_line(const nlohmann::json& line);
// A pin/add line: the Progress value if present (Kubo streams {"Progress":N}), nullopt for
// the final {"Pins":[...]}.
Result<std::optional<std::uint64_t>> parse_pin_progress(const nlohmann::json& line);
// The final reply of pin/add, pin/rm and pin/update: {"Pins":["<cid>",...]} with at least one
// CID. (Which CID is not compared: the daemon may print it in another base than it was given.)
Status check_pins_reply(const nlohmann::json& reply);
// An ndjson line may be an error object {"Message":"...","Type":"error"}: its message, if so.
std::optional<std::string> error_line(const nlohmann::json& line);

}  // namespace cl::ipfs::detail
