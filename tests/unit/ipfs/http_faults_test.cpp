// HttpConnector against a fake server, for what a real daemon cannot be made to do on demand:
// 500s, resets mid-stream, stalls, Kubo's progress stream, Kubo's number formats, trailers.
// The happy paths against a real daemon are in tests/integration/ipfs.
#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "fake_server.hpp"
#include "ipfs/http_connector.hpp"
#include "test_cids.hpp"
#include "util/clock.hpp"

using namespace cl::ipfs;
using cl::util::Code;
using cl::util::Millis;
using test::cid_of;
using test::cid_text;
using test::Conn;
using test::FakeServer;
using test::Request;
using test::with_cids;

namespace {

const std::string kCidText = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
const Cid kCid = *Cid::parse(kCidText);

std::unique_ptr<HttpConnector> connect_to(const std::string& url, HttpConfig config = {}) {
  config.api_url = url;
  auto c = HttpConnector::create(config);
  REQUIRE(c.is_ok());
  return std::move(*c);
}

std::string path_of(const Request& r) {
  return r.target.substr(0, r.target.find('?'));
}

}  // namespace

TEST_CASE("a daemon's HTTP 500 becomes internal, quoting its message and naming path, cid and url") {
  FakeServer server([](const Request&, Conn& c) {
    c.reply(500, R"({"Message":"Failed to add pin: disk on fire","Code":0,"Type":"error"})");
  });
  auto ipfs = connect_to(server.url());
  Status st = ipfs->pin_add(kCid, {});
  REQUIRE(st.code() == Code::internal);
  CHECK_THAT(st.message(), Catch::Contains("'Failed to add pin: disk on fire'"));
  CHECK_THAT(st.message(), Catch::Contains("pin/add '" + kCidText + "'"));
  CHECK_THAT(st.message(), Catch::Contains(server.url()));
  auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "POST");
  CHECK(path_of(requests[0]) == "/api/v0/pin/add");
  CHECK_THAT(requests[0].target, Catch::Contains("arg=" + kCidText));
  CHECK_THAT(requests[0].target, Catch::Contains("progress=true"));
  CHECK_THAT(requests[0].target, Catch::Contains("recursive=true"));
  CHECK_THAT(requests[0].target, Catch::Contains("timeout=86400000ms"));
}

TEST_CASE("a daemon's 'request timed out' is a timeout; a 400 is invalid_argument") {
  FakeServer server([](const Request& r, Conn& c) {
    if (r.target.find("block/stat") != std::string::npos) {
      c.reply(500, R"({"Message":"Failed to get block stats: request timed out","Code":0,"Type":"error"})");
    } else {
      c.reply(400, R"({"Message":"Invalid request query input","Code":1,"Type":"error"})");
    }
  });
  auto ipfs = connect_to(server.url());
  auto stat = ipfs->block_stat(kCid);
  CHECK(stat.code() == Code::timeout);
  Status bad = ipfs->swarm_connect("/not/a/multiaddr");
  CHECK(bad.code() == Code::invalid_argument);
  CHECK_THAT(bad.message(), Catch::Contains("Invalid request query input"));
}

TEST_CASE("pin/rm of a CID that is not pinned is done, other pin/rm errors are not") {
  test::Shared<std::string> message("Failed to remove pin: " + kCidText + " is not pinned");
  FakeServer server([&message](const Request&, Conn& c) {
    c.reply(500, R"({"Message":")" + message.get() + R"(","Code":0,"Type":"error"})");
  });
  auto ipfs = connect_to(server.url());
  CHECK(ipfs->pin_rm(kCid).is_ok());
  message.set("not pinned or pinned indirectly");  // Kubo's wording
  CHECK(ipfs->pin_rm(kCid).is_ok());
  message.set("datastore closed");
  CHECK(ipfs->pin_rm(kCid).code() == Code::internal);
}

TEST_CASE("a connection reset in the middle of a pin/ls stream is an io_error after the pins before it") {
  FakeServer server([](const Request&, Conn& c) {
    c.head();
    c.chunk(with_cids(R"({"Type":"recursive","Cid":"@A"})"
                      "\n"
                      R"({"Type":"recursive","Cid":"@B"})"
                      "\n"));
    c.chunk(R"({"Type":"recur)");
    c.reset();
  });
  auto ipfs = connect_to(server.url());
  std::vector<Cid> seen;
  Status st = ipfs->pin_ls(PinType::recursive, [&](const PinInfo& p) {
    seen.push_back(p.cid);
    return Status::ok();
  });
  CHECK(st.code() == Code::io_error);
  CHECK_THAT(st.message(), Catch::Contains("pin/ls"));
  CHECK(seen == std::vector<Cid>{cid_of("A"), cid_of("B")});
}

