// Node: status.ls, sync, recover and add on the local socket, and the peer methods status.local and
// recover.local behind them (METHODS.md).
//
// status.ls streams one item per pin, a batch of kStatusBatch pins at a time: the batch is read
// from the store, each allocated peer is asked once for its statuses of the batch's CIDs
// (status.local), and the items are written when every answer (or its failure) is in. Only one
// batch is held at a time, so a million pins never sit in memory.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include <boost/asio/post.hpp>

#include "api/server.hpp"
#include "cluster/state_machine.hpp"
#include "cluster/tracker.hpp"
#include "cluster/tracker_json.hpp"
#include "ipfs/connector.hpp"
#include "node/api_util.hpp"
#include "node/node.hpp"
#include "util/time.hpp"

namespace cl::node {

namespace {

using cluster::TrackerStatus;

constexpr std::size_t kStatusBatch = 128;         // pins gathered at once by status.ls
constexpr std::size_t kCidsMax = 100'000;         // CIDs named in one status.ls or recover
constexpr std::size_t kRecoverListMax = 10'000;   // CIDs one peer reports back from recover
constexpr util::Millis kPeerCallTimeout{10'000};  // status.local, recover.local

util::Result<std::set<TrackerStatus>> parse_status_filter(const Json& params) {
  std::set<TrackerStatus> out;
  auto it = params.find("filter");
  if (it == params.end() || it->is_null()) return out;
  if (!it->is_array()) return util::invalid_argument("status.ls: \"filter\" must be an array of statuses");
  for (const auto& f : *it) {
    if (!f.is_string())
      return util::invalid_argument("status.ls: filter " + util::quote(f.dump()) + " is not a string");
    const auto word = f.get<std::string>();
    if (word == "error") {
      out.insert({TrackerStatus::pin_error, TrackerStatus::unpin_error, TrackerStatus::cluster_error,
                  TrackerStatus::unexpectedly_unpinned});
    } else if (word == "queued") {
      out.insert({TrackerStatus::pin_queued, TrackerStatus::unpin_queued});
    } else {
      auto s = cluster::parse_tracker_status(word);
      if (!s) {
        return util::invalid_argument("status.ls: unknown filter " + util::quote(word) +
                                      ": use error, queued or a status name (" + s.status().message() + ")");
      }
      out.insert(*s);
    }
  }
  return out;
}

util::Result<std::vector<cid::Cid>> cids_param(const Json& params) {
  std::vector<cid::Cid> out;
  auto it = params.find("cids");
  if (it == params.end() || it->is_null()) return out;
  if (!it->is_array()) return util::invalid_argument("\"cids\" must be an array of CIDs");
  if (it->size() > kCidsMax) {
    return util::invalid_argument(std::to_string(it->size()) + " cids in one request: at most " +
                                  std::to_string(kCidsMax) + "; send them in several");
  }
  for (const auto& c : *it) {
    if (!c.is_string()) return util::invalid_argument("cid " + util::quote(c.dump()) + " is not a string");
    auto parsed = cid::Cid::parse(c.get<std::string>());
    if (!parsed) return parsed.status();
    out.push_back(std::move(*parsed));
  }
  return out;
}

// One peer's entry in a peer_map: the PinInfo without the fields the item already has.
Json peer_entry(const cluster::PinInfo& info) {
  Json j = cluster::to_json(info);
  j.erase("cid");
  j.erase("peer");
  return j;
}

Json cluster_error_entry(std::int64_t now_ms, const std::string& error) {
  return Json{{"status", "cluster_error"},
              {"timestamp", util::format_rfc3339(util::Millis(now_ms))},
              {"error", error},
              {"attempt_count", 0}};
}

}  // namespace

// The state of one status.ls (or recover) stream; see the file comment.
struct StatusGather {
  std::weak_ptr<api::Call> call;
  bool local = false;
  std::set<TrackerStatus> filter;  // empty: every item
  bool explicit_cids = false;
  std::vector<cid::Cid> cids;  // explicit_cids: the CIDs asked for, in order
  std::size_t next_cid = 0;
  std::string after;  // otherwise: the store key of the last pin read
  bool source_done = false;
  std::vector<Json> items;  // the current batch
  std::size_t pos = 0;      // next item to write
  std::size_t waiting = 0;  // peer answers outstanding for the batch

