// Node: state.export (a consistent stream of the whole pinset) and state.import (batches, or a
// whole-pinset replacement staged in batches and swapped in by one entry).
#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include "api/server.hpp"
#include "cluster/state_machine.hpp"
#include "node/api_util.hpp"
#include "node/node.hpp"
#include "pin/pin_json.hpp"
#include "util/bytes.hpp"

namespace cl::node {

namespace {
constexpr std::size_t kImportBatchMax = 10'000;

util::Result<std::string> token_param(const Json& params) {
  auto it = params.find("token");
  if (it == params.end() || !it->is_string()) return util::invalid_argument("missing import \"token\"");
  auto raw = util::from_hex(it->get<std::string>());
  if (!raw || raw->size() != cluster::kImportTokenBytes) {
    return util::invalid_argument("invalid import token " + util::quote(it->get<std::string>()));
  }
  return *raw;
}
}  // namespace

void Node::register_state_api() {
  api_->handle("state.export", [this](api::Request, std::shared_ptr<api::Call> call) {
    read_barrier([this, call](util::Status st) {
      if (!st.is_ok()) return call->fail(st);
      auto view = store_->read_view();  // one applied index for the whole stream
      if (!view) return call->fail(view.status());
      std::shared_ptr<store::ReadView> v = std::move(*view);
      log_->info("exporting the pinset at index {}", v->applied_index());
      auto after = std::make_shared<std::string>();
      call->stream([v, after](api::StreamWriter& w) {
        util::Status bad;
        bool full = false;
        auto n =
            v->scan_page(store::Ns::pins, *after, 512, [&](std::string_view key, std::string_view value) {
              *after = key;
              auto p = pin::decode_pin_row(key, value);
              if (!p) {
                bad = p.status();
                return false;
              }
              full = !w.write(pin::to_json(*p));
              return !full;
            });
        if (!n) bad = n.status();
        if (!bad.is_ok()) {
          w.fail(bad);
          return api::Pump::done;
        }
        return (full || *n == 512) ? api::Pump::more : api::Pump::done;
      });
    });
  });
  api_->handle("state.import", [this](api::Request req, std::shared_ptr<api::Call> call) {
    Json params = std::move(req.params);
    if (auto it = params.find("pins"); it != params.end()) {
      if (!it->is_array()) return call->fail(util::invalid_argument("\"pins\" must be an array"));
      if (it->size() > kImportBatchMax) {
        return call->fail(util::invalid_argument("more than " + std::to_string(kImportBatchMax) +
                                                 " pins in one state.import call; send batches"));
      }
      for (std::size_t i = 0; i < it->size(); ++i) {
        auto p = normalize_pin_request(std::move((*it)[i]));
        if (!p) return call->fail(p.status().with_context("pin " + std::to_string(i + 1) + " of the batch"));
        (*it)[i] = std::move(*p);
      }
    }
    leader_call("state.import", std::move(params),
                [call](util::Result<Json> r) { answer(call, std::move(r)); });
  });
}

void Node::leader_import(Json params, Reply done) {
  const std::string replace = params.value("replace", "");
  pin::Command cmd;
  if (replace == "begin") {
    std::string token(cluster::kImportTokenBytes, '\0');
    RAND_bytes(reinterpret_cast<unsigned char*>(token.data()), static_cast<int>(token.size()));
    cmd.ops.push_back(pin::ImportBegin{token});
    return propose_command(cmd, [done, hex = util::to_hex(token)](util::Status st) {
      if (!st.is_ok()) return done(st);
      done(Json{{"token", hex}});
    });
  }
  if (replace == "commit" || replace == "abort") {
    auto token = token_param(params);
    if (!token) return done(token.status());
    if (replace == "commit") {
      cmd.ops.push_back(pin::ImportCommit{*token});
    } else {
      cmd.ops.push_back(pin::ImportAbort{*token});
    }
    return propose_command(cmd, [done, replace](util::Status st) {
      if (!st.is_ok()) return done(st);
      done(Json{{replace == "commit" ? "committed" : "aborted", true}});
    });
  }
  std::optional<std::string> token;
  if (replace == "put") {
    auto t = token_param(params);
    if (!t) return done(t.status());
    token = *t;
  } else if (!replace.empty()) {
    return done(util::invalid_argument("unknown import step " + util::quote(replace) +
                                       " (use begin, put, commit or abort)"));
  }
  Json errors = Json::array();
  std::vector<pin::Pin> pins;
  std::size_t unchanged = 0;
  for (const auto& j : params.value("pins", Json::array())) {
    auto p = pin::pin_from_json(j);
    if (!p) {
      errors.push_back(Json{{"cid", j.value("cid", "")}, {"error", p.status().message()}});
      continue;
    }
    auto existing = cluster::read_pin(*store_, p->cid);
    if (!existing) return done(existing.status());
    if (!token && *existing && (*existing)->same_options(*p)) {
      ++unchanged;
      continue;
    }
    auto allocated = allocate(std::move(*p), *existing);
    if (!allocated) {
      errors.push_back(Json{{"cid", j.value("cid", "")}, {"error", allocated.status().message()}});
      continue;
    }
    allocated->timestamp_ms = clock_.wall().count();
    pins.push_back(std::move(*allocated));
  }
  const std::size_t added = pins.size();
  if (token) {
    cmd.ops.push_back(pin::ImportPut{*token, std::move(pins)});
  } else {
    for (auto& p : pins) cmd.ops.push_back(pin::PinOp{std::move(p)});
  }
  Json result{{"added", added}, {"unchanged", unchanged}, {"errors", errors}};
  if (cmd.ops.empty()) return done(result);
  propose_command(cmd, [done, result = std::move(result)](util::Status st) mutable {
    if (!st.is_ok()) return done(st);
    done(std::move(result));
  });
}

}  // namespace cl::node
