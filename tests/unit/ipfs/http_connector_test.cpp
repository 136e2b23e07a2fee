// HttpConnector's own logic: configuration checks, the connection backoff (driven by a
// FakeClock), the multipart body of add, concurrent calls.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "fake_server.hpp"
#include "ipfs/http_connector.hpp"
#include "support/temp_dir.hpp"
#include "test_cids.hpp"
#include "util/clock.hpp"
#include "util/rng.hpp"

using namespace cl::ipfs;
using cl::util::Code;
using cl::util::FakeClock;
using cl::util::Millis;
using test::Conn;
using test::FakeServer;
using test::Request;

namespace fs = std::filesystem;

namespace {

const char* kVersion = R"({"Version":"0.18.1","Commit":"","Repo":"12"})";

std::unique_ptr<HttpConnector> make(HttpConfig config, cl::util::Clock& clock) {
  auto c = HttpConnector::create(std::move(config), clock);
  REQUIRE(c.is_ok());
  return std::move(*c);
}

// The parts of a multipart body: {Content-Disposition filename, Content-Type, content}.
struct Part {
  std::string filename, type, content;
};
std::vector<Part> parse_multipart(const Request& r) {
  auto ct = r.headers.at("content-type");
  std::string boundary = "--" + ct.substr(ct.find("boundary=") + 9);
  std::vector<Part> parts;
  std::size_t pos = r.body.find(boundary);
  while (pos != std::string::npos) {
    std::size_t start = pos + boundary.size();
    if (r.body.compare(start, 2, "--") == 0) break;
    std::size_t next = r.body.find(boundary, start);
    std::string raw = r.body.substr(start + 2, next - start - 4);  // drop \r\n after and before
    std::size_t head_end = raw.find("\r\n\r\n");
    std::string head = raw.substr(0, head_end);
    Part p;
    p.content = raw.substr(head_end + 4);
    auto fn = head.find("filename=\"");
    if (fn != std::string::npos) p.filename = head.substr(fn + 10, head.find('"', fn + 10) - fn - 10);
    auto t = head.find("Content-Type: ");
    if (t != std::string::npos) p.type = head.substr(t + 14, head.find("\r\n", t) - t - 14);
    CHECK_THAT(head, Catch::Contains("name=\"file\""));
    parts.push_back(p);
    pos = next;
  }
  return parts;
}

}  // namespace

