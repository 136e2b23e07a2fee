#include "cluster/state_machine.hpp"

namespace cl::cluster {

using store::Ns;
using util::Result;
using util::Status;

namespace {

struct Applier {
  store::StateWriter& w;
  ChangeSink* sink;

  Status operator()(const pin::PinOp& op) {
    CL_TRY_STATUS(w.put(Ns::pins, op.pin.cid.bytes(), pin::encode_pin_row(op.pin)));
    if (sink != nullptr) sink->pin_set(op.pin);
    return Status::ok();
  }
  Status operator()(const pin::UnpinOp& op) {
    CL_TRY_STATUS(w.del(Ns::pins, op.cid.bytes()));
    if (sink != nullptr) sink->pin_removed(op.cid);
    return Status::ok();
  }
  // The stored pin when it is still the version `if_timestamp_ms` names; nullopt otherwise (removed,
  // changed, or unreadable: then the leader's op is skipped, like a lost race).
  Result<std::optional<pin::Pin>> if_unchanged(const cid::Cid& cid, std::int64_t if_timestamp_ms) {
    auto row = w.get(Ns::pins, cid.bytes());
    if (!row) return row.status();
    if (!*row) return std::optional<pin::Pin>{};
    auto p = pin::decode_pin_row(cid.bytes(), **row);
    if (!p || p->timestamp_ms != if_timestamp_ms) return std::optional<pin::Pin>{};
    return std::optional<pin::Pin>{std::move(*p)};
  }
  Status operator()(const pin::ReallocateOp& op) {
    auto p = if_unchanged(op.cid, op.if_timestamp_ms);
    if (!p) return p.status();
    if (!*p) return Status::ok();
    (*p)->allocations = op.allocations;
    CL_TRY_STATUS(w.put(Ns::pins, op.cid.bytes(), pin::encode_pin_row(**p)));
    if (sink != nullptr) sink->pin_set(**p);
    return Status::ok();
  }
  Status operator()(const pin::ExpireOp& op) {
    auto p = if_unchanged(op.cid, op.if_timestamp_ms);
    if (!p) return p.status();
    if (!*p) return Status::ok();
    CL_TRY_STATUS(w.del(Ns::pins, op.cid.bytes()));
    if (sink != nullptr) sink->pin_removed(op.cid);
    return Status::ok();
  }
  Status operator()(const pin::ImportBegin& op) { return w.clear(Ns::staging, op.token); }
  Status operator()(const pin::ImportPut& op) {
    for (const auto& p : op.pins) {
      CL_TRY_STATUS(w.put(Ns::staging, op.token + p.cid.bytes(), pin::encode_pin_row(p)));
    }
    return Status::ok();
  }
  Status operator()(const pin::ImportCommit& op) {
    CL_TRY_STATUS(w.clear(Ns::pins, ""));
    Status inner;
    CL_TRY_STATUS(w.scan(Ns::staging, op.token, [&](std::string_view key, std::string_view value) {
      inner = w.put(Ns::pins, key.substr(op.token.size()), value);
      return inner.is_ok();
    }));
    CL_TRY_STATUS(inner);
    CL_TRY_STATUS(w.clear(Ns::staging, op.token));
    if (sink != nullptr) sink->pinset_replaced();
    return Status::ok();
  }
  Status operator()(const pin::ImportAbort& op) { return w.clear(Ns::staging, op.token); }
  Status operator()(const pin::PeerSet& op) {
    CL_TRY_STATUS(w.put(Ns::peers, op.peer.peer_id, pin::encode_peer(op.peer)));
    if (sink != nullptr) sink->peer_set(op.peer);
    return Status::ok();
  }
  Status operator()(const pin::PeerRemove& op) {
    CL_TRY_STATUS(w.del(Ns::peers, op.peer_id));
    if (sink != nullptr) sink->peer_removed(op.peer_id);
    return Status::ok();
  }
};

bool token_ok(const pin::Op& op) {
  const std::string* token = nullptr;
  if (auto* o = std::get_if<pin::ImportBegin>(&op)) token = &o->token;
  if (auto* o = std::get_if<pin::ImportPut>(&op)) token = &o->token;
  if (auto* o = std::get_if<pin::ImportCommit>(&op)) token = &o->token;
  if (auto* o = std::get_if<pin::ImportAbort>(&op)) token = &o->token;
  return token == nullptr || token->size() == kImportTokenBytes;
}

}  // namespace

Result<ApplyResult> apply_command(std::string_view data, store::StateWriter& w, ChangeSink* sink) {
  if (data.empty()) return ApplyResult{};
  auto command = pin::decode_command(data);
  if (!command) return ApplyResult{true, command.status().message()};
  for (const auto& op : command->ops) {
    if (!token_ok(op)) return ApplyResult{true, "import token of the wrong size"};
  }
  for (const auto& op : command->ops) CL_TRY_STATUS(std::visit(Applier{w, sink}, op));
  return ApplyResult{};
}

Result<std::optional<pin::Pin>> read_pin(store::Store& s, const cid::Cid& cid) {
  auto row = s.get(Ns::pins, cid.bytes());
  if (!row) return row.status();
  if (!row->has_value()) return std::optional<pin::Pin>();
  auto p = pin::decode_pin_row(cid.bytes(), **row);
  if (!p) return p.status();
  return std::optional<pin::Pin>(std::move(*p));
}

}  // namespace cl::cluster
