#include "tool/context.hpp"

#include <unistd.h>

#include <cctype>
#include <cstdio>

#include "api/paths.hpp"

namespace cl::tool {

bool is_terminal(std::FILE* stream) {
  return ::isatty(::fileno(stream)) == 1;
}

void add_common_options(CLI::App& app, CommonOptions& o) {
  app.fallthrough();
  app.add_option("--socket", o.socket,
                 "the daemon's socket (default: $CL_SOCKET, else $CL_HOME/raftd.sock, else ~/.cl/raftd.sock)")
      ->type_name("PATH")
      ->group(kCommonGroup);
  app.add_option("--timeout", o.timeout, "how long to wait for each answer of the daemon (default 30s)")
      ->type_name("DURATION")
      ->group(kCommonGroup);
  auto* json = app.add_flag("--json", o.json, "print JSON lines (the default when stdout is not a terminal)")
                   ->group(kCommonGroup);
  app.add_flag("--text", o.text, "print an aligned table (the default on a terminal)")
      ->excludes(json)
      ->group(kCommonGroup);
  app.add_flag("-q,--quiet", o.quiet, "print only errors on stderr")->group(kCommonGroup);
  app.add_flag("-v,--verbose", o.verbose, "say more on stderr")->group(kCommonGroup);
}

namespace {
std::string lower_first(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}
}  // namespace

int usage_error(const std::string& name, const std::string& message) {
  std::fprintf(stderr, "%s: %s\n", name.c_str(), message.c_str());
  return to_int(Exit::usage);
}

std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::string name = app.get_name();
    for (const auto* sub : app.get_subcommands()) name += " " + sub->get_name();
    return usage_error(name, lower_first(e.what()) + "; see " + name + " --help");
  }
  return std::nullopt;
}

util::Result<Context> Context::make(std::string name, const CommonOptions& o) {
  Context c;
  c.name_ = std::move(name);
  auto t = util::parse_duration(o.timeout);
  if (!t) return util::invalid_argument("invalid --timeout: " + t.status().message());
  if (t->count() <= 0)
    return util::invalid_argument("invalid --timeout '0': give a duration above 0, e.g. 30s");
  c.timeout_ = *t;
  c.socket_flag_ = o.socket;
  if (o.json) {
    c.format_ = Format::json;
  } else if (o.text) {
    c.format_ = Format::text;
  } else {
    c.format_ = is_terminal(stdout) ? Format::text : Format::json;
  }
  c.text_forced_ = o.text;
  c.quiet_ = o.quiet;
  c.verbose_ = o.quiet ? 0 : o.verbose;
  return c;
}

util::Result<std::string> Context::socket_path() const {
  return api::resolve_socket_path(socket_flag_);
}

std::optional<api::Client> Context::connect() {
  auto path = socket_path();
  if (!path) {
    fatal(path.status());
    return std::nullopt;
  }
  debug("connecting to cl-raftd at " + util::quote(*path, 4096));
  auto client = api::Client::connect(*path, timeout_);
  if (!client) {
    fatal(client.status());
    return std::nullopt;
  }
  return std::move(*client);
}

std::optional<Input> Context::input(std::vector<std::string> args) {
  auto in = Input::from_args(std::move(args), stdin, is_terminal(stdin));
  if (!in) {
    usage(in.status().message());
    return std::nullopt;
  }
  return std::move(*in);
}

void Context::error(const std::string& message) {
  std::fflush(stdout);  // keep stdout and stderr in order on a terminal
  std::fprintf(stderr, "%s: %s\n", name_.c_str(), message.c_str());
}

void Context::info(const std::string& message) {
  if (!quiet_) error(message);
}

void Context::debug(const std::string& message) {
  if (verbose_ > 0) error(message);
}

void Context::item_failed(const Origin& origin, const util::Status& status) {
  item_failed(origin.to_string(), status);
}

void Context::item_failed(const std::string& where, const util::Status& status) {
  error(where + ": " + status.message());
  outcome_.item(exit_for_item(status));
}

int Context::fatal(const util::Status& status) {
  error(status.message());
  outcome_.fatal(exit_for_transport(status));
  return outcome_.exit_status();
}

int Context::usage(const std::string& message) {
  error(message);
  outcome_.fatal(Exit::usage);
  return to_int(Exit::usage);
}

int Context::finish(const std::string& what) {
  std::fflush(stdout);
  const auto total = outcome_.failed_count() + outcome_.ok_count();
  if (outcome_.failed_count() > 0 && total > 1) {
    info(std::to_string(outcome_.failed_count()) + " of " + std::to_string(total) + " " + what + " failed");
  } else if (total > 1) {
    debug(std::to_string(total) + " " + what + " done");
  }
  return outcome_.exit_status();
}

}  // namespace cl::tool
