// cl-status: show where each pin stands on each peer.
#include <CLI/CLI.hpp>

#include "util/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"cl-status - show where each pin stands on each peer"};
  app.set_version_flag("--version", std::string(cl::util::version()));
  CLI11_PARSE(app, argc, argv);
  std::fprintf(stderr, "cl-status: not implemented yet\n");
  return 2;
}
