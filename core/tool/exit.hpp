#pragma once
// Exit statuses, the same for every tool (DESIGN.md, "Who uses it and how"):
//   0 all done; 1 some items failed; 2 usage error; 3 the daemon cannot be reached; 4 timed out.
// Outcome collects what happened during a run and gives the status to exit with: the most severe
// thing seen, in the order unreachable > timed out > some failed > ok. Usage errors are decided
// before anything is done, so they never mix with the others.
#include <cstdint>

#include "util/status.hpp"

namespace cl::tool {

enum class Exit : int { ok = 0, failed = 1, usage = 2, unreachable = 3, timed_out = 4 };

inline int to_int(Exit e) {
  return static_cast<int>(e);
}

// What a status from the socket client means for the run. Transport failures (Client::connect,
// send, receive) are unavailable (cannot reach, connection lost) -> unreachable; timeout ->
// timed_out; invalid_argument (a bad --socket path) -> usage; anything else -> failed.
Exit exit_for_transport(const util::Status& st);

// What the daemon's error answer for one item means: timeout -> timed_out, else failed.
Exit exit_for_item(const util::Status& st);

class Outcome {
 public:
  // One item failed in the way `e` says (failed or timed_out).
  void item(Exit e);
  void item_failed() { item(Exit::failed); }
  void item_ok() { ++ok_count_; }
  // The run had to stop: record why.
  void fatal(Exit e);

  std::uint64_t failed_count() const { return failed_count_; }
  std::uint64_t ok_count() const { return ok_count_; }
  Exit exit() const { return worst_; }
  int exit_status() const { return to_int(worst_); }

 private:
  void raise(Exit e);
  Exit worst_ = Exit::ok;
  std::uint64_t failed_count_ = 0;
  std::uint64_t ok_count_ = 0;
};

}  // namespace cl::tool
