// cl-pin add, rm, get and update: one request per CID, pipelined (tool/each.hpp).
#include "pin/pin.hpp"
#include "pin_commands.hpp"
#include "tool/each.hpp"
#include "tool/items.hpp"

namespace cl::pin_cli {

namespace {

using api::Json;

// The pin options every CID of `cl-pin add` gets, checked before anything is sent.
util::Result<Json> add_options(const AddFlags& f) {
  Json o = Json::object();
  if (f.name) {
    if (f.name->size() > pin::kNameBytesMax) {
      return util::invalid_argument("invalid --name: " + std::to_string(f.name->size()) +
                                    " bytes is longer than " + std::to_string(pin::kNameBytesMax));
    }
    o["name"] = *f.name;
  }
  int rmin = f.replication.value_or(f.rmin.value_or(0));
  int rmax = f.replication.value_or(f.rmax.value_or(0));
  if (rmin != 0 && rmax != 0 && rmax != -1 && (rmin == -1 || rmin > rmax)) {
    return util::invalid_argument("--rmin " + std::to_string(rmin) + " is more than --rmax " +
                                  std::to_string(rmax) + "; lower --rmin or raise --rmax");
  }
  if (rmin != 0) o["replication_factor_min"] = rmin;
  if (rmax != 0) o["replication_factor_max"] = rmax;
  if (f.mode) o["mode"] = *f.mode;
  if (!f.allocations.empty()) {
    if (f.allocations.size() > pin::kAllocationsMax) {
      return util::invalid_argument("more than " + std::to_string(pin::kAllocationsMax) + " --allocations");
    }
    o["user_allocations"] = f.allocations;
  }
  if (!f.meta.empty()) {
    Json meta = Json::object();
    for (const auto& kv : f.meta) {
      auto split = split_key_value("--meta", kv);
      if (!split) return split.status();
      meta[split->first] = split->second;
    }
    if (meta.size() > pin::kMetadataKeysMax) {
      return util::invalid_argument(std::to_string(meta.size()) + " --meta keys, more than " +
                                    std::to_string(pin::kMetadataKeysMax));
    }
    o["metadata"] = meta;
  }
  if (f.expire_in) {
    auto d = util::parse_duration(*f.expire_in);
    if (!d) return util::invalid_argument("invalid --expire-in: " + d.status().message());
    if (d->count() <= 0) return util::invalid_argument("invalid --expire-in '0': give a duration above 0");
    o["expire_in"] = *f.expire_in;
  }
  return o;
}

util::Result<Json> cid_params(const tool::InputItem& item) {
  auto c = tool::parse_cid_item(item.text);
  if (!c) return c.status();
  return Json{{"cid", c->cid.to_string()}};
}

}  // namespace

int run_add(tool::Context& ctx, const AddFlags& f) {
  auto options = add_options(f);
  if (!options) return ctx.usage(options.status().message());
  auto wait_timeout = util::parse_duration(f.wait_timeout);
  if (!wait_timeout) return ctx.usage("invalid --wait-timeout: " + wait_timeout.status().message());
  auto input = ctx.input(f.items);
  if (!input) return tool::to_int(tool::Exit::usage);
  auto client = ctx.connect();
  if (!client) return ctx.outcome().exit_status();

  tool::Writer out(ctx.format(), pin_columns());
  std::string last_added;
  int rc = tool::for_each_item(ctx, *client, *input,
                               tool::EachItem{"pin.add",
                                              [&](const tool::InputItem& item) -> util::Result<Json> {
                                                auto c = tool::parse_cid_item(item.text);
                                                if (!c) return c.status();
                                                Json params = *options;
                                                params["cid"] = c->cid.to_string();
                                                return params;
                                              },
                                              [&](const Json& pin) {
                                                last_added = pin.value("cid", "");
                                                out.write(pin);
                                              }});
  out.finish();
  if (rc == tool::to_int(tool::Exit::unreachable) || rc == tool::to_int(tool::Exit::timed_out)) return rc;
  if (f.wait && !last_added.empty()) {
    // Every pin.add above was answered once committed. One linearizable read here proves this
    // peer has applied all of them (it applies the log in order). Once the pin tracker reports
    // statuses, this is where --wait waits for the allocated peers to report pinned.
    ctx.debug("waiting until this peer has applied the new pins");
    auto r = client->call("pin.get", Json{{"cid", last_added}}, *wait_timeout);
    if (!r && r.code() == util::Code::timeout) {
      ctx.error("the new pins were not applied on this peer within --wait-timeout " +
                util::format_duration(*wait_timeout));
      ctx.outcome().fatal(tool::Exit::timed_out);
    } else if (!r) {
      ctx.fatal(r.status());
    }
  }
  return ctx.finish("cids");
}

namespace {
int run_each_cid(tool::Context& ctx, const std::vector<std::string>& items, std::string_view method,
                 std::vector<tool::Column> columns) {
  auto input = ctx.input(items);
  if (!input) return tool::to_int(tool::Exit::usage);
  auto client = ctx.connect();
  if (!client) return ctx.outcome().exit_status();
  tool::Writer out(ctx.format(), std::move(columns));
  int rc = tool::for_each_item(ctx, *client, *input,
                               tool::EachItem{method, cid_params, [&](const Json& r) { out.write(r); }});
  out.finish();
  if (rc == tool::to_int(tool::Exit::unreachable) || rc == tool::to_int(tool::Exit::timed_out)) return rc;
  return ctx.finish("cids");
}
}  // namespace

int run_rm(tool::Context& ctx, const std::vector<std::string>& items) {
  return run_each_cid(ctx, items, "pin.rm",
                      {tool::field_column("CID", "cid"), tool::field_column("REMOVED", "removed")});
}

int run_get(tool::Context& ctx, const std::vector<std::string>& items) {
  return run_each_cid(ctx, items, "pin.get", pin_columns());
}

int run_update(tool::Context& ctx, const UpdateFlags& f) {
  auto from = tool::parse_cid_item(tool::trim(f.from));
  if (!from) return ctx.usage("FROM: " + from.status().message());
  auto to = tool::parse_cid_item(tool::trim(f.to));
  if (!to) return ctx.usage("TO: " + to.status().message());
  auto client = ctx.connect();
  if (!client) return ctx.outcome().exit_status();
  Json params{{"from", from->cid.to_string()}, {"to", to->cid.to_string()}, {"unpin", !f.keep_old}};
  auto pin = tool::call_one(ctx, *client, "pin.update", params, ctx.timeout());
  if (!pin) return ctx.outcome().exit_status();
  tool::Writer out(ctx.format(), pin_columns());
  out.write(*pin);
  out.finish();
  return ctx.outcome().exit_status();
}

}  // namespace cl::pin_cli
