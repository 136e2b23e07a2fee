#include "util/status.hpp"

#include <array>
#include <cstdio>

namespace cl::util {

namespace {
constexpr std::array<std::string_view, 14> kNames = {
    "ok",
    "invalid_argument",
    "not_found",
    "already_exists",
    "not_leader",
    "unavailable",
    "timeout",
    "io_error",
    "corrupt",
    "cancelled",
    "resource_exhausted",
    "permission_denied",
    "failed_precondition",
    "internal",
};
}  // namespace

std::string_view code_name(Code code) {
  auto i = static_cast<std::size_t>(code);
  return i < kNames.size() ? kNames[i] : std::string_view("unknown");
}

Code code_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Code>(i);
  }
  return Code::internal;
}

std::string Status::to_string() const {
  if (is_ok()) return "ok";
  std::string s(code_name(code_));
  if (!message_.empty()) {
    s += ": ";
    s += message_;
  }
  return s;
}

Status Status::with_context(std::string_view context) const {
  if (is_ok()) return *this;
  std::string m(context);
  m += ": ";
  m += message_;
  return {code_, std::move(m)};
}

std::string quote(std::string_view value, std::size_t max_chars) {
  std::string out = "'";
  std::size_t shown = 0;
  for (unsigned char c : value) {
    if (shown >= max_chars) {
      out += "...";
      break;
    }
    if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
    ++shown;
  }
  out += "'";
  return out;
}

}  // namespace cl::util
