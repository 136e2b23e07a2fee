#pragma once
#include <string_view>

namespace cl::util {
// The project version ("0.1.0"), from CMakeLists.txt.
std::string_view version();
}  // namespace cl::util
