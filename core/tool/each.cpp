#include "tool/each.hpp"

#include "tool/pipeline.hpp"
#include "tool/stream.hpp"

namespace cl::tool {

int for_each_item(Context& ctx, api::Client& client, Input& input, const EachItem& each) {
  Pipeline pipeline(client, each.window, ctx.timeout(), [&](const std::string& label, const api::Reply& r) {
    if (r.kind == api::Reply::Kind::error) {
      ctx.item_failed(label, r.error);
      return;
    }
    ctx.outcome().item_ok();
    each.on_result(r.value);
  });
  for (;;) {
    auto item = input.next();
    if (!item) {
      // The input itself failed (a read error): what was read is still answered.
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
    auto params = each.params_of(it);
    if (!params) {
      ctx.item_failed(it.origin, params.status());
      continue;
    }
    if (auto st = pipeline.submit(each.method, *params, it.origin.to_string()); !st.is_ok()) {
      return ctx.fatal(st);
    }
  }
  if (auto st = pipeline.drain(); !st.is_ok()) return ctx.fatal(st);
  return ctx.outcome().exit_status();
}

}  // namespace cl::tool

namespace cl::tool {

std::optional<api::Json> call_one(Context& ctx, api::Client& client, std::string_view method,
                                  const api::Json& params, util::Millis timeout) {
  auto r = client.call(method, params, timeout);
  if (r) {
    ctx.outcome().item_ok();
    return std::move(*r);
  }
  // Client::call closes the connection on every transport failure and keeps it open after an
  // error answer.
  if (!client.is_open()) {
    ctx.fatal(r.status());
  } else {
    ctx.error(daemon_error_message(client, method, r.status()));
    ctx.outcome().item(exit_for_item(r.status()));
  }
  return std::nullopt;
}

}  // namespace cl::tool
