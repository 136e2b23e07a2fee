#pragma once
// CL_ASSERT: an always-on check of an invariant (also in release builds). A failed assertion is
// a bug: it logs the condition, message, file and line to stderr and aborts, so that a core dump
// or the simulator's seed shows the path that led there. Never use it for input validation.

namespace cl::util {
[[noreturn]] void assert_fail(const char* condition, const char* message, const char* file, int line);
}

#define CL_ASSERT(cond, msg)                                     \
  do {                                                           \
    if (!(cond)) [[unlikely]]                                    \
      ::cl::util::assert_fail(#cond, (msg), __FILE__, __LINE__); \
  } while (0)

#define CL_UNREACHABLE(msg) ::cl::util::assert_fail("unreachable", (msg), __FILE__, __LINE__)
