// cl-pin add --wait: poll status.ls until every allocated peer of each new pin reports pinned.
#include <chrono>
#include <thread>

#include "pin_commands.hpp"
#include "tool/status.hpp"
#include "tool/stream.hpp"

namespace cl::pin_cli {

namespace {

using api::Json;
using Clock = std::chrono::steady_clock;

// CIDs asked about per status.ls request (its params line stays well under the socket's limit).
constexpr std::size_t kStatusChunkCids = 1000;
constexpr auto kPollFirst = std::chrono::milliseconds(200);
constexpr auto kPollMax = std::chrono::milliseconds(2000);

struct Pending {
  std::string cid;
  Json last;  // the last status item seen; null before the first
};

}  // namespace

int wait_pinned(tool::Context& ctx, api::Client& client, const std::vector<std::string>& cids,
                util::Millis wait_timeout, bool print_status) {
  std::vector<Pending> pending;
  pending.reserve(cids.size());
  for (const auto& c : cids) pending.push_back(Pending{c, nullptr});
  tool::Writer out(ctx.format(), tool::status_columns());
  const auto deadline = Clock::now() + wait_timeout;
  auto pause = kPollFirst;
  ctx.debug("waiting for " + std::to_string(pending.size()) + " pins to be pinned on their peers");
  for (;;) {
    std::vector<Pending> still;
    for (std::size_t start = 0; start < pending.size(); start += kStatusChunkCids) {
      const std::size_t end = std::min(pending.size(), start + kStatusChunkCids);
      Json chunk = Json::array();
      for (std::size_t i = start; i < end; ++i) chunk.push_back(pending[i].cid);
      std::size_t next = start;
      bool ok = tool::stream_items(ctx, client, "status.ls", Json{{"cids", chunk}}, [&](const Json& item) {
        if (next >= end) return true;  // more items than asked: ignore the extra
        Pending p = std::move(pending[next++]);
        p.last = item;
        if (item.contains("error") && item["error"].is_string() && !item.contains("peer_map")) {
          ctx.item_failed(p.cid, util::not_found(item["error"].get<std::string>()));
        } else if (tool::item_pinned(item)) {
          if (print_status) out.write(item);
        } else {
          still.push_back(std::move(p));
        }
        return true;
      });
      if (!ok) {
        ctx.error("--wait needs the pins' status from cl-raftd; the pins were added but not waited for");
        return ctx.outcome().exit_status();
      }
      for (; next < end; ++next) still.push_back(std::move(pending[next]));
    }
    out.flush();
    pending = std::move(still);
    if (pending.empty()) return ctx.outcome().exit_status();
    if (Clock::now() + pause > deadline) break;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, kPollMax);
  }
  for (const auto& p : pending) {
    ctx.error(p.cid + ": not pinned within --wait-timeout " + util::format_duration(wait_timeout) + ": " +
              (p.last.is_null() ? std::string("no status yet") : tool::status_problems(p.last)));
    ctx.outcome().fatal(tool::Exit::timed_out);  // already counted once as added: not again
  }
  return ctx.outcome().exit_status();
}

}  // namespace cl::pin_cli
