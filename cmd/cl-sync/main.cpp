// cl-sync: export, import, reconcile and recover the pinset. See man/cl-sync.1.
#include <CLI/CLI.hpp>

#include "sync_commands.hpp"
#include "util/version.hpp"

namespace {

constexpr const char* kFooter =
    "With no command, or 'now': reconcile this peer's pins with its IPFS node now.\n"
    "recover takes CIDs as arguments or stdin lines (a CID, /ipfs/CID, or JSON with \"cid\");\n"
    "with none (and nothing piped in) it recovers every pin in error.\n"
    "Exit status: 0 all done, 1 some items failed, 2 usage error, 3 cl-raftd cannot be reached,\n"
    "4 timed out. See cl-sync(1).";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cl-sync - export, import, reconcile and recover the pinset", "cl-sync"};
  app.set_version_flag("--version", std::string(cl::util::version()));
  app.require_subcommand(0, 1);
  app.footer(kFooter);
  cl::tool::CommonOptions common;
  cl::tool::add_common_options(app, common);

  auto* now_cmd =
      app.add_subcommand("now", "reconcile this peer's pins with its IPFS node now (the default)");
  std::vector<std::string> recover_items;
  bool recover_local = false;
  auto* recover_cmd = app.add_subcommand("recover", "retry pins in error (all of them, or the CIDs given)");
  recover_cmd->add_option("cids", recover_items, "the CIDs ('-': read stdin)")->type_name("CID");
  recover_cmd->add_flag("--local", recover_local, "only on this peer");
  auto* export_cmd =
      app.add_subcommand("export", "write the whole pinset as JSON lines, consistent at one Raft index");
  cl::sync_cli::ImportFlags import;
  auto* import_cmd = app.add_subcommand(
      "import",
      "add the pins of JSON lines (a cl-sync export) after checking every line; --replace swaps the pinset");
  import_cmd->add_option("file", import.file, "read this file instead of stdin ('-': stdin)")
      ->type_name("FILE");
  import_cmd->add_flag("--replace", import.replace, "make the pinset exactly these pins, in one entry");
  import_cmd->add_flag("--dry-run", import.dry_run, "check every line, change nothing");

  if (auto rc = cl::tool::parse_command_line(app, argc, argv)) return *rc;
  CLI::App* cmd = app.get_subcommands().empty() ? now_cmd : app.get_subcommands().front();
  const std::string name = "cl-sync " + cmd->get_name();
  auto ctx = cl::tool::Context::make(name, common);
  if (!ctx) return cl::tool::usage_error(name, ctx.status().message());
  if (cmd == recover_cmd) return cl::sync_cli::run_recover(*ctx, recover_items, recover_local);
  if (cmd == export_cmd) return cl::sync_cli::run_export(*ctx);
  if (cmd == import_cmd) return cl::sync_cli::run_import(*ctx, import);
  return cl::sync_cli::run_now(*ctx);
}