  bool shown(const Json& item) const {
    if (filter.empty() || !item.contains("peer_map")) return true;
    for (const auto& [peer, e] : item["peer_map"].items()) {
      auto s = cluster::parse_tracker_status(e.value("status", ""));
      if (s && filter.count(*s) > 0) return true;
    }
    return false;
  }
};

// Reads the next batch of pins and asks every allocated peer for its statuses; g.waiting counts
// the answers still to come (each one wakes the call when it is the last).
util::Status Node::load_status_batch(const std::shared_ptr<StatusGather>& g) {
  g->items.clear();
  g->pos = 0;
  std::vector<pin::Pin> pins;
  std::vector<std::size_t> pin_item;  // index in items of each pin
  auto add_pin = [&](pin::Pin p) {
    Json item{{"cid", p.cid.to_string()},
              {"name", p.name},
              {"allocations", p.allocations},
              {"peer_map", Json::object()}};
    pin_item.push_back(g->items.size());
    g->items.push_back(std::move(item));
    pins.push_back(std::move(p));
  };
  if (g->explicit_cids) {
    while (g->next_cid < g->cids.size() && g->items.size() < kStatusBatch) {
      const auto& c = g->cids[g->next_cid++];
      auto p = cluster::read_pin(*store_, c);
      if (!p) return p.status();
      if (*p) {
        add_pin(std::move(**p));
      } else {
        g->items.push_back(Json{{"cid", c.to_string()}, {"error", "not pinned in the cluster"}});
      }
    }
    g->source_done = g->next_cid >= g->cids.size();
  } else {
    util::Status bad;
    auto n = store_->scan(store::Ns::pins, g->after, kStatusBatch,
                          [&](std::string_view key, std::string_view value) {
                            g->after = key;
                            auto p = pin::decode_pin_row(key, value);
                            if (!p) {
                              bad = p.status();
                              return false;
                            }
                            add_pin(std::move(*p));
                            return true;
                          });
    if (!n) return n.status();
    CL_TRY_STATUS(bad);
    g->source_done = *n < kStatusBatch;
  }
  // Which peers to ask about which pins (by position in `pins`).
  std::map<std::string, std::vector<std::size_t>> ask;
  std::vector<std::string> everyone;
  for (const auto& p : peers_.all()) everyone.push_back(p.peer_id);
  for (std::size_t i = 0; i < pins.size(); ++i) {
    const auto& p = pins[i];
    auto& map = g->items[pin_item[i]]["peer_map"];
    const auto& peers = p.everywhere() ? everyone : p.allocations;
    for (const auto& peer : peers) {
      if (peer != peer_id_ && !g->local) ask[peer].push_back(i);
    }
    // This peer: when allocated, or always with `local` (then "remote" when allocated elsewhere).
    if (g->local || std::find(peers.begin(), peers.end(), peer_id_) != peers.end()) {
      map[peer_id_] = peer_entry(local_status(p.cid, &p));
    }
  }
  g->waiting = ask.size();
  for (auto& [peer, which] : ask) {
    Json cids = Json::array();
    std::vector<std::size_t> items;
    for (auto i : which) {
      cids.push_back(pins[i].cid.to_string());
      items.push_back(pin_item[i]);
    }
    rpc_->call(peer, "status.local", Json{{"cids", cids}}, kPeerCallTimeout,
               [this, g, peer = peer, items = std::move(items)](util::Result<Json> r) {
                 const auto now = clock_.wall().count();
                 for (std::size_t k = 0; k < items.size(); ++k) {
                   auto& slot = g->items[items[k]]["peer_map"][peer];
                   const Json* e = nullptr;
                   if (r && r->contains("items") && (*r)["items"].is_array() && k < (*r)["items"].size()) {
                     e = &(*r)["items"][k];
                   }
                   if (e != nullptr && e->is_object()) {
                     slot = *e;
                   } else {
                     slot = cluster_error_entry(
                         now, "peer " + peer + " did not answer: " +
                                  (r ? std::string("malformed reply") : r.status().message()));
                   }
                 }
                 if (--g->waiting == 0) {
                   if (auto call = g->call.lock()) call->wake();
                 }
               });
  }
  return util::Status::ok();
}

void Node::stream_statuses(const std::shared_ptr<api::Call>& call, std::shared_ptr<StatusGather> g) {
  g->call = call;
  call->stream([this, g](api::StreamWriter& w) {
    for (;;) {
      if (g->waiting > 0) return api::Pump::idle;
      while (g->pos < g->items.size()) {
        const auto& item = g->items[g->pos++];
        if (!g->shown(item)) continue;
        if (!w.write(item)) return api::Pump::more;
      }
      if (g->source_done) return api::Pump::done;
      auto st = load_status_batch(g);
      if (!st.is_ok()) {
        w.fail(st);
        return api::Pump::done;
      }
    }
  });
}

void Node::register_status_api() {
  api_->handle("status.ls", [this](api::Request req, std::shared_ptr<api::Call> call) {
    auto g = std::make_shared<StatusGather>();
    auto filter = parse_status_filter(req.params);
    if (!filter) return call->fail(filter.status());
    auto cids = cids_param(req.params);
    if (!cids) return call->fail(cids.status());
    g->filter = std::move(*filter);
    g->local = req.params.value("local", false);
    g->explicit_cids = req.params.contains("cids") && req.params["cids"].is_array();
    g->cids = std::move(*cids);
    stream_statuses(call, std::move(g));
  });
  api_->handle("sync", [this](api::Request, std::shared_ptr<api::Call> call) {
    if (!tracker_) return call->fail(util::unavailable("no pin tracker on this peer: " + ipfs_error_));
    boost::asio::post(ipfs_calls_, [this, call] {
      auto before = tracker_->stats().reconciles;
      auto st = tracker_->reconcile();
      // One is already running (the periodic one): wait for it, bounded by the listing's timeout.
      for (int i = 0; st.code() == util::Code::failed_precondition && i < 36'000 && !ipfs_cancel_.cancelled();
           ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        const auto s = tracker_->stats();
        if (s.reconciles > before) {
          st =
              s.last_reconcile_error.empty() ? util::Status::ok() : util::unavailable(s.last_reconcile_error);
          break;
        }
        st = tracker_->reconcile();
      }
      const auto s = tracker_->stats();
      Json result{{"reconciled", st.is_ok()},
                  {"changed", s.last_reconcile_missing + s.last_reconcile_unpins},
                  {"ipfs_pins", s.last_reconcile_ipfs_pins},
                  {"allocated", s.last_reconcile_allocated}};
      boost::asio::post(io_, [call, st, result = std::move(result)] {
        if (!st.is_ok()) return call->fail(st.with_context("sync"));
        call->reply(result);
      });
    });
  });
  api_->handle("recover", [this](api::Request req, std::shared_ptr<api::Call> call) {
    auto cids = cids_param(req.params);
    if (!cids) return call->fail(cids.status());
    const bool local = req.params.value("local", false);
    const bool all = !(req.params.contains("cids") && req.params["cids"].is_array());
    auto recovered = std::make_shared<std::set<cid::Cid>>();
    for (const auto& c : recover_here(all ? nullptr : &*cids)) recovered->insert(c);
    if (!all) recovered->insert(cids->begin(), cids->end());
    auto finish = [this, call, recovered, local, all, cids = *cids]() {
      auto g = std::make_shared<StatusGather>();
      g->local = local;
      g->explicit_cids = true;
      if (all) {
        g->cids.assign(recovered->begin(), recovered->end());
      } else {
        g->cids = cids;
      }
      stream_statuses(call, std::move(g));
    };
    std::vector<std::string> others;
    for (const auto& p : peers_.all()) {
      if (p.peer_id != peer_id_) others.push_back(p.peer_id);
    }
    if (local || others.empty()) return finish();
    Json params = Json::object();
    if (!all) params = Json{{"cids", req.params["cids"]}};
    auto waiting = std::make_shared<std::size_t>(others.size());
    for (const auto& peer : others) {
      rpc_->call(peer, "recover.local", params, kPeerCallTimeout,
                 [this, waiting, recovered, finish, peer](util::Result<Json> r) {
                   if (r && r->contains("cids") && (*r)["cids"].is_array()) {
                     for (const auto& c : (*r)["cids"]) {
                       if (!c.is_string()) continue;
                       if (auto parsed = cid::Cid::parse(c.get<std::string>())) recovered->insert(*parsed);
                     }
                   } else if (!r) {
                     log_->warn("recover: peer {}: {}", peer, r.status().message());
                   }
                   if (--*waiting == 0) finish();
                 });
    }
  });
  api_->handle("add",
               [this](api::Request req, std::shared_ptr<api::Call> call) { handle_add(req.params, call); });
}

// Re-queues this peer's pins in error: those of `cids`, or all (nullptr). Returns the CIDs that
// were in an error status (at most kRecoverListMax).
std::vector<cid::Cid> Node::recover_here(const std::vector<cid::Cid>* cids) {
  std::vector<cid::Cid> out;
  if (!tracker_) return out;
  if (cids == nullptr) {
    tracker_->for_each_problem([&](const cluster::PinInfo& info) {
      if (cluster::is_error(info.status) && out.size() < kRecoverListMax) out.push_back(info.cid);
    });
    tracker_->recover();
    return out;
  }
  for (const auto& c : *cids) {
    auto p = cluster::read_pin(*store_, c);
    if (p && *p) {
      if (tracker_->recover(**p) > 0) out.push_back(c);
    } else if (tracker_->recover(c) > 0) {
      out.push_back(c);
    }
  }
  return out;
}

void Node::register_status_rpc() {
  rpc_->handle("status.local", [this](const std::string&, Json params, PeerRpc::Respond respond) {
    auto cids = cids_param(params);
    if (!cids) return respond(cids.status());
    Json items = Json::array();
    for (const auto& c : *cids) {
      auto p = cluster::read_pin(*store_, c);
      if (!p) return respond(p.status());
      items.push_back(peer_entry(local_status(c, *p ? &**p : nullptr)));
    }
    respond(Json{{"items", std::move(items)}});
  });
  rpc_->handle("recover.local", [this](const std::string&, Json params, PeerRpc::Respond respond) {
    auto cids = cids_param(params);
    if (!cids) return respond(cids.status());
    const bool all = !(params.contains("cids") && params["cids"].is_array());
    Json out = Json::array();
    for (const auto& c : recover_here(all ? nullptr : &*cids)) out.push_back(c.to_string());
    respond(Json{{"cids", std::move(out)}});
  });
}

// add: the file or directory at params.path goes to the local IPFS (on ipfs_calls_, not the io
// thread), then its root CID is pinned through the cluster with the other params as pin options.
void Node::handle_add(Json params, const std::shared_ptr<api::Call>& call) {
  if (!params.is_object() || !params.contains("path") || !params["path"].is_string()) {
    return call->fail(util::invalid_argument("add needs \"path\": an absolute path on the daemon's machine"));
  }
  const std::string path = params["path"].get<std::string>();
  const std::filesystem::path fs_path(path);
  if (!fs_path.is_absolute()) {
    return call->fail(util::invalid_argument("add: path " + util::quote(path) + " is not absolute"));
  }
  std::error_code ec;
  if (!std::filesystem::exists(fs_path, ec)) {
    return call->fail(
        util::not_found("add: " + util::quote(path) + " does not exist on the daemon's machine"));
  }
  if (!ipfs_) return call->fail(util::unavailable("add " + util::quote(path) + ": no IPFS: " + ipfs_error_));
  params.erase("path");
  if (!params.contains("name")) params["name"] = fs_path.filename().string();
  params["cid"] = "";
  boost::asio::post(ipfs_calls_, [this, call, path, fs_path, params = std::move(params)]() mutable {
    ipfs::AddRequest ar;
    ar.path = fs_path;
    ar.pin = false;  // the tracker pins it where it is allocated
    ar.cancel = &ipfs_cancel_;
    auto added = ipfs_->add(ar);
    boost::asio::post(io_, [this, call, path, added = std::move(added),
                            params = std::move(params)]() mutable {
      if (!added) return call->fail(added.status().with_context("add " + util::quote(path)));
      params["cid"] = added->cid.to_string();
      log_->info("added {} to IPFS as {} ({} bytes)", path, added->cid.to_string(), added->size_bytes);
      auto req = normalize_pin_request(std::move(params));
      if (!req) return call->fail(req.status().with_context("add " + util::quote(path)));
      leader_call("pin.add", std::move(*req), [call](util::Result<Json> r) { answer(call, std::move(r)); });
    });
  });
}

}  // namespace cl::node
