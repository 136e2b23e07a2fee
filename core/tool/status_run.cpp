#include "tool/status_run.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include "tool/items.hpp"
#include "tool/status.hpp"
#include "tool/stream.hpp"

namespace cl::tool {

bool stdin_is_piped() {
  struct stat st {};
  if (::fstat(STDIN_FILENO, &st) != 0) return false;
  return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || S_ISREG(st.st_mode);
}

namespace {

struct Shown {
  std::uint64_t pins = 0;
  std::uint64_t in_error = 0;
};

// One call of `method`; false when the run must stop (a failure was reported).
bool show_chunk(Context& ctx, api::Client& client, std::string_view method, const api::Json& params,
                Writer& out, Shown& shown) {
  return stream_items(ctx, client, method, params, [&](const api::Json& item) {
    auto err = item.find("error");
    if (err != item.end() && err->is_string() && !item.contains("peer_map")) {
      ctx.item_failed(item.value("cid", std::string("?")), util::not_found(err->get<std::string>()));
      return true;
    }
    ++shown.pins;
    if (item_in_error(item)) ++shown.in_error;
    out.write(item);
    return true;
  });
}

}  // namespace

int show_statuses(Context& ctx, std::string_view method, const api::Json& params,
                  const std::vector<std::string>& args) {
  const bool all = args.empty() && !stdin_is_piped();
  std::optional<Input> input;
  if (!all) {
    input = ctx.input(args);
    if (!input) return to_int(Exit::usage);
  }
  auto client = ctx.connect();
  if (!client) return ctx.outcome().exit_status();
  Writer out(ctx.format(), status_columns());
  Shown shown;
  if (all) {
    show_chunk(ctx, *client, method, params, out, shown);
  } else {
    api::Json cids = api::Json::array();
    auto flush_chunk = [&]() {
      if (cids.empty()) return true;
      api::Json p = params;
      p["cids"] = std::move(cids);
      cids = api::Json::array();
      bool ok = show_chunk(ctx, *client, method, p, out, shown);
      out.flush();
      return ok;
    };
    for (;;) {
      auto item = input->next();
      if (!item) {
        ctx.error(item.status().message());
        ctx.outcome().item_failed();
        break;
      }
      if (!*item) break;
      const InputItem& it = **item;
      if (!it.status.is_ok()) {
        ctx.item_failed(it.origin, it.status);
        continue;
      }
      auto c = parse_cid_item(it.text);
      if (!c) {
        ctx.item_failed(it.origin, c.status());
        continue;
      }
      cids.push_back(c->cid.to_string());
      if (cids.size() >= kStatusChunkCids && !flush_chunk()) break;
    }
    if (client->is_open()) flush_chunk();
  }
  out.finish();
  if (shown.in_error > 0) {
    ctx.info(std::to_string(shown.in_error) + " of " + std::to_string(shown.pins) +
             " pins shown are in error");
    ctx.outcome().item_failed();
  }
  return ctx.outcome().exit_status();
}

}  // namespace cl::tool
