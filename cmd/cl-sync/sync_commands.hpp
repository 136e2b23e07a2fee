#pragma once
// cl-sync's commands. main.cpp parses the flags; each run_* does one command and returns the exit
// status (tool/exit.hpp).
#include <optional>
#include <string>
#include <vector>

#include "tool/context.hpp"

namespace cl::sync_cli {

// Pins sent per state.import call, below the daemon's limit (10,000 pins): each batch is one log
// entry applied in one go on every peer's io thread, and a 10,000-pin entry held that thread past
// the election timeout on a loaded 2-core machine (bench/README.md). A byte limit keeps the
// request under the socket's line limit (1 MiB).
inline constexpr std::size_t kImportBatchPinsMax = 2'000;
inline constexpr std::size_t kImportBatchBytesMax = 900 * 1024;

struct ImportFlags {
  std::string file;  // "" or "-": stdin
  bool replace = false;
  bool dry_run = false;
};

int run_now(tool::Context& ctx);
int run_recover(tool::Context& ctx, const std::vector<std::string>& items, bool local);
int run_export(tool::Context& ctx);
int run_import(tool::Context& ctx, const ImportFlags& flags);

}  // namespace cl::sync_cli
