#pragma once
// cl-pin's commands. main.cpp parses the flags; each run_* does one command and returns the exit
// status (tool/exit.hpp).
#include <optional>
#include <string>
#include <vector>

#include "tool/context.hpp"

namespace cl::pin_cli {

struct AddFlags {
  std::vector<std::string> items;  // CIDs, or "-" / nothing for stdin
  std::optional<std::string> name;
  std::optional<int> replication;
  std::optional<int> rmin;
  std::optional<int> rmax;
  std::optional<std::string> mode;
  std::vector<std::string> allocations;
  std::vector<std::string> meta;  // k=v
  std::optional<std::string> expire_in;
  bool wait = false;
  std::string wait_timeout = "5m";
  bool no_status = false;
  std::optional<std::string> file;  // add --file PATH
};

struct LsFlags {
  std::optional<std::string> name;
  std::vector<std::string> meta;
  std::optional<std::string> peer;
  std::optional<std::string> mode;
  std::vector<std::string> filters;  // FIELD=VALUE
  bool local = false;
};

struct UpdateFlags {
  std::string from;
  std::string to;
  bool keep_old = false;
};

int run_add(tool::Context& ctx, const AddFlags& flags);
int run_rm(tool::Context& ctx, const std::vector<std::string>& items);
int run_get(tool::Context& ctx, const std::vector<std::string>& items);
int run_update(tool::Context& ctx, const UpdateFlags& flags);
int run_ls(tool::Context& ctx, const LsFlags& flags);

// How many new pins cl-pin add --wait follows at once.
inline constexpr std::size_t kWaitCidsMax = 100'000;

// Poll status.ls until every CID is pinned on its allocated peers, or `wait_timeout` passes
// (each CID still not pinned is reported: exit 4). A CID not pinned in the cluster fails (exit 1).
// A cl-raftd without status.ls: one clear error, exit 1. Prints the final status items unless
// `print_status` is false. Returns the exit status so far.
int wait_pinned(tool::Context& ctx, api::Client& client, const std::vector<std::string>& cids,
                util::Millis wait_timeout, bool print_status);

// The table columns of a pin (cl-pin add, get, update, ls).
std::vector<tool::Column> pin_columns();

// "k=v" -> {k, v}; invalid_argument naming the flag and the text when there is no '=' or no key.
util::Result<std::pair<std::string, std::string>> split_key_value(const std::string& flag,
                                                                  const std::string& text);

}  // namespace cl::pin_cli
