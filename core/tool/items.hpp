#pragma once
// What an input item's text means, for the tools that take CIDs or peers (see input.hpp).
//
// A CID item is one of:
//   - a bare CID: "bafy...", "Qm...", any multibase cl reads;
//   - an IPFS path of a whole CID: "/ipfs/CID" (a trailing '/' is allowed);
//   - a JSON object (the line starts with '{') whose "cid" field is one of the above, such as a
//     line of cl-pin ls or cl-sync export: `cl-pin ls --name old | cl-pin rm`.
// "/ipfs/CID/sub/path" is refused: the path names other content than CID, and the cluster pins
// whole CIDs, so acting on CID would quietly do something else than asked. Resolve the path to
// its own CID first (`ipfs resolve`). Every error message names the offending text.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cid/cid.hpp"
#include "util/result.hpp"

namespace cl::tool {

struct CidItem {
  cid::Cid cid;
  nlohmann::json object;  // the parsed JSON object for a JSON line; null for a CID or path
};

util::Result<CidItem> parse_cid_item(std::string_view text);

// Parse a line that starts with '{' as one JSON object; errors name the text and the byte.
util::Result<nlohmann::json> parse_json_object(std::string_view text);

// A peer item: a peer ID ("12D3KooW..."), or a JSON object with a "peer_id" field (a line of
// cl-peers ls) or an "id" field (cl-peers id). The ID itself is checked by the daemon.
util::Result<std::string> parse_peer_item(std::string_view text);

// The values of a repeatable comma-separated flag (--filter error,pinned --filter queued): every
// piece, in order, empty pieces dropped.
std::vector<std::string> split_list(const std::vector<std::string>& values);

}  // namespace cl::tool
