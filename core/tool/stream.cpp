#include "tool/stream.hpp"

namespace cl::tool {

bool is_unknown_method(const util::Status& st) {
  return st.code() == util::Code::not_found && st.message().starts_with("unknown method");
}

std::string daemon_error_message(const api::Client& client, std::string_view method, const util::Status& st) {
  if (!is_unknown_method(st)) return st.message();
  return "cl-raftd at " + util::quote(client.path(), 4096) + " does not know method " + util::quote(method) +
         ": it is older than this tool; upgrade cl-raftd and restart it";
}

bool stream_items(Context& ctx, api::Client& client, std::string_view method, const api::Json& params,
                  const std::function<bool(const api::Json&)>& each) {
  auto st = client.stream(method, params, each, ctx.timeout());
  if (st.is_ok()) return true;
  if (client.is_open()) {
    ctx.error(daemon_error_message(client, method, st));
    ctx.outcome().item(exit_for_item(st));
    return false;
  }
  ctx.fatal(st);
  return false;
}

}  // namespace cl::tool
