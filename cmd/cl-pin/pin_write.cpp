// cl-pin add, rm, get and update: one request per CID, pipelined (tool/each.hpp).
#include <filesystem>

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
  if (auto allocations = tool::split_list(f.allocations); !allocations.empty()) {
    if (allocations.size() > pin::kAllocationsMax) {
      return util::invalid_argument("more than " + std::to_string(pin::kAllocationsMax) + " --allocations");
    }
    o["user_allocations"] = allocations;
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

namespace {

// cl-pin add --file PATH: the daemon adds the file or directory to its IPFS node and pins the
// root CID through the cluster (method add).
int run_add_file(tool::Context& ctx, const AddFlags& f, const Json& options, util::Millis wait_timeout) {
  std::error_code ec;
  auto path = std::filesystem::absolute(*f.file, ec);
  if (ec) return ctx.usage("invalid --file " + util::quote(*f.file, 4096) + ": " + ec.message());
  if (!std::filesystem::exists(path, ec)) {
    return ctx.usage("invalid --file " + util::quote(*f.file, 4096) + ": no such file or directory");
  }
  auto client = ctx.connect();
  if (!client) return ctx.outcome().exit_status();
  Json params = options;
  params["path"] = path.lexically_normal().string();
  // Adding a big tree takes longer than one answer usually does: the wait timeout bounds it.
  auto pin = tool::call_one(ctx, *client, "add", params, std::max(ctx.timeout(), wait_timeout));
  if (!pin) return ctx.outcome().exit_status();
  if (f.wait) return wait_pinned(ctx, *client, {pin->value("cid", "")}, wait_timeout, !f.no_status);
  tool::Writer out(ctx.format(), pin_columns());
  out.write(*pin);
  out.finish();
  return ctx.outcome().exit_status();
}

}  // namespace

int run_add(tool::Context& ctx, const AddFlags& f) {
  auto options = add_options(f);
  if (!options) return ctx.usage(options.status().message());
  auto wait_timeout = util::parse_duration(f.wait_timeout);
  if (!wait_timeout) return ctx.usage("invalid --wait-timeout: " + wait_timeout.status().message());
  if (f.file) {
    if (!f.items.empty()) return ctx.usage("give either --file PATH or CIDs, not both");
    return run_add_file(ctx, f, *options, *wait_timeout);
  }
  auto input = ctx.input(f.items);
  if (!input) return tool::to_int(tool::Exit::usage);
  auto client = ctx.connect();
  if (!client) return ctx.outcome().exit_status();

  // Without --wait the stored pins are printed as they are answered. With --wait the CIDs are
  // kept (at most kWaitCidsMax) and their statuses printed once pinned (or the pins, with
  // --no-status).
  const bool print_pins = !f.wait || f.no_status;
  tool::Writer out(ctx.format(), pin_columns());
  std::vector<std::string> added;
  bool too_many = false;
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
                                                if (print_pins) out.write(pin);
                                                if (!f.wait) return;
                                                if (added.size() < kWaitCidsMax) {
                                                  added.push_back(pin.value("cid", ""));
                                                } else {
                                                  too_many = true;
                                                }
                                              }});
  out.finish();
  if (rc == tool::to_int(tool::Exit::unreachable) || rc == tool::to_int(tool::Exit::timed_out)) return rc;
  if (f.wait && too_many) {
    ctx.error("--wait follows at most " + std::to_string(kWaitCidsMax) +
              " cids; the pins were added, check them with cl-status");
    ctx.outcome().item_failed();
  } else if (f.wait && !added.empty()) {
    wait_pinned(ctx, *client, added, *wait_timeout, !f.no_status);
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
