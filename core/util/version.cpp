#include "util/version.hpp"

namespace cl::util {
std::string_view version() {
  return CL_VERSION;
}
}  // namespace cl::util
