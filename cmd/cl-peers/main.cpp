// cl-peers: list, inspect and remove cluster peers.
#include <CLI/CLI.hpp>

#include "util/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"cl-peers - list, inspect and remove cluster peers"};
  app.set_version_flag("--version", std::string(cl::util::version()));
  CLI11_PARSE(app, argc, argv);
  std::fprintf(stderr, "cl-peers: not implemented yet\n");
  return 2;
}
