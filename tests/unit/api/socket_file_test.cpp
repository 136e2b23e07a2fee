// The socket file: its mode, stale files, a live daemon already there, removal on stop, and the
// client's message when nobody listens.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace cl;
using namespace cl::api;
using namespace cl::api::test;

namespace {

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

// Bind a socket at `path` and close it without unlinking: what a crashed daemon leaves behind.
void leave_stale_socket(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  ::close(fd);
  REQUIRE(exists(path));
}

}  // namespace

TEST_CASE("socket file: mode 0660, removed on stop") {
  std::string path;
  {
    TestServer server;
    path = server.path();
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK(S_ISSOCK(st.st_mode));
    CHECK((st.st_mode & 07777) == 0660);
    server.stop();
    CHECK_FALSE(exists(path));
  }
}

TEST_CASE("socket file: another mode is honoured") {
  ServerOptions opt;
  opt.mode = 0600;
  TestServer server(opt);
  struct stat st {};
  REQUIRE(::stat(server.path().c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
}

TEST_CASE("socket file: a stale socket is replaced") {
  TempDir dir;
  ServerOptions opt;
  opt.path = dir.file("raftd.sock");
  leave_stale_socket(opt.path);
  TestServer server(opt);
  Client c = server.connect();
  CHECK(c.call("echo", Json{{"fresh", true}}, kWait).is_ok());
}

TEST_CASE("socket file: a second server on a live socket is refused and the first keeps working") {
  TestServer first;
  boost::asio::io_context io;
  Server second(io, ServerOptions{.path = first.path()});
  auto st = second.start();
  CHECK(st.code() == util::Code::failed_precondition);
  CHECK(st.message() == "another cl-raftd is already listening on '" + first.path() +
                            "'; stop it first, or choose another --socket");
  second.stop();
  CHECK(exists(first.path()));
  Client c = first.connect();
  CHECK(c.call("echo", Json::object(), kWait).is_ok());
}

TEST_CASE("socket file: a path that is not a socket is left alone") {
  TempDir dir;
  std::string path = dir.file("raftd.sock");
  std::ofstream(path) << "precious";
  boost::asio::io_context io;
  Server server(io, ServerOptions{.path = path});
  auto st = server.start();
  CHECK(st.code() == util::Code::failed_precondition);
  CHECK(st.message() == "'" + path + "' exists and is not a socket; remove it or choose another --socket");
  std::ifstream in(path);
  std::string content;
  in >> content;
  CHECK(content == "precious");
}

TEST_CASE("socket file: a missing directory and a too long path are clear errors") {
  boost::asio::io_context io;
  Server missing(io, ServerOptions{.path = "/tmp/cl-api-no-such-dir/raftd.sock"});
  auto st = missing.start();
  CHECK(st.code() == util::Code::io_error);
  CHECK_THAT(st.message(), Catch::StartsWith("cannot bind the socket '/tmp/cl-api-no-such-dir/raftd.sock'"));
  CHECK_THAT(st.message(), Catch::EndsWith("create its directory first"));

  Server long_path(io, ServerOptions{.path = "/tmp/" + std::string(200, 'd') + "/raftd.sock"});
  CHECK(long_path.start().code() == util::Code::invalid_argument);
}

TEST_CASE("socket file: bad options are refused before touching the path") {
  boost::asio::io_context io;
  TempDir dir;
  ServerOptions opt;
  opt.path = dir.file("raftd.sock");
  opt.low_water_bytes = opt.high_water_bytes;
  Server server(io, opt);
  auto st = server.start();
  CHECK(st.code() == util::Code::invalid_argument);
  CHECK_THAT(st.message(), Catch::StartsWith("invalid api server option low_water_bytes"));
  CHECK_FALSE(exists(opt.path));
}

TEST_CASE("client: connecting to a missing socket is unavailable and names the path") {
  TempDir dir;
  std::string path = dir.file("raftd.sock");
  auto c = Client::connect(path, kWait);
  CHECK(c.code() == util::Code::unavailable);
  CHECK(c.status().message() ==
        "cannot reach cl-raftd at '" + path + "': No such file or directory; is it running? (cl-raftd run)");
  leave_stale_socket(path);
  auto stale = Client::connect(path, kWait);
  CHECK(stale.code() == util::Code::unavailable);
  CHECK_THAT(stale.status().message(), Catch::Contains("Connection refused; is it running?"));
}
