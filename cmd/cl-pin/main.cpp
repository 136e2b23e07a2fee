// cl-pin: add, remove and list the cluster's pins.
#include <CLI/CLI.hpp>

#include "util/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"cl-pin - add, remove and list the cluster's pins"};
  app.set_version_flag("--version", std::string(cl::util::version()));
  CLI11_PARSE(app, argc, argv);
  std::fprintf(stderr, "cl-pin: not implemented yet\n");
  return 2;
}
