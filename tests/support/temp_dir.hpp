#pragma once
// A temporary directory removed at the end of the test (kept, and named on stderr, when the
// environment has CL_KEEP_TEST_DIRS=1: for reading the logs of a failed integration test).
#include <cstdio>
#include <filesystem>
#include <string>

#include <stdlib.h>

namespace cl::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cl-test-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    if (const char* keep = ::getenv("CL_KEEP_TEST_DIRS"); keep != nullptr && keep[0] == '1') {
      std::fprintf(stderr, "kept test directory %s\n", path_.c_str());
      return;
    }
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace cl::testing
