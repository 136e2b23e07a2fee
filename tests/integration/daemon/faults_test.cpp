// What the daemon does with bad peers, bad clients and a full disk.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "helpers.hpp"
#include "util/rng.hpp"

using namespace cl;
using namespace cl::testing;
using api::Json;

namespace {

// Connect to 127.0.0.1:port and write bytes; returns after the write (or failure).
void send_garbage(int port, const std::string& bytes) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
    (void)::write(fd, bytes.data(), bytes.size());
    char buf[256];
    timeval tv{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    (void)::read(fd, buf, sizeof buf);  // the daemon closes on us
  }
  ::close(fd);
}

}  // namespace

TEST_CASE(
    "a peer with the wrong secret and a client speaking garbage are refused; the cluster keeps committing",
    "[security]") {
  LocalCluster c({.bin_dir = bin_dir(), .base_port = 19790});
  c.add_peers(3);
  REQUIRE(c.wait_for_voters(3));
  const int intruder = c.init_peer(std::string(64, 'e'));
  c.start(intruder, 0);
  util::Rng rng(3);
  std::string junk(4096, '\0');
  for (auto& ch : junk) ch = static_cast<char>(rng.next());
  send_garbage(c.port(0), junk);
  send_garbage(c.port(1), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");

  for (int k = 0; k < 50; ++k) REQUIRE(c.call(k % 3, "pin.add", Json{{"cid", test_cid(k)}}).is_ok());
  // The intruder never joined: not a member, and it says so in its log.
  auto peers = c.stream(0, "peers.ls");
  REQUIRE(peers.is_ok());
  CHECK(peers->size() == 3);
  for (const auto& p : *peers) CHECK(p["peer_id"] != c.peer_id(intruder));
  CHECK_THAT(c.log(intruder), Catch::Contains("join"));
  CHECK(c.call(intruder, "health")->value("status", "") != "ok");
  // The members logged the rejections, and never the secret.
  const std::string log0 = c.log(0);
  CHECK_THAT(log0, Catch::Contains("net:"));
  for (int i = 0; i < 3; ++i) CHECK(c.log(i).find(c.secret()) == std::string::npos);
}

TEST_CASE("bad lines on the local socket get clear errors and the connection goes on", "[socket]") {
  LocalCluster c({.bin_dir = bin_dir(), .base_port = 19810});
  c.add_peers(1);
  auto client = api::Client::connect(c.socket(0), util::Millis(5000));
  REQUIRE(client.is_ok());
  auto expect_error = [&](const std::string& raw, util::Code code, const std::string& text) {
    REQUIRE(client->send_raw(raw, util::Millis(10'000)).is_ok());
    auto reply = client->receive(util::Millis(10'000));
    REQUIRE(reply.is_ok());
    REQUIRE(reply->kind == api::Reply::Kind::error);
    CHECK(reply->error.code() == code);
    CHECK_THAT(reply->error.message(), Catch::Contains(text));
  };
  expect_error("{\"id\": 1, \"method\": \n", util::Code::invalid_argument, "line 1");
  expect_error("{\"id\": 2, \"method\": \"pin.foo\"}\n", util::Code::not_found, "pin.foo");
  expect_error("{\"id\": 3, \"method\": \"pin.add\", \"params\": {\"cid\": \"Qmfoo\"}}\n",
               util::Code::invalid_argument, "'Qmfoo'");
  expect_error(std::string(10 << 20, 'x') + "\n", util::Code::resource_exhausted, "bytes");
  // Same connection, still serving.
  auto ok = client->call("pin.add", Json{{"cid", test_cid(1)}}, util::Millis(10'000));
  INFO(ok.status().to_string());
  CHECK(ok.is_ok());
  CHECK(c.call(0, "health")->value("status", "") == "ok");
}

TEST_CASE("a full disk refuses writes with a clear error and loses nothing acknowledged", "[disk]") {
  LocalCluster c({.bin_dir = bin_dir(), .base_port = 19830});
  c.add_peers(1);
  c.kill(0, 15);
  REQUIRE(c.wait_exit(0) == 0);
  // Move the database onto a small tmpfs (as root; otherwise this machine cannot run the test).
  const std::string state = c.home(0) + "/state";
  const std::string saved = c.home(0) + "/state.saved";
  std::filesystem::rename(state, saved);
  std::filesystem::create_directory(state);
  if (::mount("tmpfs", state.c_str(), "tmpfs", 0, "size=3m") != 0) {
    FAIL("cannot mount a tmpfs for the disk-full test (needs root): " << std::strerror(errno));
  }
  struct Unmount {
    std::string path;
    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{state};
  for (const auto& e : std::filesystem::directory_iterator(saved)) {
    std::filesystem::copy(e.path(), state + "/" + e.path().filename().string(),
                          std::filesystem::copy_options::recursive);
  }
  c.start(0);
  REQUIRE(c.wait_for_leader());
  // Fill the disk with pins until the daemon refuses.
  std::set<std::string> acked;
  util::Status refused;
  for (int k = 0; k < 100'000 && refused.is_ok(); ++k) {
    const std::string cid = test_cid(k);
    auto r = c.call(0, "pin.add", Json{{"cid", cid}, {"name", std::string(200, 'n')}}, 10'000);
    if (r.is_ok()) {
      acked.insert(cid);
    } else {
      refused = r.status();
    }
  }
  INFO(refused.to_string());
  REQUIRE_FALSE(refused.is_ok());
  CHECK(acked.size() > 100);
  CHECK_THAT(refused.message(), Catch::Contains("disk full") || Catch::Contains("cannot write"));
  auto health = c.call(0, "health");
  REQUIRE(health.is_ok());
  CHECK((*health)["status"] == "degraded");
  // Reads still work and nothing acknowledged is missing.
  auto before = pinset(c, 0);
  // (pin.ls needs no write)
  for (const auto& cid : acked) CHECK(before.count(cid) == 1);
  // Restart on the same full disk: still everything there.
  c.kill(0);
  c.start(0);
  REQUIRE(c.wait_for_leader());
  auto after = pinset(c, 0);
  for (const auto& cid : acked) CHECK(after.count(cid) == 1);
}
