// Node: pin.add, pin.rm, pin.update, pin.get and pin.ls on the local socket, and their leader side.
#include <spdlog/spdlog.h>

#include "api/server.hpp"
#include "cluster/state_machine.hpp"
#include "node/api_util.hpp"
#include "node/node.hpp"
#include "pin/pin_json.hpp"
#include "util/duration.hpp"
#include "util/time.hpp"

namespace cl::node {

namespace {

// Filters of pin.ls; every given one must match.
struct PinFilter {
  std::string name;  // substring of the name
  std::map<std::string, std::string> meta;
  std::string peer;  // allocated to this peer (pins on every peer match any peer)
  std::optional<pin::Mode> mode;

  bool match(const pin::Pin& p) const {
    if (!name.empty() && p.name.find(name) == std::string::npos) return false;
    for (const auto& [k, v] : meta) {
      auto it = p.metadata.find(k);
      if (it == p.metadata.end() || it->second != v) return false;
    }
    if (!peer.empty() && !p.everywhere() &&
        std::find(p.allocations.begin(), p.allocations.end(), peer) == p.allocations.end()) {
      return false;
    }
    return !mode || p.mode == *mode;
  }
};

util::Result<PinFilter> parse_filter(const Json& params) {
  PinFilter f;
  f.name = params.value("name", "");
  f.peer = params.value("peer", "");
  if (auto it = params.find("meta"); it != params.end() && !it->is_null()) {
    if (!it->is_object()) return util::invalid_argument("pin.ls: \"meta\" must be an object of strings");
    for (const auto& [k, v] : it->items()) {
      if (!v.is_string())
        return util::invalid_argument("pin.ls: metadata value of " + util::quote(k) + " is not a string");
      f.meta[k] = v.get<std::string>();
    }
  }
  if (auto it = params.find("mode"); it != params.end() && it->is_string()) {
    auto m = pin::parse_mode(it->get<std::string>());
    if (!m) return m.status();
    f.mode = *m;
  }
  return f;
}

util::Result<cid::Cid> cid_param(const Json& params, const char* field = "cid") {
  auto it = params.find(field);
  if (it == params.end() || !it->is_string()) {
    return util::invalid_argument(std::string("missing \"") + field + "\" (a CID)");
  }
  return cid::Cid::parse(it->get<std::string>());
}

}  // namespace

// Checks a pin request where it arrives and fills in what the leader must not guess (defaults,
// absolute expiry), so bad input fails fast without touching the network.
util::Result<Json> Node::normalize_pin_request(Json params) const {
  if (!params.is_object()) return util::invalid_argument("expected an object of pin options");
  if (auto it = params.find("expire_in"); it != params.end() && !it->is_null()) {
    if (!it->is_string()) return util::invalid_argument("expire_in must be a duration such as 24h");
    auto d = util::parse_duration(it->get<std::string>());
    if (!d) return d.status();
    params["expire_at"] = util::format_rfc3339(clock_.wall() + *d);
    params.erase("expire_in");
  }
  auto p = pin::pin_from_json(params);
  if (!p) return p.status();
  if (p->rmin == 0) p->rmin = static_cast<int>(opts_.config.replication_factor_min);
  if (p->rmax == 0) p->rmax = p->rmin == -1 ? -1 : static_cast<int>(opts_.config.replication_factor_max);
  if (p->rmin == -1) p->rmax = -1;
  if (p->rmax != -1 && p->rmin > p->rmax) p->rmax = p->rmin;  // "-r 3" style: rmin raises rmax
  CL_TRY_STATUS(pin::validate(*p));
  params["cid"] = p->cid.to_string();
  params["replication_factor_min"] = p->rmin;
  params["replication_factor_max"] = p->rmax;
  params.erase("allocations");  // the leader decides
  params.erase("timestamp");
  return params;
}

void Node::leader_pin_add(Json params, Reply done) {
  auto p = pin::pin_from_json(params);
  if (!p) return done(p.status());
  auto existing = cluster::read_pin(*store_, p->cid);
  if (!existing) return done(existing.status());
  if (*existing && (*existing)->same_options(*p)) {
    Json j = pin::to_json(**existing);
    return done(j);  // already pinned with these options: nothing to do
  }
  auto allocated = allocate(std::move(*p), *existing);
  if (!allocated) return done(allocated.status());
  allocated->timestamp_ms = clock_.wall().count();
  note_expiry(allocated->expire_at_ms);
  pin::Command cmd;
  cmd.ops.push_back(pin::PinOp{*allocated});
  Json result = pin::to_json(*allocated);
  propose_command(cmd, [done, result = std::move(result)](util::Status st) mutable {
    if (!st.is_ok()) return done(st);
    done(std::move(result));
  });
}

void Node::leader_pin_rm(Json params, Reply done) {
  auto c = cid_param(params);
  if (!c) return done(c.status());
  auto existing = cluster::read_pin(*store_, *c);
  if (!existing) return done(existing.status());
  if (!*existing) return done(util::not_found("cid " + c->to_string() + " is not pinned in the cluster"));
  pin::Command cmd;
  cmd.ops.push_back(pin::UnpinOp{*c});
  propose_command(cmd, [done, c = *c](util::Status st) {
    if (!st.is_ok()) return done(st);
    done(Json{{"cid", c.to_string()}, {"removed", true}});
  });
}

void Node::leader_pin_update(Json params, Reply done) {
  auto from = cid_param(params, "from");
  if (!from) return done(from.status());
  auto to = cid_param(params, "to");
  if (!to) return done(to.status());
  auto existing = cluster::read_pin(*store_, *from);
  if (!existing) return done(existing.status());
  if (!*existing)
    return done(util::not_found("cannot update from " + from->to_string() + ": it is not pinned"));
  pin::Pin next = **existing;  // same options and, where still valid, the same peers
  next.cid = *to;
  next.pin_update_from = *from;
  auto allocated = allocate(next, *existing);
  if (!allocated) return done(allocated.status());
  allocated->timestamp_ms = clock_.wall().count();
  note_expiry(allocated->expire_at_ms);
  pin::Command cmd;
  cmd.ops.push_back(pin::PinOp{*allocated});
  if (params.value("unpin", true) && *from != *to) cmd.ops.push_back(pin::UnpinOp{*from});
  Json result = pin::to_json(*allocated);
  propose_command(cmd, [done, result = std::move(result)](util::Status st) mutable {
    if (!st.is_ok()) return done(st);
    done(std::move(result));
  });
}

void Node::register_pin_api() {
  api_->handle("pin.add", [this](api::Request req, std::shared_ptr<api::Call> call) {
    auto params = normalize_pin_request(std::move(req.params));
    if (!params) return call->fail(params.status());
    leader_call("pin.add", std::move(*params), [call](util::Result<Json> r) { answer(call, std::move(r)); });
  });
  api_->handle("pin.rm", [this](api::Request req, std::shared_ptr<api::Call> call) {
    auto c = cid_param(req.params);
    if (!c) return call->fail(c.status());
    leader_call("pin.rm", Json{{"cid", c->to_string()}},
                [call](util::Result<Json> r) { answer(call, std::move(r)); });
  });
  api_->handle("pin.update", [this](api::Request req, std::shared_ptr<api::Call> call) {
    auto from = cid_param(req.params, "from");
    if (!from) return call->fail(from.status());
    auto to = cid_param(req.params, "to");
    if (!to) return call->fail(to.status());
    Json params{
        {"from", from->to_string()}, {"to", to->to_string()}, {"unpin", req.params.value("unpin", true)}};
    leader_call("pin.update", params, [call](util::Result<Json> r) { answer(call, std::move(r)); });
  });
  api_->handle("pin.get", [this](api::Request req, std::shared_ptr<api::Call> call) {
    auto c = cid_param(req.params);
    if (!c) return call->fail(c.status());
    read_barrier([this, call, c = *c](util::Status st) {
      if (!st.is_ok()) return call->fail(st);
      auto p = cluster::read_pin(*store_, c);
      if (!p) return call->fail(p.status());
      if (!*p) return call->fail(util::not_found("cid " + c.to_string() + " is not pinned in the cluster"));
      call->reply(pin::to_json(**p));
    });
  });
  api_->handle("pin.ls", [this](api::Request req, std::shared_ptr<api::Call> call) {
    auto filter = parse_filter(req.params);
    if (!filter) return call->fail(filter.status());
    auto start = [this, call, f = std::move(*filter)](util::Status st) {
      if (!st.is_ok()) return call->fail(st);
      auto after = std::make_shared<std::string>();
      call->stream([this, after, f](api::StreamWriter& w) {
        // A page at a time on the store thread: nothing like the whole pinset is held.
        util::Status bad;
        bool full = false;
        auto n =
            store_->scan(store::Ns::pins, *after, 512, [&](std::string_view key, std::string_view value) {
              *after = key;
              auto p = pin::decode_pin_row(key, value);
              if (!p) {
                bad = p.status();
                return false;
              }
              if (f.match(*p) && !w.write(pin::to_json(*p))) full = true;
              return !full;
            });
        if (!n) bad = n.status();
        if (!bad.is_ok()) {
          w.fail(bad);
          return api::Pump::done;
        }
        return (full || *n == 512) ? api::Pump::more : api::Pump::done;
      });
    };
    if (req.params.value("local", false)) return start(util::Status::ok());
    read_barrier(std::move(start));
  });
}

}  // namespace cl::node
