// cl-peers: list, inspect, check and remove cluster peers. See man/cl-peers.1.
#include <CLI/CLI.hpp>

#include "tool/context.hpp"
#include "tool/each.hpp"
#include "tool/items.hpp"
#include "tool/stream.hpp"
#include "util/version.hpp"

namespace {

using cl::api::Json;
namespace tool = cl::tool;

constexpr const char* kFooter =
    "Peers to remove come from the arguments, or from stdin ('-', or none and stdin not a terminal):\n"
    "one per line, as a peer ID or a JSON object with \"peer_id\" (a line of cl-peers ls).\n"
    "Exit status: 0 all done, 1 some items failed (health: an alert), 2 usage error,\n"
    "3 cl-raftd cannot be reached, 4 timed out. See cl-peers(1).";

std::vector<tool::Column> peer_columns() {
  return {
      tool::field_column("PEER_ID", "peer_id"),
      tool::field_column("ADDR", "addr"),
      tool::field_column("ROLE", "role"),
      tool::field_column("HEALTH", "health"),
      tool::field_column("LAST_CONTACT_MS", "last_contact_ms"),
      tool::field_column("NUMPIN", "numpin"),
      tool::field_column("VERSION", "version"),
  };
}

int run_ls(tool::Context& ctx) {
  auto client = ctx.connect();
  if (!client) return ctx.outcome().exit_status();
  tool::Writer out(ctx.format(), peer_columns());
  bool ok = tool::stream_items(ctx, *client, "peers.ls", Json::object(), [&](const Json& peer) {
    out.write(peer);
    return true;
  });
  out.finish();
  return ok ? 0 : ctx.outcome().exit_status();
}

int run_id(tool::Context& ctx) {
  auto client = ctx.connect();
  if (!client) return ctx.outcome().exit_status();
  auto id = tool::call_one(ctx, *client, "id", Json::object(), ctx.timeout());
  if (!id) return ctx.outcome().exit_status();
  tool::Writer out(ctx.format(),
                   {
                       tool::field_column("ID", "id"),
                       tool::field_column("ADDRESSES", "addresses"),
                       tool::field_column("VERSION", "version"),
                       tool::Column{"ROLE",
                                    [](const Json& j) {
                                      return j.contains("raft")
                                                 ? tool::cell_text(j["raft"].value("role", Json()))
                                                 : std::string("-");
                                    }},
                       tool::field_column("CLUSTER_PEERS", "cluster_peers"),
                   });
  out.write(*id);
  out.finish();
  return 0;
}

int run_rm(tool::Context& ctx, const std::vector<std::string>& items) {
  auto input = ctx.input(items);
  if (!input) return tool::to_int(tool::Exit::usage);
  auto client = ctx.connect();
  if (!client) return ctx.outcome().exit_status();
  tool::Writer out(ctx.format(),
                   {tool::field_column("PEER_ID", "peer_id"), tool::field_column("REMOVED", "removed")});
  tool::EachItem each{"peers.rm",
                      [](const tool::InputItem& item) -> cl::util::Result<Json> {
                        auto id = tool::parse_peer_item(item.text);
                        if (!id) return id.status();
                        return Json{{"peer_id", *id}};
                      },
                      [&](const Json& r) { out.write(r); }};
  each.window = 1;  // one membership change at a time
  int rc = tool::for_each_item(ctx, *client, *input, each);
  out.finish();
  if (rc == tool::to_int(tool::Exit::unreachable) || rc == tool::to_int(tool::Exit::timed_out)) return rc;
  return ctx.finish("peers");
}

int run_health(tool::Context& ctx) {
  auto client = ctx.connect();
  if (!client) return ctx.outcome().exit_status();
  tool::Writer out(ctx.format(),
                   {
                       tool::field_column("PEER_ID", "peer_id"),
                       tool::field_column("ALERT", "alert"),
                       tool::Column{"SINCE",
                                    [](const Json& j) {
                                      return tool::cell_text(j.value("since", j.value("at", Json())));
                                    }},
                       tool::Column{"MESSAGE",
                                    [](const Json& j) {
                                      if (j.contains("moved")) {
                                        return "moved " + tool::cell_text(j["moved"]) + " pins";
                                      }
                                      return tool::cell_text(j.value("message", Json()));
                                    }},
                   });
  std::uint64_t alerts = 0;
  bool ok = tool::stream_items(ctx, *client, "peers.health", Json::object(), [&](const Json& a) {
    out.write(a);
    if (a.value("alert", "") != "repinned") ++alerts;
    return true;
  });
  out.finish();
  if (!ok) return ctx.outcome().exit_status();
  if (alerts > 0) {
    ctx.info(std::to_string(alerts) + " current alerts");
    ctx.outcome().item_failed();
  }
  return ctx.outcome().exit_status();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cl-peers - list, inspect, check and remove cluster peers", "cl-peers"};
  app.set_version_flag("--version", std::string(cl::util::version()));
  app.require_subcommand(1, 1);
  app.footer(kFooter);
  tool::CommonOptions common;
  tool::add_common_options(app, common);
  auto* ls_cmd = app.add_subcommand("ls", "list the peers: id, address, role, health, last contact");
  auto* id_cmd = app.add_subcommand("id", "print the local peer: id, addresses, version, role");
  std::vector<std::string> rm_items;
  auto* rm_cmd = app.add_subcommand("rm", "remove peers from the cluster (one at a time)");
  rm_cmd->add_option("peers", rm_items, "the peer IDs ('-' or none: read stdin)")->type_name("PEER_ID");
  auto* health_cmd = app.add_subcommand(
      "health", "print current alerts (down, metrics expired, over quota, low space) and repins");

  if (auto rc = tool::parse_command_line(app, argc, argv)) return *rc;
  CLI::App* cmd = app.get_subcommands().front();
  auto ctx = tool::Context::make("cl-peers " + cmd->get_name(), common);
  if (!ctx) return tool::usage_error("cl-peers " + cmd->get_name(), ctx.status().message());
  if (cmd == ls_cmd) return run_ls(*ctx);
  if (cmd == id_cmd) return run_id(*ctx);
  if (cmd == rm_cmd) return run_rm(*ctx, rm_items);
  (void)health_cmd;
  return run_health(*ctx);
}
