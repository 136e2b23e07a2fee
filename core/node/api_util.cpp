#include "node/api_util.hpp"

namespace cl::node {

void stream_items(const std::shared_ptr<api::Call>& call, std::vector<nlohmann::json> items) {
  auto pos = std::make_shared<std::size_t>(0);
  auto list = std::make_shared<std::vector<nlohmann::json>>(std::move(items));
  call->stream([pos, list](api::StreamWriter& w) {
    while (*pos < list->size()) {
      if (!w.write((*list)[(*pos)++])) return *pos < list->size() ? api::Pump::more : api::Pump::done;
    }
    return api::Pump::done;
  });
}

void answer(const std::shared_ptr<api::Call>& call, util::Result<nlohmann::json> r) {
  if (r) {
    call->reply(std::move(*r));
  } else {
    call->fail(r.status());
  }
}

}  // namespace cl::node
