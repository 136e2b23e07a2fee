#pragma once
// Logger: how the Raft core reports what it does. The core has no logging backend of its own; the
// daemon adapts this interface to spdlog, tests capture lines or drop them. Calls happen on the
// thread that drives the RawNode, synchronously; an implementation must not call back into it.
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace cl::raft {

enum class LogLevel : std::uint8_t { debug = 0, info = 1, warning = 2, error = 3 };

std::string_view log_level_name(LogLevel level);  // "debug", "info", "warning", "error"

class Logger {
 public:
  virtual ~Logger() = default;
  // False means the core skips formatting the line entirely (keep it cheap).
  virtual bool enabled(LogLevel level) const = 0;
  // One line, no trailing newline, starting with the node id ("3 became leader at term 5").
  virtual void log(LogLevel level, std::string_view line) = 0;
};

// Drops everything. The default when Config::logger is null.
class NullLogger final : public Logger {
 public:
  bool enabled(LogLevel) const override { return false; }
  void log(LogLevel, std::string_view) override {}
};

namespace detail {
inline void cat_one(std::string& out, std::string_view s) {
  out.append(s);
}
inline void cat_one(std::string& out, const char* s) {
  out.append(s);
}
inline void cat_one(std::string& out, const std::string& s) {
  out.append(s);
}
inline void cat_one(std::string& out, char c) {
  out.push_back(c);
}
inline void cat_one(std::string& out, bool b) {
  out.append(b ? "true" : "false");
}
template <class T>
requires std::is_integral_v<T>
void cat_one(std::string& out, T v) {
  out.append(std::to_string(v));
}
// Concatenate strings and integers: cat("became leader at term ", term).
template <class... Args>
std::string cat(const Args&... args) {
  std::string out;
  (cat_one(out, args), ...);
  return out;
}
}  // namespace detail

}  // namespace cl::raft
