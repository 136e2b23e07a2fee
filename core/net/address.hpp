#pragma once
// Peer addresses as people write them: "host:port", where host is an IPv4 address, a hostname,
// or an IPv6 address in brackets ("[::1]:9096"). Resolution happens later, in the transport.
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace cl::net {

struct HostPort {
  std::string host;  // without brackets
  std::uint16_t port = 0;

  // "host:port", brackets around an IPv6 host.
  std::string to_string() const;
  friend bool operator==(const HostPort&, const HostPort&) = default;
};

// Parse "host:port". Port 0..65535 (0 means "any" for listen; dialing refuses it). Errors
// (Code::invalid_argument) name the text: "invalid address 'x': expected host:port (e.g.
// 10.0.0.1:9096 or [::1]:9096)".
util::Result<HostPort> parse_host_port(std::string_view text);

}  // namespace cl::net
