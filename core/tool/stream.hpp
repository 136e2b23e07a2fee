#pragma once
// One streamed listing (pin.ls, peers.ls, status.ls, state.export, ...) and how its failures end
// the run, the same way in every tool:
//   - an error line from the daemon (the connection stays open): reported, counted as a failed
//     item (exit 1, or 4 for a timeout);
//   - a transport failure (cannot reach, connection lost, no line within the timeout): fatal
//     (exit 3 or 4);
//   - a method this cl-raftd does not know: one line saying so and what to do (exit 1).
#include <functional>
#include <string_view>

#include "api/client.hpp"
#include "tool/context.hpp"

namespace cl::tool {

// Stream `method` and hand each item to `each` (which returns false to stop early). Returns true
// when the listing ended normally (or was stopped by `each`), false after reporting a failure.
bool stream_items(Context& ctx, api::Client& client, std::string_view method, const api::Json& params,
                  const std::function<bool(const api::Json&)>& each);

// True when `st` is the daemon's answer to a method it does not know (code not_found,
// "unknown method '...'").
bool is_unknown_method(const util::Status& st);

// The message for an error answer to `method`: the daemon's own message, or for an unknown
// method "cl-raftd at '<socket>' does not know method '<m>': it is older than this tool; upgrade
// cl-raftd". `feature` names what needs the method ("--wait", "cl-status").
std::string daemon_error_message(const api::Client& client, std::string_view method, const util::Status& st);

}  // namespace cl::tool
