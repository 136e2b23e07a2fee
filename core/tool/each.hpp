#pragma once
// for_each_item: the loop of every command that sends one request per input item (cl-pin add,
// rm, get; cl-peers rm). Items are read, parsed and sent as they come, with at most `window`
// requests in flight, and answered in input order, so any number of items passes in bounded
// memory.
//   - an item that does not parse is reported with its origin and text, and skipped;
//   - an error answer for an item is reported with its origin, and counted;
//   - a transport failure (daemon unreachable, connection lost, no answer in time) stops the run.
// Returns the exit status (context.hpp's Outcome); the caller prints nothing more.
#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>

#include "api/protocol.hpp"
#include "tool/context.hpp"
#include "tool/input.hpp"

namespace cl::tool {

inline constexpr std::size_t kDefaultWindow = 256;

struct EachItem {
  std::string_view method;
  // The request's params for one item, or why the item is bad.
  std::function<util::Result<api::Json>(const InputItem&)> params_of;
  // Called with each successful answer, in input order.
  std::function<void(const api::Json& result)> on_result;
  std::size_t window = kDefaultWindow;
};

int for_each_item(Context& ctx, api::Client& client, Input& input, const EachItem& each);

}  // namespace cl::tool

namespace cl::tool {

// One request, one answer. On failure reports it and returns nullopt: an error answer from the
// daemon counts as a failed item (exit 1, or 4 for its timeout); a transport failure (cannot
// reach, connection lost, no answer within `timeout`) is fatal (exit 3 or 4).
std::optional<api::Json> call_one(Context& ctx, api::Client& client, std::string_view method,
                                  const api::Json& params, util::Millis timeout);

}  // namespace cl::tool
