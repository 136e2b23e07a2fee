// cl-sync now, recover and export.
#include "sync_commands.hpp"
#include "tool/each.hpp"
#include "tool/status_run.hpp"
#include "tool/stream.hpp"

namespace cl::sync_cli {

using api::Json;

int run_now(tool::Context& ctx) {
  auto client = ctx.connect();
  if (!client) return ctx.outcome().exit_status();
  auto r = tool::call_one(ctx, *client, "sync", Json::object(), ctx.timeout());
  if (!r) return ctx.outcome().exit_status();
  tool::Writer out(ctx.format(), {tool::field_column("RECONCILED", "reconciled"),
                                  tool::field_column("CHANGED", "changed")});
  out.write(*r);
  out.finish();
  return ctx.outcome().exit_status();
}

int run_recover(tool::Context& ctx, const std::vector<std::string>& items, bool local) {
  Json params = Json::object();
  if (local) params["local"] = true;
  return tool::show_statuses(ctx, "recover", params, items);
}

int run_export(tool::Context& ctx) {
  auto client = ctx.connect();
  if (!client) return ctx.outcome().exit_status();
  // Export is for files and pipes: JSON lines unless --text asks for a table.
  tool::Writer out(ctx.format_for_files(),
                   {tool::field_column("CID", "cid"), tool::field_column("NAME", "name"),
                    tool::field_column("MODE", "mode"), tool::field_column("RMIN", "replication_factor_min"),
                    tool::field_column("RMAX", "replication_factor_max"),
                    tool::field_column("ALLOCATIONS", "allocations")});
  bool ok = tool::stream_items(ctx, *client, "state.export", Json::object(), [&](const Json& pin) {
    out.write(pin);
    return true;
  });
  out.finish();
  if (std::ferror(stdout)) {
    ctx.error("cannot write the export to stdout");
    ctx.outcome().item_failed();
    return ctx.outcome().exit_status();
  }
  if (!ok) return ctx.outcome().exit_status();
  ctx.debug("exported " + std::to_string(out.rows()) + " pins");
  return 0;
}

}  // namespace cl::sync_cli
