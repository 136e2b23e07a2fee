// Reading daemon replies: the shapes js-ipfs and Kubo send (samples from the reference runs).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "ipfs/json_reply.hpp"
#include "test_cids.hpp"

using namespace cl::ipfs;
using namespace cl::ipfs::detail;
using cl::ipfs::test::cid_of;
using cl::ipfs::test::with_cids;
using cl::util::Code;
using nlohmann::json;

TEST_CASE("read_u64 takes numbers and decimal strings, nothing else") {
  json j =
      json::parse(with_cids(R"({"n":14,"s":"1302729","big":"18446744073709551615","f":9.007199254740991e15,
                           "neg":-1,"frac":1.5,"hex":"0x10","empty":"","plus":"+1","arr":[1]})"));
  CHECK(*read_u64(j, "n") == 14);
  CHECK(*read_u64(j, "s") == 1302729);
  CHECK(*read_u64(j, "big") == 18446744073709551615ull);
  CHECK(*read_u64(j, "f") == 9007199254740991ull);
  for (const char* bad : {"neg", "frac", "hex", "empty", "plus", "arr"}) {
    INFO(bad);
    auto r = read_u64(j, bad);
    CHECK(r.code() == Code::corrupt);
    CHECK_THAT(r.status().message(), Catch::Contains(std::string("'") + bad + "'"));
  }
  CHECK(read_u64(j, "missing").code() == Code::corrupt);
}

TEST_CASE("a CID field is a string or a {\"/\": ...} link") {
  json j = json::parse(with_cids(R"({"a":"@A","b":{"/":"%B"},"c":"","d":{"x":1},"e":7})"));
  CHECK(*read_cid(j, "a") == cid_of("A"));
  CHECK(*read_cid(j, "b") == cid_of("B").to_v1());
  for (const char* bad : {"c", "d", "e", "missing"}) CHECK(read_cid(j, bad).code() == Code::corrupt);
  auto invalid = read_cid(json::parse(R"({"Cid":"Qmfoo"})"), "Cid");
  CHECK(invalid.code() == Code::corrupt);
  CHECK_THAT(invalid.status().message(), Catch::Contains("'Qmfoo'"));
}

TEST_CASE("a CIDv1 in base58btc (as js-ipfs prints it) is the same Cid as in base32 (as Kubo does)") {
  json j = json::parse(with_cids(R"({"js":"$A","kubo":"%A"})"));
  CHECK(j["js"].get<std::string>().front() == 'z');
  CHECK(j["kubo"].get<std::string>().substr(0, 4) == "bafy");
  CHECK(*read_cid(j, "js") == *read_cid(j, "kubo"));
  CHECK(read_cid(j, "js")->to_string() == j["kubo"].get<std::string>());
}

