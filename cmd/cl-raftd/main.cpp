// cl-raftd: the cluster daemon, one per IPFS node. This file only parses flags and prints; the work
// is in core (setup::init_home, config, identity).
//
// Exit status (as every cl tool): 0 done; 1 failed; 2 usage error (bad flags or values, or a home
// that is already initialized).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <string>

#include "config/config.hpp"
#include "config/home.hpp"
#include "identity/key_file.hpp"
#include "identity/peer_id.hpp"
#include "identity/secret.hpp"
#include "run.hpp"
#include "setup/init_home.hpp"
#include "util/version.hpp"

namespace {

using cl::util::Code;
using cl::util::Status;

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

int fail(std::string_view command, const Status& st) {
  std::fprintf(stderr, "cl-raftd %.*s: %s\n", static_cast<int>(command.size()), command.data(),
               st.message().c_str());
  bool usage = st.code() == Code::invalid_argument || st.code() == Code::already_exists ||
               st.code() == Code::failed_precondition;
  return usage ? kExitUsage : kExitFailed;
}

struct Flags {
  std::string home;
  std::string secret;
  bool force = false;
  bool defaults = false;
  bool keys = false;
};

int run_init(const Flags& flags) {
  auto home = cl::config::resolve_home(flags.home, cl::config::system_env());
  if (!home) return fail("init", home.status());
  cl::setup::InitOptions options{.home = *home, .force = flags.force};
  if (!flags.secret.empty()) {
    std::string secret = flags.secret;
    if (secret == "-" && !std::getline(std::cin, secret)) secret.clear();
    if (!secret.empty() && secret.back() == '\r') secret.pop_back();
    auto checked = cl::identity::ClusterSecret::from_hex(secret);
    if (!checked) return fail("init", checked.status().with_context("invalid --secret"));
    options.secret_hex = secret;
  }
  auto done = cl::setup::init_home(options);
  if (!done) return fail("init", done.status());
  std::printf("%s\n", done->secret_hex.c_str());
  std::fflush(stdout);
  std::fprintf(stderr, "cl-raftd: initialized %s, peer id %s\n", done->home.c_str(), done->peer_id.c_str());
  return 0;
}

int run_id(const Flags& flags) {
  auto home = cl::config::resolve_home(flags.home, cl::config::system_env());
  if (!home) return fail("id", home.status());
  auto key = cl::identity::load_key_file(cl::config::home_paths(*home).identity_key);
  if (!key) return fail("id", key.status());
  std::printf("%s\n", cl::identity::PeerId::from_public_key(key->public_key()).to_string().c_str());
  return 0;
}

int run_config(const Flags& flags) {
  if (flags.keys) {
    std::fputs(cl::config::documentation_text().c_str(), stdout);
    return 0;
  }
  if (flags.defaults) {
    std::fputs(cl::config::defaults_json().c_str(), stdout);
    return 0;
  }
  auto env = cl::config::system_env();
  auto home = cl::config::resolve_home(flags.home, env);
  if (!home) return fail("config", home.status());
  auto config = cl::config::load(cl::config::home_paths(*home).config, env);
  if (!config) return fail("config", config.status());
  std::fputs(cl::config::to_json(*config).c_str(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cl-raftd - the cl cluster daemon, one per IPFS node"};
  app.set_version_flag("--version", std::string(cl::util::version()));
  app.require_subcommand(1);
  app.footer(
      "CL_HOME (--home, else $CL_HOME, else ~/.cl) holds config.json, identity.key and secret.\n"
      "Exit status: 0 done, 1 failed, 2 usage error.");
  Flags flags;
  const std::string home_help = "the peer's directory (default: $CL_HOME, else ~/.cl)";

  auto* init = app.add_subcommand(
      "init", "create CL_HOME: a new peer identity, the default config and a cluster secret");
  init->add_option("--home", flags.home, home_help);
  init->add_option(
      "--secret", flags.secret,
      "join an existing cluster: its secret, 64 hex digits ('-': read it from stdin, which keeps it "
      "out of ps); default: make a new one");
  init->add_flag("--force", flags.force,
                 "replace an existing identity.key, config.json and secret (new peer id)");
  init->footer(
      "Prints the cluster secret (64 hex digits) on stdout, once: secret=$(cl-raftd init). Give it to the "
      "other\n"
      "peers (cl-raftd init --secret -). The peer id is printed on stderr; cl-raftd id prints it again.");

  auto* id = app.add_subcommand("id", "print this peer's id (12D3KooW...)");
  id->add_option("--home", flags.home, home_help);

  auto* cfg =
      app.add_subcommand("config", "print the effective configuration (config.json with CL_<KEY> overrides)");
  cfg->add_option("--home", flags.home, home_help);
  auto* defaults = cfg->add_flag("--defaults", flags.defaults, "print the default config.json instead");
  cfg->add_flag("--keys", flags.keys, "describe every key: type, default, environment variable")
      ->excludes(defaults);

  cl::raftd::RunFlags rf;
  auto* run = app.add_subcommand(
      "run", "run the daemon: a new one-peer cluster, or rejoin the cluster CL_HOME belongs to");
  run->add_option("--home", rf.home, home_help);
  run->add_option("--join", rf.join, "first start only: join the cluster of the peer listening at HOST:PORT")
      ->type_name("HOST:PORT");
  run->add_option("--listen", rf.listen, "listen for peers on HOST:PORT (config listen)")
      ->type_name("HOST:PORT");
  run->add_option("--advertise", rf.advertise, "the HOST:PORT other peers dial (config advertise)")
      ->type_name("HOST:PORT");
  run->add_option("--socket", rf.socket, "the local socket for the tools (default: CL_HOME/raftd.sock)");
  run->add_option("--profile", rf.profile, "timing defaults: lan (default) or wan (slow links)")
      ->check(CLI::IsMember({"lan", "wan"}));
  run->add_option("--ipfs-api", rf.ipfs_api, "the IPFS node's RPC API (config ipfs_api)")->type_name("URL");
  run->add_option("--log-level", rf.log_level, "trace, debug, info, warn, error or off (config log_level)");
  run->add_flag("-v,--verbose", rf.verbose, "more log detail (-v debug, -vv trace)");
  run->add_option("--seed", rf.seed, "seed of Raft's election randomness (tests)")->group("");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  }
  if (init->parsed()) return run_init(flags);
  if (id->parsed()) return run_id(flags);
  if (cfg->parsed()) return run_config(flags);
  if (run->parsed()) return cl::raftd::run_daemon(rf);
  return kExitUsage;
}
