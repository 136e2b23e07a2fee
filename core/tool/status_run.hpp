#pragma once
// show_statuses: the body of cl-status and cl-sync recover. Both call a streamed method whose
// items are status items (tool/status.hpp), either once for every pin or, when CIDs are given, in
// chunks of at most kStatusChunkCids CIDs (param "cids"), so any number of CIDs passes in bounded
// memory.
//
// CIDs come from `args`, or from stdin when an argument is "-", or when there are no arguments
// and stdin is a pipe or a file. With no arguments and nothing piped in (a terminal, /dev/null as
// under cron) the method is called once for every pin. Bad input lines are reported with their
// origin and the rest is processed.
//
// Items are written as they come. An item for a CID that is not pinned in the cluster
// ({"cid","error"}) is reported on stderr, not written. Exit status: 1 when any item shown is in
// error or a CID was bad or not pinned; 3/4 for transport failures; 0 otherwise.
#include <string>
#include <string_view>
#include <vector>

#include "api/protocol.hpp"
#include "tool/context.hpp"

namespace cl::tool {

inline constexpr std::size_t kStatusChunkCids = 1000;

int show_statuses(Context& ctx, std::string_view method, const api::Json& params,
                  const std::vector<std::string>& args);

// True when stdin is a pipe, a socket or a regular file: something was given to read.
bool stdin_is_piped();

}  // namespace cl::tool
