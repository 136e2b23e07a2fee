#include <catch2/catch.hpp>

#include "pin/command.hpp"
#include "pin/pin_json.hpp"

using namespace cl;
using nlohmann::json;

namespace {

cid::Cid cid_of(const char* text) {
  auto c = cid::Cid::parse(text);
  REQUIRE(c.is_ok());
  return *c;
}

pin::Pin full_pin() {
  pin::Pin p;
  p.cid = cid_of("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
  p.name = "backup-2026";
  p.mode = pin::Mode::direct;
  p.rmin = 2;
  p.rmax = 3;
  p.allocations = {"12D3KooWA", "12D3KooWB"};
  p.user_allocations = {"12D3KooWB"};
  p.metadata = {{"owner", "ops"}, {"tier", "cold"}};
  p.expire_at_ms = 1'800'000'000'000;
  p.timestamp_ms = 1'700'000'000'250;
  p.pin_update_from = cid_of("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH");
  p.size_bytes = 12345;
  return p;
}

}  // namespace

TEST_CASE("a pin's JSON uses IPFS Cluster's names and round-trips") {
  auto p = full_pin();
  json j = pin::to_json(p);
  CHECK(j["cid"] == "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
  CHECK(j["mode"] == "direct");
  CHECK(j["replication_factor_min"] == 2);
  CHECK(j["replication_factor_max"] == 3);
  CHECK(j["expire_at"] == "2027-01-15T08:00:00Z");
  CHECK(j["timestamp"] == "2023-11-14T22:13:20.250Z");
  CHECK(j["pin_update"] == "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH");
  auto back = pin::pin_from_json(j);
  REQUIRE(back.is_ok());
  CHECK(*back == p);
}

TEST_CASE("optional fields are omitted when unset") {
  pin::Pin p;
  p.cid = cid_of("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
  json j = pin::to_json(p);
  CHECK_FALSE(j.contains("metadata"));
  CHECK_FALSE(j.contains("expire_at"));
  CHECK_FALSE(j.contains("pin_update"));
  CHECK_FALSE(j.contains("user_allocations"));
  CHECK(j["allocations"] == json::array());
}

TEST_CASE("bad JSON pins name the field and value") {
  struct Case {
    const char* text;
    const char* expect;
  };
  const Case cases[] = {
      {R"({"name":"x"})", "missing \"cid\""},
      {R"({"cid":"Qmfoo"})", "'Qmfoo'"},
      {R"({"cid":"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o","mode":"deep"})", "'deep'"},
      {R"({"cid":"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o","replication_factor_min":"2"})",
       "replication_factor_min"},
      {R"({"cid":"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o","replication_factor_max":5000})",
       "replication_factor_max"},
      {R"({"cid":"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o","metadata":{"k":1}})", "metadata"},
      {R"({"cid":"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o","expire_at":"tomorrow"})", "'tomorrow'"},
      {R"({"cid":"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o","allocations":"12D3"})", "allocations"},
      {R"([1,2])", "JSON object"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto r = pin::pin_from_json(json::parse(c.text));
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.code() == util::Code::invalid_argument);
    CHECK_THAT(r.status().message(), Catch::Contains(c.expect));
  }
}

TEST_CASE("validate checks replication factors and limits") {
  auto p = full_pin();
  CHECK(pin::validate(p).is_ok());
  p.rmin = 4;
  CHECK_THAT(pin::validate(p).message(), Catch::Contains("replication_factor_min 4 is more than"));
  p.rmin = -1;
  p.rmax = -1;
  CHECK(pin::validate(p).is_ok());
  p.rmin = -2;
  CHECK_THAT(pin::validate(p).message(), Catch::Contains("-2"));
  p = full_pin();
  p.name = std::string(pin::kNameBytesMax + 1, 'n');
  CHECK_FALSE(pin::validate(p).is_ok());
  p = full_pin();
  p.metadata[""] = "x";
  CHECK_THAT(pin::validate(p).message(), Catch::Contains("metadata key"));
}

TEST_CASE("same_options ignores what the cluster decides") {
  auto a = full_pin();
  auto b = a;
  b.allocations = {"12D3KooWC"};
  b.timestamp_ms = 1;
  b.size_bytes = 9;
  CHECK(a.same_options(b));
  b.name = "other";
  CHECK_FALSE(a.same_options(b));
}

TEST_CASE("commands and rows round-trip through their binary form") {
  auto p = full_pin();
  pin::Command c;
  c.ops.push_back(pin::PinOp{p});
  c.ops.push_back(pin::UnpinOp{cid_of("bafkreiabmxuv6ktfam5xyvyj4uombmgzjg7mqpfvd2qppyldwfiel4i53y")});
  c.ops.push_back(pin::ImportPut{std::string(16, 't'), {p, p}});
  c.ops.push_back(
      pin::PeerSet{pin::PeerInfo{"12D3KooWA", 42, "10.0.0.1:9096", {"/ip4/10.0.0.1/tcp/4001"}, "0.1.0"}});
  c.ops.push_back(pin::PeerRemove{"12D3KooWB"});
  auto back = pin::decode_command(pin::encode_command(c));
  REQUIRE(back.is_ok());
  REQUIRE(back->ops.size() == 5);
  CHECK(std::get<pin::PinOp>(back->ops[0]).pin == p);
  CHECK(std::get<pin::UnpinOp>(back->ops[1]).cid.to_string() ==
        "bafkreiabmxuv6ktfam5xyvyj4uombmgzjg7mqpfvd2qppyldwfiel4i53y");
  CHECK(std::get<pin::ImportPut>(back->ops[2]).pins.size() == 2);
  CHECK(std::get<pin::PeerSet>(back->ops[3]).peer.addr == "10.0.0.1:9096");
  CHECK(std::get<pin::PeerRemove>(back->ops[4]).peer_id == "12D3KooWB");

  auto row = pin::encode_pin_row(p);
  CHECK(row.find(p.cid.bytes()) == std::string::npos);  // the key is not repeated
  auto pr = pin::decode_pin_row(p.cid.bytes(), row);
  REQUIRE(pr.is_ok());
  CHECK(*pr == p);
}

TEST_CASE("garbage bytes are a corrupt command, not a crash") {
  CHECK(pin::decode_command(std::string("\xff\xff\xff", 3)).code() == util::Code::corrupt);
  pin::Command c;
  c.ops.push_back(pin::UnpinOp{cid_of("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o")});
  auto bytes = pin::encode_command(c);
  bytes[bytes.size() - 34] = 0x01;  // the multihash code byte: no longer a valid CID
  CHECK_FALSE(pin::decode_command(bytes).is_ok());
}
