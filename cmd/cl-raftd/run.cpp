#include "run.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <cstdio>

#include "config/config.hpp"
#include "config/home.hpp"
#include "node/node.hpp"

namespace cl::raftd {

namespace {

// Flags win over CL_<KEY> variables and config.json: pass them through the environment so the
// config loader validates them like any other value.
void flag_to_env(const char* key, const std::optional<std::string>& value) {
  if (value) ::setenv(key, value->c_str(), 1);
}

}  // namespace

int run_daemon(const RunFlags& flags) {
  flag_to_env("CL_LISTEN", flags.listen);
  flag_to_env("CL_ADVERTISE", flags.advertise);
  flag_to_env("CL_PROFILE", flags.profile);
  flag_to_env("CL_IPFS_API", flags.ipfs_api);
  flag_to_env("CL_LOG_LEVEL", flags.log_level);
  if (flags.verbose > 0) ::setenv("CL_LOG_LEVEL", flags.verbose > 1 ? "trace" : "debug", 1);

  auto env = config::system_env();
  auto home = config::resolve_home(flags.home, env);
  if (!home) {
    std::fprintf(stderr, "cl-raftd run: %s\n", home.status().message().c_str());
    return 2;
  }
  const auto paths = config::home_paths(*home);
  auto cfg = config::load(paths.config, env);
  if (!cfg) {
    std::fprintf(stderr, "cl-raftd run: %s\n", cfg.status().message().c_str());
    return 2;
  }

  auto log = spdlog::stderr_color_mt("cl-raftd");
  log->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  log->set_level(spdlog::level::from_str(cfg->log_level));
  spdlog::set_default_logger(log);

  boost::asio::io_context io;
  node::NodeOptions opts;
  opts.home = *home;
  opts.config = *cfg;
  opts.socket_path = flags.socket.value_or("");
  opts.join = flags.join;
  opts.seed = flags.seed;
  opts.logger = log;
  auto n = node::Node::create(io, std::move(opts));
  if (!n) {
    log->error("cannot start: {}", n.status().message());
    return n.status().code() == util::Code::invalid_argument ? 2 : 1;
  }
  auto& node = **n;
  int exit_status = 0;
  node.on_self_stop([&] {
    exit_status = 1;
    io.stop();
  });
  if (auto st = node.start(); !st.is_ok()) {
    log->error("cannot start: {}", st.message());
    return 1;
  }
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    log->info("received {}: shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
    signals.async_wait([&](const boost::system::error_code& ec2, int) {
      if (!ec2) {
        log->warn("second signal: exiting now");
        io.stop();
      }
    });
    node.shutdown([&] { io.stop(); });
  });
  io.run();
  if (!node.stop_reason().empty())
    std::fprintf(stderr, "cl-raftd: stopped: %s\n", node.stop_reason().c_str());
  return exit_status;
}

}  // namespace cl::raftd
