#include "tool/pipeline.hpp"

#include "util/assert.hpp"

namespace cl::tool {

Pipeline::Pipeline(api::Client& client, std::size_t window, util::Millis timeout, OnReply on_reply)
    : client_(client), window_(window), timeout_(timeout), on_reply_(std::move(on_reply)) {
  CL_ASSERT(window_ >= 1 && window_ <= 1000, "pipeline window out of [1, 1000]");
}

util::Status Pipeline::submit(std::string_view method, const api::Json& params, std::string label) {
  while (slots_.size() >= window_) CL_TRY_STATUS(receive_one());
  auto id = client_.send(method, params, timeout_);
  if (!id) return id.status();
  index_.emplace(*id, base_ + slots_.size());
  slots_.push_back(Slot{*id, std::move(label), std::nullopt});
  return util::Status::ok();
}

util::Status Pipeline::drain() {
  while (!slots_.empty()) CL_TRY_STATUS(receive_one());
  return util::Status::ok();
}

util::Status Pipeline::receive_one() {
  auto reply = client_.receive(timeout_);
  if (!reply) return reply.status();
  if (reply->id.is_null()) {
    // The daemon could not read one of our lines: we are out of step with it.
    return util::corrupt("cl-raftd could not read a request: " + reply->error.message());
  }
  if (!reply->terminal()) {
    return util::corrupt("cl-raftd answered a single request with a stream item");
  }
  std::uint64_t id = 0;
  if (reply->id.is_number_unsigned()) id = reply->id.get<std::uint64_t>();
  auto it = index_.find(id);
  if (it == index_.end()) return util::corrupt("cl-raftd answered an unknown request id " + reply->id.dump());
  std::size_t pos = it->second - base_;
  index_.erase(it);
  slots_[pos].reply = std::move(*reply);
  deliver_ready();
  return util::Status::ok();
}

void Pipeline::deliver_ready() {
  while (!slots_.empty() && slots_.front().reply) {
    Slot slot = std::move(slots_.front());
    slots_.pop_front();
    ++base_;
    on_reply_(slot.label, *slot.reply);
  }
}

}  // namespace cl::tool