TEST_CASE("a connection closed before any answer is unavailable, without starting the backoff") {
  std::atomic<bool> answer{false};
  FakeServer server([&answer](const Request&, Conn& c) {
    if (answer) {
      c.reply(200, R"({"Version":"0.18.1"})");
    } else {
      c.reset();  // a daemon that died after accepting the request
    }
  });
  auto ipfs = connect_to(server.url());
  auto lost = ipfs->version();
  CHECK(lost.code() == Code::unavailable);
  CHECK_THAT(lost.status().message(), Catch::Contains("closed before the daemon answered"));
  answer = true;
  CHECK(ipfs->version().is_ok());  // tried at once: no backoff
}

TEST_CASE("an X-Stream-Error trailer fails a stream that looked complete") {
  FakeServer server([](const Request&, Conn& c) {
    c.head();
    c.chunk(with_cids(R"({"Type":"direct","Cid":"@A"})"
                      "\n"));
    c.end("X-Stream-Error: context canceled");
  });
  auto ipfs = connect_to(server.url());
  int seen = 0;
  Status st = ipfs->pin_ls(PinType::direct, [&](const PinInfo& p) {
    CHECK(p.type == PinType::direct);
    ++seen;
    return Status::ok();
  });
  CHECK(st.code() == Code::internal);
  CHECK_THAT(st.message(), Catch::Contains("'context canceled'"));
  CHECK(seen == 1);
}

TEST_CASE("pin/ls lines split across chunks are joined; a sink error stops the listing") {
  FakeServer server([](const Request& r, Conn& c) {
    CHECK_THAT(r.target, Catch::Contains("type=recursive"));
    CHECK_THAT(r.target, Catch::Contains("stream=true"));
    c.head();
    c.chunk(R"({"Type":"recursive",)");
    c.chunk(with_cids(R"("Cid":"@A"})"
                      "\r\n"
                      R"({"Cid":{"/":"$B"},"Type":"recursive"})"
                      "\n"));
    c.chunk(with_cids(R"({"Type":"recursive","Cid":"@C"})"
                      "\n"));
    c.end();
  });
  auto ipfs = connect_to(server.url());
  std::vector<Cid> seen;
  Status st = ipfs->pin_ls(PinType::recursive, [&](const PinInfo& p) {
    seen.push_back(p.cid);
    return seen.size() == 2 ? cl::util::resource_exhausted("enough") : Status::ok();
  });
  CHECK(st == cl::util::resource_exhausted("enough"));
  CHECK(seen == std::vector<Cid>{cid_of("A"), cid_of("B").to_v1()});
}