TEST_CASE("id and version replies of js-ipfs") {
  auto id = parse_node_info(json::parse(with_cids(
      R"({"ID":"12D3KooWA9S1","PublicKey":"CAESIATi","Addresses":["/ip4/127.0.0.1/tcp/14001/p2p/12D3KooWA9S1"],
          "AgentVersion":"js-ipfs/0.18.1","ProtocolVersion":"ipfs/0.1.0","Protocols":["/ipfs/bitswap/1.2.0"]})")));
  REQUIRE(id.is_ok());
  CHECK(id->id == "12D3KooWA9S1");
  CHECK(id->agent_version == "js-ipfs/0.18.1");
  CHECK(id->addresses == std::vector<std::string>{"/ip4/127.0.0.1/tcp/14001/p2p/12D3KooWA9S1"});
  CHECK(parse_node_info(json::parse(with_cids(R"({"ID":"x","Addresses":null})")))->addresses.empty());
  CHECK(parse_node_info(json::parse(with_cids(R"({"Addresses":[]})"))).code() == Code::corrupt);
  CHECK(parse_node_info(json::parse(with_cids(R"({"ID":"x","Addresses":[1]})"))).code() == Code::corrupt);

  auto v = parse_version(
      json::parse(with_cids(R"({"Version":"0.18.1","Commit":"","Repo":"12","ipfs-core":"0.18.1"})")));
  REQUIRE(v.is_ok());
  CHECK(v->version == "0.18.1");
  CHECK(v->repo == "12");
}

TEST_CASE("pin/ls stream lines, of both daemons") {
  auto js = parse_pin_line(json::parse(with_cids(R"({"Type":"recursive","Cid":"@Pkvq"})")));
  REQUIRE(js.is_ok());
  CHECK(js->cid == cid_of("Pkvq"));
  CHECK(js->type == PinType::recursive);
  auto kubo = parse_pin_line(json::parse(with_cids(R"({"Cid":"%X","Name":"","Type":"direct"})")));
  REQUIRE(kubo.is_ok());
  CHECK(kubo->type == PinType::direct);
  CHECK(parse_pin_line(json::parse(with_cids(R"({"Cid":"@A","Type":"indirect"})"))).code() == Code::corrupt);
  CHECK(parse_pin_line(json::parse(with_cids(R"({"Type":"recursive"})"))).code() == Code::corrupt);
}

TEST_CASE("swarm/peers: a list, or null when alone") {
  auto peers = parse_swarm_peers(json::parse(with_cids(
      R"({"Peers":[{"Peer":"12D3A","Addr":"/ip4/127.0.0.1/tcp/14001/p2p/12D3A"},{"Peer":"12D3B","Addr":"/ip4/127.0.0.1/tcp/5"}]})")));
  REQUIRE(peers.is_ok());
  REQUIRE(peers->size() == 2);
  CHECK((*peers)[1].peer == "12D3B");
  CHECK((*peers)[1].addr == "/ip4/127.0.0.1/tcp/5");
  CHECK(parse_swarm_peers(json::parse(with_cids(R"({"Peers":null})")))->empty());
  CHECK(parse_swarm_peers(json::parse(with_cids(R"({"Peers":{}})"))).code() == Code::corrupt);
}

TEST_CASE("pin/add lines: progress, then the pins") {
  CHECK(**parse_pin_progress(json::parse(with_cids(R"({"Progress":42})"))) == 42);
  CHECK_FALSE(parse_pin_progress(json::parse(with_cids(R"({"Pins":["@A"]})")))->has_value());
  CHECK(check_pins_reply(json::parse(with_cids(R"({"Pins":["@A"]})"))).is_ok());
  CHECK(check_pins_reply(json::parse(with_cids(R"({"Pins":[]})"))).code() == Code::corrupt);
  CHECK(check_pins_reply(json::parse(with_cids(R"({"Pinned":["@A"]})"))).code() == Code::corrupt);
}

TEST_CASE("add lines and block/stat") {
  auto file = parse_add_line(
      json::parse(with_cids(R"({"Name":"hello.txt","Hash":"@T78z","Size":20,"Mode":"0644"})")));
  REQUIRE(file.is_ok());
  REQUIRE(file->has_value());
  CHECK((*file)->name == "hello.txt");
  CHECK((*file)->size_bytes == 20);
  CHECK_FALSE(parse_add_line(json::parse(with_cids(R"({"Name":"x","Bytes":262144})")))->has_value());
  auto block = parse_block_stat(json::parse(with_cids(R"({"Key":"%reiab","Size":14})")));
  REQUIRE(block.is_ok());
  CHECK(block->cid == cid_of("reiab").to_v1());
  CHECK(block->size_bytes == 14);
}

TEST_CASE("error objects in a stream and non-JSON replies") {
  CHECK(*error_line(json::parse(with_cids(R"({"Message":"boom","Code":0,"Type":"error"})"))) == "boom");
  CHECK_FALSE(error_line(json::parse(with_cids(R"({"Type":"recursive","Cid":"@A"})"))).has_value());
  CHECK(parse_object("<html>").code() == Code::corrupt);
  CHECK(parse_object("[1]").code() == Code::corrupt);
  CHECK(parse_object("").code() == Code::corrupt);
}
