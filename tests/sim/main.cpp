// cl_sim: runs the Raft cluster simulator over a range of seeds.
//
//   cl_sim [--nodes N] [--seeds K] [--first-seed S] [--ticks T] [--seed S] [--planted-bug NAME]
//          [--expect-failure] [--keep-going] [--trace] [--trace-messages TICK] [--quiet]
//
// Each run prints its seed; a failure prints what broke and the command that replays it.
// CL_SIM_SEED=N (or --seed N) runs that one seed. --expect-failure inverts the exit status: 0 when
// some seed fails (used to show that the simulator finds a planted bug), 1 when all pass.
// --keep-going runs every seed and reports how many failed (for soaks and bug-finding rates).
// Exit: 0 all seeds passed, 1 a seed failed, 2 usage error.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "sim.hpp"

namespace {

int usage(const char* why) {
  std::fprintf(stderr,
               "cl_sim: %s\nusage: cl_sim [--nodes N] [--seeds K] [--first-seed S] [--ticks T] [--seed S]\n"
               "              [--planted-bug NAME] [--expect-failure] [--keep-going] [--trace]\n"
               "              [--trace-messages TICK] [--quiet]\n",
               why);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  cl::sim::Options base;
  std::uint64_t seeds = 1, first = 1;
  bool one_seed = false, expect_failure = false, quiet = false, keep_going = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (a == "--nodes" && (v = next())) {
      base.nodes = std::strtoull(v, nullptr, 10);
    } else if (a == "--seeds" && (v = next())) {
      seeds = std::strtoull(v, nullptr, 10);
    } else if (a == "--first-seed" && (v = next())) {
      first = std::strtoull(v, nullptr, 10);
    } else if (a == "--ticks" && (v = next())) {
      base.ticks = std::strtoull(v, nullptr, 10);
    } else if (a == "--seed" && (v = next())) {
      first = std::strtoull(v, nullptr, 10);
      one_seed = true;
    } else if (a == "--planted-bug" && (v = next())) {
      if (!cl::raft::planted_bug_from_name(v, base.planted_bug)) return usage("unknown planted bug");
      if (!cl::raft::planted_bugs_compiled())
        return usage("this core has no planted-bug hooks (link cl_raft_planted)");
    } else if (a == "--expect-failure") {
      expect_failure = true;
    } else if (a == "--keep-going") {
      keep_going = true;
    } else if (a == "--trace") {
      base.trace = true;
    } else if (a == "--trace-messages" && (v = next())) {
      base.trace = true;
      base.trace_messages_tick = std::strtoull(v, nullptr, 10);
    } else if (a == "--quiet") {
      quiet = true;
    } else {
      return usage(("bad argument '" + a + "'").c_str());
    }
  }
  if (base.nodes < 1 || base.nodes > 9) return usage("--nodes must be in 1..9");
  if (const char* env = std::getenv("CL_SIM_SEED")) {
    first = std::strtoull(env, nullptr, 10);
    one_seed = true;
  }
  if (one_seed) seeds = 1;

  const std::string bug = base.planted_bug == cl::raft::PlantedBug::none
                              ? ""
                              : " --planted-bug " + std::string(planted_bug_name(base.planted_bug));
  std::uint64_t passed = 0, failed = 0, first_failed = 0;
  for (std::uint64_t s = first; s < first + seeds; ++s) {
    cl::sim::Options o = base;
    o.seed = s;
    const std::string replay = "replay: CL_SIM_SEED=" + std::to_string(s) + " cl_sim --nodes " +
                               std::to_string(o.nodes) + " --ticks " + std::to_string(o.ticks) + bug + "\n";
    if (!quiet)
      std::printf("seed %llu (nodes %zu, ticks %llu)%s: ", static_cast<unsigned long long>(s), o.nodes,
                  static_cast<unsigned long long>(o.ticks), bug.c_str());
    std::fflush(stdout);
    // Each seed runs in a child process, so that an assertion in the core (which aborts) is
    // reported as that seed's failure.
    const pid_t pid = ::fork();
    if (pid < 0) {
      std::perror("cl_sim: fork");
      return 2;
    }
    if (pid == 0) {
      auto r = cl::sim::run(o);
      if (r.ok) {
        if (!quiet) {
          const auto& st = r.stats;
          std::printf(
              "ok: commit %llu, term %llu, %llu crashes, %llu partitions, %llu snapshots, %llu conf changes, "
              "%llu reads, %llu msgs, %llu old-term commits, live after %llu ticks\n",
              static_cast<unsigned long long>(st.committed), static_cast<unsigned long long>(st.max_term),
              static_cast<unsigned long long>(st.crashes), static_cast<unsigned long long>(st.partitions),
              static_cast<unsigned long long>(st.snapshots_installed),
              static_cast<unsigned long long>(st.conf_changes_applied),
              static_cast<unsigned long long>(st.reads_checked),
              static_cast<unsigned long long>(st.messages_sent),
              static_cast<unsigned long long>(st.old_term_commits),
              static_cast<unsigned long long>(st.liveness_ticks));
        }
      } else {
        if (quiet) std::printf("seed %llu: ", static_cast<unsigned long long>(s));
        std::printf("FAILED: %s\n%s", r.failure.c_str(), replay.c_str());
      }
      std::fflush(stdout);
      std::_Exit(r.ok ? 0 : 1);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok && !WIFEXITED(status)) {
      if (quiet) std::printf("seed %llu: ", static_cast<unsigned long long>(s));
      std::printf("FAILED: the core aborted (signal %d; the assertion is above)\n%s", WTERMSIG(status),
                  replay.c_str());
    }
    if (!ok) {
      if (!keep_going) {
        std::printf("%llu seed(s) passed before it\n", static_cast<unsigned long long>(passed));
        return expect_failure ? 0 : 1;
      }
      if (failed++ == 0) first_failed = s;
      continue;
    }
    ++passed;
  }
  std::printf("%llu/%llu seeds passed (nodes %zu, %llu ticks each)%s\n",
              static_cast<unsigned long long>(passed), static_cast<unsigned long long>(seeds), base.nodes,
              static_cast<unsigned long long>(base.ticks), bug.c_str());
  if (failed) {
    std::printf("%llu seed(s) failed, the first: %llu\n", static_cast<unsigned long long>(failed),
                static_cast<unsigned long long>(first_failed));
    return expect_failure ? 0 : 1;
  }
  return expect_failure ? 1 : 0;
}
