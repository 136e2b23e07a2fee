#include "net/address.hpp"

#include <catch2/catch.hpp>

using namespace cl::net;

TEST_CASE("host:port parses IPv4, hostnames and bracketed IPv6") {
  struct Case {
    const char* text;
    const char* host;
    int port;
  };
  for (const Case& c : {Case{"127.0.0.1:9096", "127.0.0.1", 9096}, Case{"localhost:0", "localhost", 0},
                        Case{"peer-1.example.org:65535", "peer-1.example.org", 65535},
                        Case{"[::1]:9096", "::1", 9096}, Case{"[fe80::1%eth0]:1", "fe80::1%eth0", 1}}) {
    auto r = parse_host_port(c.text);
    REQUIRE(r.is_ok());
    CHECK(r->host == c.host);
    CHECK(r->port == c.port);
    CHECK(r->to_string() == c.text);
  }
}

TEST_CASE("bad addresses are refused with the text in the message") {
  for (const char* text : {"", "127.0.0.1", ":9096", "host:", "host:65536", "host:-1", "host:12a", "::1:9096",
                           "[::1]9096", "[::1:9096", "[]:1", "a b:1", "host:123456"}) {
    auto r = parse_host_port(text);
    INFO(text);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.code() == cl::util::Code::invalid_argument);
    CHECK(r.status().message().find(cl::util::quote(text)) != std::string::npos);
  }
}
