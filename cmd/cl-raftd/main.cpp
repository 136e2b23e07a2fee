// cl-raftd: the cluster daemon: one per IPFS node.
#include <CLI/CLI.hpp>

#include "util/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"cl-raftd - the cl cluster daemon"};
  app.set_version_flag("--version", std::string(cl::util::version()));
  CLI11_PARSE(app, argc, argv);
  std::fprintf(stderr, "cl-raftd: not implemented yet\n");
  return 2;
}