TEST_CASE("a pin/add that never answers is abandoned after its stall timeout") {
  std::atomic<bool> client_closed{false};
  {
    FakeServer server([&](const Request&, Conn& c) {
      c.head();  // headers, then nothing, as js-ipfs while it looks for the blocks
      client_closed = c.wait_client_close(20'000);
    });
    auto ipfs = connect_to(server.url());
    PinAddOptions options;
    options.stall_timeout = Millis(300);
    Status st = ipfs->pin_add(kCid, options);
    CHECK(st.code() == Code::timeout);
    CHECK_THAT(st.message(), Catch::Contains("no progress for 300ms"));
    CHECK_THAT(st.message(), Catch::Contains(kCidText));
  }                      // the server's thread is joined: its handler has returned
  CHECK(client_closed);  // the call did not leave the connection open
}

TEST_CASE("a Kubo-style stream of progress keeps a pin alive past its stall timeout") {
  FakeServer server([](const Request&, Conn& c) {
    c.head();
    // 12 progress steps 100 ms apart: 1.2 s in all, four times the stall timeout, never more
    // than a third of it between two steps. A repeated value is not progress.
    for (int i = 1; i <= 12; ++i) {
      c.chunk(R"({"Progress":)" + std::to_string(i) + "}\n");
      if (i == 6)
        c.chunk(R"({"Progress":6})"
                "\n");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    c.chunk(R"({"Pins":["QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"]})"
            "\n");
    c.end();
  });
  auto ipfs = connect_to(server.url());
  PinAddOptions options;
  options.stall_timeout = Millis(300);
  std::vector<std::uint64_t> progress;
  options.on_progress = [&](std::uint64_t blocks) { progress.push_back(blocks); };
  Status st = ipfs->pin_add(kCid, options);
  CHECK(st.is_ok());
  CHECK(progress == std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
}

TEST_CASE("progress that repeats the same value does not keep a pin alive") {
  FakeServer server([](const Request&, Conn& c) {
    c.head();
    for (int i = 0; i < 100 && c.chunk(R"({"Progress":3})"
                                       "\n");
         ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  auto ipfs = connect_to(server.url());
  PinAddOptions options;
  options.stall_timeout = Millis(300);
  CHECK(ipfs->pin_add(kCid, options).code() == Code::timeout);
}

TEST_CASE("a cancelled pin/add ends with cancelled") {
  FakeServer server([](const Request&, Conn& c) {
    c.head();
    c.wait_client_close(20'000);
  });
  auto ipfs = connect_to(server.url());
  CancelFlag cancel;
  PinAddOptions options;
  options.cancel = &cancel;
  std::thread canceller([&cancel] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancel.cancel();
  });
  Status st = ipfs->pin_add(kCid, options);
  canceller.join();
  CHECK(st.code() == Code::cancelled);
}

TEST_CASE("the final pin/add line must list the pins") {
  FakeServer server([](const Request&, Conn& c) { c.reply(200, R"({"Pins":[]})"); });
  auto ipfs = connect_to(server.url());
  CHECK(ipfs->pin_add(kCid, {}).code() == Code::corrupt);
}

TEST_CASE("repo/stat numbers may be JSON numbers (Kubo) or decimal strings (js-ipfs)") {
  test::Shared<std::string> body;
  FakeServer server([&body](const Request&, Conn& c) { c.reply(200, body.get()); });
  auto ipfs = connect_to(server.url());

  body.set(
      R"({"NumObjects":"14","RepoSize":"1302729","RepoPath":"/r","Version":"12","StorageMax":"9007199254740991"})");
  auto js = ipfs->repo_stat();
  REQUIRE(js.is_ok());
  CHECK(js->num_objects == 14);
  CHECK(js->repo_size_bytes == 1302729);
  CHECK(js->storage_max_bytes == 9007199254740991ull);
  CHECK(js->version == "12");

  body.set(
      R"({"RepoSize":1302729,"StorageMax":10000000000,"NumObjects":14,"RepoPath":"/r","Version":"fs-repo@15"})");
  auto kubo = ipfs->repo_stat();
  REQUIRE(kubo.is_ok());
  CHECK(kubo->repo_size_bytes == js->repo_size_bytes);
  CHECK(kubo->storage_max_bytes == 10000000000ull);
  CHECK(kubo->version == "fs-repo@15");

  body.set(R"({"RepoSize":"12x","StorageMax":1,"NumObjects":1})");
  auto bad = ipfs->repo_stat();
  CHECK(bad.code() == Code::corrupt);
  CHECK_THAT(bad.status().message(), Catch::Contains("'RepoSize'"));
  CHECK_THAT(bad.status().message(), Catch::Contains("12x"));
}

TEST_CASE("add Size may be a number (js-ipfs) or a string (Kubo); progress lines are skipped") {
  FakeServer server([](const Request&, Conn& c) {
    c.head();
    c.chunk(R"({"Name":"a.txt","Bytes":5})"
            "\n");
    c.chunk(with_cids(R"({"Name":"a.txt","Hash":"@A","Size":"13"})"
                      "\n"));
    c.chunk(with_cids(R"({"Name":"","Hash":"@Root","Size":70})"
                      "\n"));
    c.end();
  });
  auto ipfs = connect_to(server.url());
  AddRequest req;
  req.content = "hello";
  req.name = "a.txt";
  req.wrap = true;
  std::vector<AddedEntry> entries;
  auto root = ipfs->add(req, [&](const AddedEntry& e) {
    entries.push_back(e);
    return Status::ok();
  });
  REQUIRE(root.is_ok());
  CHECK(root->cid == cid_of("Root"));
  CHECK(root->size_bytes == 70);
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].size_bytes == 13);
  CHECK_THAT(server.requests()[0].target, Catch::Contains("wrap-with-directory=true"));
}

TEST_CASE("a streamed line over the limit stops the call with resource_exhausted") {
  FakeServer server([](const Request&, Conn& c) {
    c.head();
    c.chunk(std::string(5000, 'x'));
    c.wait_client_close(5'000);
  });
  HttpConfig config;
  config.line_bytes_max = 1024;
  auto ipfs = connect_to(server.url(), config);
  Status st = ipfs->pin_ls(PinType::recursive, [](const PinInfo&) { return Status::ok(); });
  CHECK(st.code() == Code::resource_exhausted);
}

TEST_CASE("pin/update uses the daemon's endpoint; FROM not pinned is not_found") {
  std::atomic<bool> pinned{true};
  FakeServer server([&pinned](const Request& r, Conn& c) {
    REQUIRE(path_of(r) == "/api/v0/pin/update");
    if (pinned) {
      c.reply(200, with_cids(R"({"Pins":["@From","@To"]})"));
    } else {
      c.reply(500, R"({"Message":"'from' cid was not recursively pinned already","Code":0,"Type":"error"})");
    }
  });
  auto ipfs = connect_to(server.url());
  CHECK(ipfs->pin_update(cid_of("From"), cid_of("To"), true).is_ok());
  CHECK_THAT(server.requests()[0].target,
             Catch::Contains("arg=" + cid_text("From") + "&arg=" + cid_text("To") + "&unpin=true"));
  pinned = false;
  CHECK(ipfs->pin_update(cid_of("From"), cid_of("To"), false).code() == Code::not_found);
}
