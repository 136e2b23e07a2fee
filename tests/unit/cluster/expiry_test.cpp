#include <catch2/catch.hpp>

#include "cluster/expiry.hpp"

using namespace cl;

namespace {

pin::Pin pin_expiring(int n, std::int64_t expire_at_ms) {
  pin::Pin p;
  p.cid = cid::Cid::v1(cid::Codec::raw, cid::Multihash::sha2_256("expiry-" + std::to_string(n)));
  p.expire_at_ms = expire_at_ms;
  p.timestamp_ms = 1000 + n;
  return p;
}

std::vector<cid::Cid> cids(const cluster::ExpirySelection& s) {
  std::vector<cid::Cid> out;
  for (const auto& op : s.expired) out.push_back(op.cid);
  return out;
}

}  // namespace

TEST_CASE("pins whose expire_at passed are selected, in batch order and bounded") {
  constexpr std::int64_t now = 1'700'000'000'000;
  std::vector<pin::Pin> batch{
      pin_expiring(0, 0),          // never expires
      pin_expiring(1, now - 1),    // expired
      pin_expiring(2, now + 1),    // not yet
      pin_expiring(3, now),        // expires exactly now
      pin_expiring(4, now - 5000)  // expired
  };
  CHECK_FALSE(cluster::is_expired(batch[0], now));
  CHECK_FALSE(cluster::is_expired(batch[0], std::numeric_limits<std::int64_t>::max()));
  CHECK(cluster::is_expired(batch[3], now));
  CHECK_FALSE(cluster::is_expired(batch[2], now));
  CHECK(cluster::is_expired(batch[2], now + 1));

  auto all = cluster::select_expired(batch, now, 10);
  CHECK(cids(all) == std::vector<cid::Cid>{batch[1].cid, batch[3].cid, batch[4].cid});
  CHECK(all.expired[1].if_timestamp_ms == 1003);
  CHECK(all.next_index == batch.size());

  auto first = cluster::select_expired(batch, now, 2);
  CHECK(cids(first) == std::vector<cid::Cid>{batch[1].cid, batch[3].cid});
  CHECK(first.next_index == 4);
  auto rest = cluster::select_expired(std::span(batch).subspan(first.next_index), now, 2);
  CHECK(cids(rest) == std::vector<cid::Cid>{batch[4].cid});
  CHECK(cluster::select_expired({}, now, 1).expired.empty());
}
