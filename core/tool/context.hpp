#pragma once
// Context: what every tool's command shares — the common flags, the connection to the daemon,
// messages on stderr and the exit status.
//
// Common flags (add_common_options), accepted before or after the subcommand:
//   --socket PATH      the daemon's socket (else $CL_SOCKET, $CL_HOME/raftd.sock, ~/.cl/raftd.sock)
//   --timeout DUR      how long to wait for the daemon's answer to each request (default 30s)
//   --json / --text    force JSON lines / a table (default: a table on a terminal, else JSON)
//   -q, --quiet        no chatter on stderr: only errors
//   -v, --verbose      more chatter on stderr (which socket, counts)
// Messages on stderr are one line each, "<tool> <command>: <message>", lowercase, naming the
// bad value.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "api/client.hpp"
#include "tool/exit.hpp"
#include "tool/input.hpp"
#include "tool/output.hpp"
#include "util/duration.hpp"

namespace cl::tool {

struct CommonOptions {
  std::string socket;
  std::string timeout = "30s";
  bool json = false;
  bool text = false;
  bool quiet = false;
  int verbose = 0;
};

inline constexpr const char* kCommonGroup = "Common options";

// Add the common flags to `app` (the tool's top-level App) and make its subcommands accept them
// too (CLI11 fallthrough). Call before adding subcommands.
void add_common_options(CLI::App& app, CommonOptions& opts);

// Parse the command line. Returns the exit status when the tool should stop now: 0 after --help
// or --version (printed on stdout), 2 after a usage error (one line on stderr, "<tool>: <what>;
// see <tool> --help"). nullopt when the tool should go on.
std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv);

// Print a usage error and return 2. `name` as in Context.
int usage_error(const std::string& name, const std::string& message);

class Context {
 public:
  // `name` prefixes every message ("cl-pin add"). invalid_argument for a bad --timeout.
  static util::Result<Context> make(std::string name, const CommonOptions& opts);

  const std::string& name() const { return name_; }
  util::Millis timeout() const { return timeout_; }
  Format format() const { return format_; }
  // JSON lines unless --text was given (for output meant for files: cl-sync export).
  Format format_for_files() const { return text_forced_ ? Format::text : Format::json; }
  bool quiet() const { return quiet_; }
  bool verbose() const { return verbose_ > 0; }

  // The socket path from --socket, $CL_SOCKET, $CL_HOME or ~/.cl.
  util::Result<std::string> socket_path() const;
  // Connect to the daemon. On failure prints its one-line reason and records the outcome
  // (unreachable: exit 3); returns nullopt.
  std::optional<api::Client> connect();

  // Input from the arguments (or stdin); a usage problem is printed and nullopt returned.
  std::optional<Input> input(std::vector<std::string> args);

  // Messages (stderr, one line, prefixed with the name).
  void error(const std::string& message);
  void info(const std::string& message);   // unless --quiet
  void debug(const std::string& message);  // with --verbose
  // An item failed: "<name>: <origin>: <message>"; counts it in the outcome.
  void item_failed(const Origin& origin, const util::Status& status);
  void item_failed(const std::string& where, const util::Status& status);
  // The run cannot go on (a transport failure): print it, record it. Returns the exit status.
  int fatal(const util::Status& status);
  // A usage error found after parsing: print it; returns 2.
  int usage(const std::string& message);

  Outcome& outcome() { return outcome_; }
  // When more than one item was processed and some failed, say how many (unless --quiet); the
  // exit status.
  int finish(const std::string& what = "items");

 private:
  Context() = default;
  std::string name_;
  std::string socket_flag_;
  util::Millis timeout_{30'000};
  Format format_ = Format::json;
  bool text_forced_ = false;
  bool quiet_ = false;
  int verbose_ = 0;
  Outcome outcome_;
};

// True when the stream is a terminal (isatty).
bool is_terminal(std::FILE* stream);

}  // namespace cl::tool
