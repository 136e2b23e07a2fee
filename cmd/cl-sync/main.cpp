// cl-sync: export, import, reconcile and recover the pinset.
#include <CLI/CLI.hpp>

#include "util/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"cl-sync - export, import, reconcile and recover the pinset"};
  app.set_version_flag("--version", std::string(cl::util::version()));
  CLI11_PARSE(app, argc, argv);
  std::fprintf(stderr, "cl-sync: not implemented yet\n");
  return 2;
}
