// cl-pin ls: stream the pinset, filtered by the daemon.
#include "pin_commands.hpp"
#include "tool/stream.hpp"

namespace cl::pin_cli {

namespace {

using api::Json;

// Both spellings of a filter end here: --name X is --filter name=X, --meta k=v is
// --filter meta.k=v, and so on. A field given twice keeps the last value (meta keys add up).
util::Status add_filter(Json& params, const std::string& field, const std::string& value) {
  if (field == "name" || field == "peer" || field == "mode") {
    if (field == "mode" && value != "recursive" && value != "direct") {
      return util::invalid_argument("invalid mode " + util::quote(value) + ": use recursive or direct");
    }
    params[field] = value;
    return util::Status::ok();
  }
  if (field.starts_with("meta.") && field.size() > 5) {
    params["meta"][field.substr(5)] = value;
    return util::Status::ok();
  }
  return util::invalid_argument("unknown --filter field " + util::quote(field) +
                                "; use name, peer, mode or meta.KEY");
}

util::Result<Json> ls_params(const LsFlags& f) {
  Json params = Json::object();
  if (f.local) params["local"] = true;
  for (const auto& text : f.filters) {
    auto kv = split_key_value("--filter", text);
    if (!kv) return kv.status();
    CL_TRY_STATUS(add_filter(params, kv->first, kv->second));
  }
  if (f.name) CL_TRY_STATUS(add_filter(params, "name", *f.name));
  if (f.peer) CL_TRY_STATUS(add_filter(params, "peer", *f.peer));
  if (f.mode) CL_TRY_STATUS(add_filter(params, "mode", *f.mode));
  for (const auto& text : f.meta) {
    auto kv = split_key_value("--meta", text);
    if (!kv) return kv.status();
    params["meta"][kv->first] = kv->second;
  }
  return params;
}

}  // namespace

int run_ls(tool::Context& ctx, const LsFlags& f) {
  auto params = ls_params(f);
  if (!params) return ctx.usage(params.status().message());
  auto client = ctx.connect();
  if (!client) return ctx.outcome().exit_status();
  tool::Writer out(ctx.format(), pin_columns());
  bool ok = tool::stream_items(ctx, *client, "pin.ls", *params, [&](const Json& pin) {
    out.write(pin);
    return true;
  });
  out.finish();
  if (!ok) return ctx.outcome().exit_status();
  ctx.debug(std::to_string(out.rows()) + " pins");
  return 0;
}

}  // namespace cl::pin_cli
