#include <catch2/catch.hpp>

#include "tool/items.hpp"

using namespace cl::tool;

namespace {
constexpr const char* kV0 = "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn";
constexpr const char* kV1 = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
}  // namespace

TEST_CASE("a cid item is a bare cid, an /ipfs/ path of a whole cid, or a json line with cid") {
  auto bare = parse_cid_item(kV1);
  REQUIRE(bare);
  CHECK(bare->cid.to_string() == kV1);
  CHECK(bare->object.is_null());
  auto path = parse_cid_item(std::string("/ipfs/") + kV0);
  REQUIRE(path);
  CHECK(path->cid.to_string() == kV0);
  auto slash = parse_cid_item(std::string("/ipfs/") + kV0 + "/");
  REQUIRE(slash);
  auto json = parse_cid_item(std::string(R"({"cid":")") + kV1 + R"(","name":"n"})");
  REQUIRE(json);
  CHECK(json->cid.to_string() == kV1);
  CHECK(json->object["name"] == "n");
}

TEST_CASE("bad cid items name the offending text") {
  auto bad = parse_cid_item("Qmfoo");
  CHECK(bad.code() == cl::util::Code::invalid_argument);
  CHECK_THAT(bad.status().message(), Catch::Contains("'Qmfoo'"));
  auto sub = parse_cid_item(std::string("/ipfs/") + kV0 + "/a/b");
  CHECK_THAT(sub.status().message(), Catch::Contains("names a path inside"));
  auto nocid = parse_cid_item(R"({"name":"x"})");
  CHECK_THAT(nocid.status().message(), Catch::Contains("without a \"cid\" string"));
  auto numcid = parse_cid_item(R"({"cid":42})");
  CHECK_THAT(numcid.status().message(), Catch::Contains("without a \"cid\" string"));
  auto broken = parse_cid_item(R"({"cid":)");
  CHECK_THAT(broken.status().message(), Catch::Contains("malformed json at byte"));
}

TEST_CASE("a peer item is an id or a json line with peer_id or id") {
  CHECK(*parse_peer_item("12D3KooWabc") == "12D3KooWabc");
  CHECK(*parse_peer_item(R"({"peer_id":"12D3KooWx","role":"voter"})") == "12D3KooWx");
  CHECK(*parse_peer_item(R"({"id":"12D3KooWy"})") == "12D3KooWy");
  CHECK(parse_peer_item(R"({"role":"voter"})").code() == cl::util::Code::invalid_argument);
}

TEST_CASE("split_list splits every value on commas and drops empty pieces") {
  CHECK(split_list({"error,pinned", "queued", ",a,,b,"}) ==
        std::vector<std::string>{"error", "pinned", "queued", "a", "b"});
  CHECK(split_list({}).empty());
}
