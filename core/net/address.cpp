#include "net/address.hpp"

#include <charconv>

namespace cl::net {

namespace {
util::Status bad(std::string_view text, std::string_view why) {
  return util::invalid_argument("invalid address " + util::quote(text) + ": " + std::string(why) +
                                " (use host:port, e.g. 10.0.0.1:9096 or [::1]:9096)");
}
}  // namespace

std::string HostPort::to_string() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

util::Result<HostPort> parse_host_port(std::string_view text) {
  std::string_view host, port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) return bad(text, "missing ']' after the IPv6 address");
    host = text.substr(1, close - 1);
    auto rest = text.substr(close + 1);
    if (rest.empty() || rest.front() != ':') return bad(text, "missing ':port' after ']'");
    port = rest.substr(1);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad(text, "missing ':port'");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return bad(text, "put an IPv6 address in brackets");
  }
  if (host.empty()) return bad(text, "missing host");
  for (char c : host) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '/' || c == '[' || c == ']')
      return bad(text, "the host has a character that is not allowed");
  }
  if (port.empty() || port.size() > 5) return bad(text, "the port must be a number from 0 to 65535");
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value > 65535)
    return bad(text, "the port must be a number from 0 to 65535");
  return HostPort{std::string(host), static_cast<std::uint16_t>(value)};
}

}  // namespace cl::net
