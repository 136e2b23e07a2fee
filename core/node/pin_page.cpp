#include "node/pin_page.hpp"

#include "pin/command.hpp"
#include "util/assert.hpp"

namespace cl::node {

util::Result<PinPage> read_pin_page(store::Store& store, std::string_view after, std::size_t limit) {
  CL_ASSERT(limit >= 1 && limit <= kPinPageMax, "pin page limit in range");
  PinPage page;
  auto n = store.scan(store::Ns::pins, after, limit, [&](std::string_view key, std::string_view value) {
    page.next_after = key;
    auto p = pin::decode_pin_row(key, value);
    if (!p) {
      ++page.skipped;
      return true;
    }
    page.pins.push_back(std::move(*p));
    page.keys.emplace_back(key);
    return true;
  });
  if (!n) return n.status();
  if (*n == 0) page.next_after = after;
  page.last = *n < limit;
  return page;
}

}  // namespace cl::node
