// Tracker statuses by name, and a status as IPFS Cluster's JSON.
#include <catch2/catch.hpp>

#include "cluster/tracker_json.hpp"

using namespace cl;
using namespace cl::cluster;

TEST_CASE("every status has IPFS Cluster's name, and parses back") {
  const char* names[] = {"pin_queued",   "pinning",  "pinned",      "pin_error", "unpin_queued",
                         "unpinning",    "unpinned", "unpin_error", "remote",    "unexpectedly_unpinned",
                         "cluster_error"};
  for (std::size_t i = 0; i < kTrackerStatusCount; ++i) {
    auto s = static_cast<TrackerStatus>(i);
    CHECK(tracker_status_name(s) == names[i]);
    auto back = parse_tracker_status(names[i]);
    REQUIRE(back.is_ok());
    CHECK(*back == s);
  }
  auto bad = parse_tracker_status("PINNED");
  CHECK(bad.code() == util::Code::invalid_argument);
  CHECK_THAT(bad.status().message(), Catch::Contains("'PINNED'") && Catch::Contains("unexpectedly_unpinned"));
  CHECK(is_error(TrackerStatus::pin_error));
  CHECK(is_error(TrackerStatus::unexpectedly_unpinned));
  CHECK_FALSE(is_error(TrackerStatus::pinning));
  CHECK_FALSE(is_error(TrackerStatus::remote));
}

TEST_CASE("a status as JSON has IPFS Cluster's fields, and reads back") {
  PinInfo info;
  info.cid = *cid::Cid::parse("QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
  info.peer = "12D3KooWPeer";
  info.status = TrackerStatus::pin_error;
  info.timestamp = std::chrono::milliseconds(1'764'197'501'250);
  info.error = "ipfs pin/add 'Qm...' at http://127.0.0.1:5001: no progress for 2m";
  info.attempt_count = 3;
  auto j = to_json(info);
  CHECK(j.dump() == R"({"attempt_count":3,"cid":"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",)"
                    R"("error":"ipfs pin/add 'Qm...' at http://127.0.0.1:5001: no progress for 2m",)"
                    R"("peer":"12D3KooWPeer","status":"pin_error","timestamp":"2025-11-26T22:51:41.250Z"})");
  auto back = pin_info_from_json(j);
  REQUIRE(back.is_ok());
  CHECK(*back == info);

  PinInfo pinned;
  pinned.cid = info.cid;
  pinned.peer = "p";
  pinned.status = TrackerStatus::pinned;
  auto pj = to_json(pinned);
  CHECK(pj["error"] == "");
  CHECK(pj["attempt_count"] == 0);
  CHECK(pj["timestamp"] == "1970-01-01T00:00:00Z");
}

TEST_CASE("a bad status line names the field and the value") {
  auto j = nlohmann::json::parse(R"({"cid":"Qmfoo","peer":"p","status":"pinned","timestamp":"x"})");
  CHECK_THAT(pin_info_from_json(j).status().message(), Catch::Contains("invalid cid 'Qmfoo'"));
  j["cid"] = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
  j["status"] = "lost";
  CHECK_THAT(pin_info_from_json(j).status().message(), Catch::Contains("'lost'"));
  j["status"] = "pinned";
  j["attempt_count"] = -1;
  j["timestamp"] = "2025-11-26T22:51:41Z";
  CHECK_THAT(pin_info_from_json(j).status().message(),
             Catch::Contains("attempt_count") && Catch::Contains("'-1'"));
  j.erase("peer");
  CHECK_THAT(pin_info_from_json(j).status().message(), Catch::Contains("peer"));
}
