#pragma once
// A fresh directory under $TMPDIR (default /tmp) for one test, removed with its files at the end.
#include <stdlib.h>

#include <cstdlib>
#include <string>

#include "util/assert.hpp"

namespace cl::test {

struct TempDir {
  std::string path;
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/cl-test-XXXXXX";
    CL_ASSERT(::mkdtemp(tmpl.data()) != nullptr, "mkdtemp failed");
    path = tmpl;
  }
  ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

}  // namespace cl::test
