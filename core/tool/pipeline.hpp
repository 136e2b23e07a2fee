#pragma once
// Pipeline: many single-answer requests on one connection with a bounded number in flight, the
// answers handed back in the order the requests were submitted. This is how a tool pushes
// 100,000 CIDs through the daemon at the speed of its batching, in memory bounded by the window
// (PROTOCOL.md, "Pipelining": the daemon stops reading a connection with too many unanswered
// requests, so a client must read as it sends).
//
//   Pipeline p(client, 256, timeout, [&](const std::string& label, const api::Reply& r) {...});
//   for (...) if (auto st = p.submit("pin.add", params, "line 3"); !st) return fatal(st);
//   if (auto st = p.drain(); !st) return fatal(st);
//
// A failed status from submit() or drain() is a transport failure (the daemon could not be
// reached, the connection was lost, or no answer came within `timeout`); answers not yet
// delivered are lost with the connection. Not for streamed methods (their items are refused as
// corrupt).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/client.hpp"

namespace cl::tool {

class Pipeline {
 public:
  // Called once per request, in submission order, with its label and its terminal reply.
  using OnReply = std::function<void(const std::string& label, const api::Reply& reply)>;

  // window in [1, 1000] (below the daemon's inflight_per_conn_max of 1024). `client` is borrowed.
  Pipeline(api::Client& client, std::size_t window, util::Millis timeout, OnReply on_reply);

  // Send one request, first receiving answers while `window` are in flight.
  util::Status submit(std::string_view method, const api::Json& params, std::string label);
  // Receive until every submitted request is answered and delivered.
  util::Status drain();
  std::size_t in_flight() const { return slots_.size(); }

 private:
  struct Slot {
    std::uint64_t id;
    std::string label;
    std::optional<api::Reply> reply;
  };
  util::Status receive_one();
  void deliver_ready();

  api::Client& client_;
  std::size_t window_;
  util::Millis timeout_;
  OnReply on_reply_;
  std::deque<Slot> slots_;                                // in submission order; the front is delivered first
  std::unordered_map<std::uint64_t, std::size_t> index_;  // id -> position + base_
  std::size_t base_ = 0;                                  // absolute position of slots_.front()
};

}  // namespace cl::tool
