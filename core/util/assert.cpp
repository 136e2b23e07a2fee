#include "util/assert.hpp"

#include <cstdio>
#include <cstdlib>

namespace cl::util {

void assert_fail(const char* condition, const char* message, const char* file, int line) {
  std::fprintf(stderr, "cl: assertion failed: %s (%s) at %s:%d\n", condition, message, file, line);
  std::fflush(stderr);
  std::abort();
}

}  // namespace cl::util