TEST_CASE("HttpConfig refuses what cannot work, naming the field") {
  HttpConfig ok;
  CHECK(ok.validate().is_ok());
  auto bad = [](auto change) {
    HttpConfig c;
    change(c);
    return c.validate();
  };
  Status url = bad([](HttpConfig& c) { c.api_url = "127.0.0.1:5001"; });
  CHECK(url.code() == Code::invalid_argument);
  CHECK_THAT(url.message(), Catch::Contains("'127.0.0.1:5001'"));
  CHECK_FALSE(bad([](HttpConfig& c) { c.api_url = "http://127.0.0.1:5001/api/v0"; }).is_ok());
  CHECK_FALSE(bad([](HttpConfig& c) { c.api_url = "http://"; }).is_ok());
  CHECK(bad([](HttpConfig& c) { c.api_url = "https://ipfs.example:443"; }).is_ok());
  Status t = bad([](HttpConfig& c) { c.call_timeout = Millis(0); });
  CHECK_THAT(t.message(), Catch::Contains("call_timeout"));
  CHECK_FALSE(bad([](HttpConfig& c) { c.backoff_min = Millis(10'000); }).is_ok());
  CHECK_FALSE(bad([](HttpConfig& c) { c.line_bytes_max = 0; }).is_ok());
  CHECK(HttpConnector::create(HttpConfig{"ftp://x"}).code() == Code::invalid_argument);
}

TEST_CASE("connection refused is unavailable; then calls fail fast until the backoff has passed") {
  FakeClock clock;
  std::uint16_t port = test::unused_port();
  HttpConfig config;
  config.api_url = "http://127.0.0.1:" + std::to_string(port);
  config.backoff_min = Millis(1'000);
  config.backoff_max = Millis(4'000);
  auto ipfs = make(config, clock);

  auto refused = ipfs->version();
  REQUIRE(refused.code() == Code::unavailable);
  CHECK_THAT(refused.status().message(), Catch::Contains(config.api_url));
  CHECK_THAT(refused.status().message(), Catch::Contains("is the IPFS daemon running"));

  // The daemon comes back, but within the backoff nothing is tried: the server sees nothing.
  FakeServer server([](const Request&, Conn& c) { c.reply(200, kVersion); }, port);
  auto fast = ipfs->version();
  REQUIRE(fast.code() == Code::unavailable);
  CHECK_THAT(fast.status().message(), Catch::Contains("not retrying for another 1s"));
  CHECK_THAT(fast.status().message(), Catch::Contains("ipfs version at " + config.api_url));
  clock.advance(Millis(999));
  CHECK(ipfs->id().code() == Code::unavailable);
  CHECK(server.requests().empty());

  clock.advance(Millis(1));
  auto back = ipfs->version();
  REQUIRE(back.is_ok());
  CHECK(back->version == "0.18.1");
  CHECK(back->repo == "12");
  CHECK(server.requests().size() == 1);
}

TEST_CASE("the backoff doubles per failed attempt up to backoff_max and resets on success") {
  FakeClock clock;
  std::uint16_t port = test::unused_port();
  HttpConfig config;
  config.api_url = "http://127.0.0.1:" + std::to_string(port);
  config.backoff_min = Millis(1'000);
  config.backoff_max = Millis(4'000);
  auto ipfs = make(config, clock);
  const char* expected[] = {"1s", "2s", "4s", "4s"};
  for (const char* wait : expected) {
    REQUIRE_THAT(ipfs->version().status().message(), Catch::Contains("cannot connect"));
    auto fast = ipfs->version();
    CHECK_THAT(fast.status().message(), Catch::Contains(std::string("not retrying for another ") + wait));
    clock.advance(Millis(4'000));
  }
  {
    FakeServer server([](const Request&, Conn& c) { c.reply(200, kVersion); }, port);
    REQUIRE(ipfs->version().is_ok());
  }
  // Reset: the next refusal starts again at backoff_min.
  REQUIRE_THAT(ipfs->version().status().message(), Catch::Contains("cannot connect"));
  CHECK_THAT(ipfs->version().status().message(), Catch::Contains("not retrying for another 1s"));
}

TEST_CASE("add uploads a directory tree the way Kubo's client does") {
  cl::testing::TempDir tmp;
  fs::path dir = fs::path(tmp.path()) / "tree";
  fs::create_directories(dir / "sub dir" / "deeper");
  fs::create_directories(dir / "empty");
  std::ofstream(dir / "b.txt") << "bee";
  std::ofstream(dir / "a.txt") << "ay";
  std::ofstream(dir / "sub dir" / "c+d.txt") << "see";
  fs::create_symlink("a.txt", dir / "link");

  FakeServer server([](const Request&, Conn& c) {
    c.head();
    c.chunk(test::with_cids(R"({"Name":"tree","Hash":"@Root","Size":100})"
                            "\n"));
    c.end();
  });
  HttpConfig config;
  config.api_url = server.url();
  FakeClock clock;
  auto ipfs = make(config, clock);
  AddRequest req;
  req.path = dir / "";  // a trailing slash names the directory itself

  // A symlink is refused, by name, before anything is sent.
  auto refused = ipfs->add(req);
  CHECK(refused.code() == Code::invalid_argument);
  CHECK_THAT(refused.status().message(), Catch::Contains((dir / "link").string()));
  CHECK(server.requests().empty());

  fs::remove(dir / "link");
  auto root = ipfs->add(req);
  REQUIRE(root.is_ok());
  CHECK(root->cid == test::cid_of("Root"));
  REQUIRE(server.requests().size() == 1);
  auto parts = parse_multipart(server.requests()[0]);
  std::string name = dir.filename().string();
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& p : parts) got.emplace_back(p.filename, p.type);
  std::vector<std::pair<std::string, std::string>> want = {
      {name, "application/x-directory"},
      {name + "%2Fa.txt", "application/octet-stream"},
      {name + "%2Fb.txt", "application/octet-stream"},
      {name + "%2Fempty", "application/x-directory"},
      {name + "%2Fsub%20dir", "application/x-directory"},
      {name + "%2Fsub%20dir%2Fc%2Bd.txt", "application/octet-stream"},
      {name + "%2Fsub%20dir%2Fdeeper", "application/x-directory"},
  };
  CHECK(got == want);
  CHECK(parts[1].content == "ay");
  CHECK(parts[5].content == "see");

  // A limit on entries, named in the error.
  config.add_entries_max = 3;
  auto small = make(config, clock);
  auto too_many = small->add(req);
  CHECK(too_many.code() == Code::resource_exhausted);
  CHECK(server.requests().size() == 1);
}

TEST_CASE("many threads can share one HttpConnector") {
  std::atomic<int> served{0};
  FakeServer server([&served](const Request&, Conn& c) {
    ++served;
    c.reply(200, kVersion);
  });
  HttpConfig config;
  config.api_url = server.url();
  config.idle_handles_max = 2;
  auto ipfs = make(config, cl::util::SystemClock::instance());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) ok += ipfs->version().is_ok() ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == 40);
  CHECK(served == 40);
}
