#pragma once
// One page of the pinset, decoded: what the leader's repin and expiry loops read per tick, so that
// neither holds more than a page of pins nor blocks the io thread for a whole pinset.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pin/pin.hpp"
#include "store/store.hpp"
#include "util/result.hpp"

namespace cl::node {

inline constexpr std::size_t kPinPageMax = 512;

struct PinPage {
  std::vector<pin::Pin> pins;     // in key (CID byte) order
  std::vector<std::string> keys;  // keys[i] is pins[i]'s row key: resume after keys[i]
  std::string next_after;         // the last key visited (decoded or not): where the next page starts
  bool last = false;              // no pin after this page
  std::size_t skipped = 0;        // rows that did not decode (left alone, counted for the log)
};

// Up to `limit` (1..kPinPageMax) pins after key `after` ("" = from the start).
util::Result<PinPage> read_pin_page(store::Store& store, std::string_view after, std::size_t limit);

}  // namespace cl::node
