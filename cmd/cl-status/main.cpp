// cl-status: where each pin stands on each peer. See man/cl-status.1.
#include <CLI/CLI.hpp>
#include <set>

#include "tool/context.hpp"
#include "tool/items.hpp"
#include "tool/status_run.hpp"
#include "util/version.hpp"

namespace {

namespace tool = cl::tool;

constexpr const char* kFooter =
    "CIDs come from the arguments, or from stdin ('-', or none and stdin a pipe or a file): one per\n"
    "line, as a CID, /ipfs/CID, or a JSON object with \"cid\". With none, every pin is shown.\n"
    "Exit status: 0 all shown pins are fine, 1 some pin shown is in error (or a CID is bad or not\n"
    "pinned), 2 usage error, 3 cl-raftd cannot be reached, 4 timed out. See cl-status(1).";

// Words --filter accepts: the groups, then every tracker status.
const std::set<std::string> kFilterWords = {
    "error",        "queued",       "pinning",   "pinned",      "unpinned", "pin_queued",
    "pin_error",    "unpin_queued", "unpinning", "unpin_error", "remote",   "unexpectedly_unpinned",
    "cluster_error"};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cl-status - show where each pin stands on each peer", "cl-status"};
  app.set_version_flag("--version", std::string(cl::util::version()));
  app.footer(kFooter);
  tool::CommonOptions common;
  tool::add_common_options(app, common);
  std::vector<std::string> items;
  bool local = false;
  std::vector<std::string> filters;
  app.add_option("cids", items, "the CIDs ('-' or none with a pipe: read stdin; none: every pin)")
      ->type_name("CID");
  app.add_flag("--local", local, "only this peer's status (fast: asks no other peer)");
  app.add_option("--filter", filters,
                 "only pins with a peer in one of these statuses: error, queued, pinning, pinned, unpinned, "
                 "or an exact status such as pin_error")
      ->type_name("LIST")
      ->allow_extra_args(false);

  if (auto rc = tool::parse_command_line(app, argc, argv)) return *rc;
  auto ctx = tool::Context::make("cl-status", common);
  if (!ctx) return tool::usage_error("cl-status", ctx.status().message());
  cl::api::Json params = cl::api::Json::object();
  if (local) params["local"] = true;
  filters = tool::split_list(filters);
  if (!filters.empty()) {
    for (const auto& f : filters) {
      if (kFilterWords.count(f) == 0) {
        return ctx->usage("invalid --filter " + cl::util::quote(f) +
                          ": use error, queued, pinning, pinned, unpinned or a status such as pin_error");
      }
    }
    params["filter"] = filters;
  }
  return tool::show_statuses(*ctx, "status.ls", params, items);
}
