// cl-pin: add, remove, update and list the cluster's pins. See man/cl-pin.1.
#include <CLI/CLI.hpp>

#include "pin_commands.hpp"
#include "util/version.hpp"

namespace {

using cl::pin_cli::AddFlags;
using cl::pin_cli::LsFlags;
using cl::pin_cli::UpdateFlags;

constexpr const char* kFooter =
    "CIDs come from the arguments, or from stdin ('-', or no arguments and stdin not a terminal):\n"
    "one per line, as a CID, /ipfs/CID, or a JSON object with a \"cid\" field.\n"
    "Exit status: 0 all done, 1 some items failed, 2 usage error, 3 cl-raftd cannot be reached,\n"
    "4 timed out. See cl-pin(1).";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cl-pin - add, remove, update and list the cluster's pins", "cl-pin"};
  app.set_version_flag("--version", std::string(cl::util::version()));
  app.require_subcommand(1, 1);
  app.footer(kFooter);
  cl::tool::CommonOptions common;
  cl::tool::add_common_options(app, common);

  AddFlags add;
  auto* add_cmd = app.add_subcommand("add", "pin CIDs in the cluster (an identical pin is left as it is)");
  add_cmd->add_option("cids", add.items, "the CIDs to pin ('-' or none: read stdin)")->type_name("CID");
  add_cmd->add_option("--name", add.name, "a name for the pins (cl-pin ls --name finds them)");
  auto* repl = add_cmd
                   ->add_option("-r,--replication", add.replication,
                                "pin on N peers: sets --rmin and --rmax to N (-1: every peer)")
                   ->type_name("N")
                   ->check(CLI::Range(-1, 1024));
  add_cmd->add_option("--rmin", add.rmin, "at least N peers must pin it (default: the cluster's)")
      ->type_name("N")
      ->check(CLI::Range(-1, 1024))
      ->excludes(repl);
  add_cmd->add_option("--rmax", add.rmax, "at most N peers pin it (default: the cluster's)")
      ->type_name("N")
      ->check(CLI::Range(-1, 1024))
      ->excludes(repl);
  add_cmd->add_option("--mode", add.mode, "recursive (the default) or direct")
      ->check(CLI::IsMember({"recursive", "direct"}));
  add_cmd->add_option("--allocations", add.allocations, "peers to try first, comma-separated")
      ->type_name("ID,...")
      ->allow_extra_args(false);
  add_cmd->add_option("--meta", add.meta, "metadata KEY=VALUE (repeat for more)")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  add_cmd->add_option("--expire-in", add.expire_in, "unpin after this long (e.g. 24h, 7d)")
      ->type_name("DURATION");
  add_cmd->add_option("--file", add.file, "add this file or directory to IPFS through cl-raftd, then pin it")
      ->type_name("PATH");
  add_cmd->add_flag("--wait", add.wait,
                    "wait until the allocated peers report the pins pinned; print their status");
  add_cmd->add_option("--wait-timeout", add.wait_timeout, "give up --wait after this long (default 5m)")
      ->type_name("DURATION");
  add_cmd->add_flag("--no-status", add.no_status, "with --wait: print the pins, not their status");

  std::vector<std::string> rm_items;
  auto* rm_cmd = app.add_subcommand("rm", "unpin CIDs from the cluster");
  rm_cmd->add_option("cids", rm_items, "the CIDs to unpin ('-' or none: read stdin)")->type_name("CID");

  UpdateFlags update;
  auto* update_cmd = app.add_subcommand("update", "pin TO with FROM's options and peers, then unpin FROM");
  update_cmd->add_option("from", update.from, "the pinned CID")->type_name("FROM")->required();
  update_cmd->add_option("to", update.to, "the new CID")->type_name("TO")->required();
  update_cmd->add_flag("--keep-old", update.keep_old, "keep FROM pinned");

  LsFlags ls;
  auto* ls_cmd = app.add_subcommand("ls", "list the pinset (streamed, in CID order)");
  ls_cmd->add_option("--name", ls.name, "only pins whose name contains TEXT")->type_name("TEXT");
  ls_cmd->add_option("--meta", ls.meta, "only pins with metadata KEY=VALUE (repeatable)")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  ls_cmd->add_option("--peer", ls.peer, "only pins allocated to peer ID")->type_name("ID");
  ls_cmd->add_option("--mode", ls.mode, "only recursive or direct pins")
      ->check(CLI::IsMember({"recursive", "direct"}));
  ls_cmd
      ->add_option("--filter", ls.filters, "FIELD=VALUE with FIELD name, peer, mode or meta.KEY (repeatable)")
      ->type_name("FIELD=VALUE")
      ->allow_extra_args(false);
  ls_cmd->add_flag("--local", ls.local, "read this peer's copy without asking the leader (may lag)");

  std::vector<std::string> get_items;
  auto* get_cmd = app.add_subcommand("get", "print the pins of CIDs");
  get_cmd->add_option("cids", get_items, "the CIDs ('-' or none: read stdin)")->type_name("CID");

  if (auto rc = cl::tool::parse_command_line(app, argc, argv)) return *rc;
  CLI::App* cmd = app.get_subcommands().front();
  auto ctx = cl::tool::Context::make("cl-pin " + cmd->get_name(), common);
  if (!ctx) return cl::tool::usage_error("cl-pin " + cmd->get_name(), ctx.status().message());
  if (cmd == add_cmd) return cl::pin_cli::run_add(*ctx, add);
  if (cmd == rm_cmd) return cl::pin_cli::run_rm(*ctx, rm_items);
  if (cmd == update_cmd) return cl::pin_cli::run_update(*ctx, update);
  if (cmd == ls_cmd) return cl::pin_cli::run_ls(*ctx, ls);
  return cl::pin_cli::run_get(*ctx, get_items);
}
