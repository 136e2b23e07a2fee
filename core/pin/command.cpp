#include "pin/command.hpp"

#include "pin.pb.h"

namespace cl::pin {

namespace {

void to_pb(const Pin& p, pb::Pin& out, bool with_cid) {
  if (with_cid) out.set_cid(p.cid.bytes());
  out.set_name(p.name);
  out.set_mode(static_cast<std::uint32_t>(p.mode));
  out.set_rmin(p.rmin);
  out.set_rmax(p.rmax);
  for (const auto& a : p.allocations) out.add_allocations(a);
  for (const auto& a : p.user_allocations) out.add_user_allocations(a);
  for (const auto& [k, v] : p.metadata) (*out.mutable_metadata())[k] = v;
  out.set_expire_at_ms(p.expire_at_ms);
  out.set_timestamp_ms(p.timestamp_ms);
  if (p.pin_update_from.is_defined()) out.set_pin_update_from(p.pin_update_from.bytes());
  out.set_size_bytes(p.size_bytes);
}

util::Result<cid::Cid> cid_of(std::string_view bytes) {
  auto c = cid::Cid::from_bytes(bytes);
  if (!c) return util::corrupt(c.status().message());
  return c;
}

util::Result<Pin> from_pb(const pb::Pin& in, std::string_view cid_bytes) {
  Pin p;
  auto c = cid_of(cid_bytes);
  if (!c) return c.status();
  p.cid = std::move(*c);
  p.name = in.name();
  if (in.mode() > 1)
    return util::corrupt("pin " + p.cid.to_string() + ": unknown mode " + std::to_string(in.mode()));
  p.mode = static_cast<Mode>(in.mode());
  p.rmin = in.rmin();
  p.rmax = in.rmax();
  p.allocations.assign(in.allocations().begin(), in.allocations().end());
  p.user_allocations.assign(in.user_allocations().begin(), in.user_allocations().end());
  for (const auto& [k, v] : in.metadata()) p.metadata.emplace(k, v);
  p.expire_at_ms = in.expire_at_ms();
  p.timestamp_ms = in.timestamp_ms();
  if (!in.pin_update_from().empty()) {
    auto from = cid_of(in.pin_update_from());
    if (!from) return from.status();
    p.pin_update_from = std::move(*from);
  }
  p.size_bytes = in.size_bytes();
  return p;
}

void to_pb(const PeerInfo& p, pb::PeerInfo& out) {
  out.set_peer_id(p.peer_id);
  out.set_node_id(p.node_id);
  out.set_addr(p.addr);
  for (const auto& a : p.ipfs_addrs) out.add_ipfs_addrs(a);
  out.set_version(p.version);
}

PeerInfo from_pb(const pb::PeerInfo& in) {
  PeerInfo p;
  p.peer_id = in.peer_id();
  p.node_id = in.node_id();
  p.addr = in.addr();
  p.ipfs_addrs.assign(in.ipfs_addrs().begin(), in.ipfs_addrs().end());
  p.version = in.version();
  return p;
}

struct OpToPb {
  pb::Op& out;
  void operator()(const PinOp& o) { to_pb(o.pin, *out.mutable_pin(), true); }
  void operator()(const UnpinOp& o) { out.set_unpin(o.cid.bytes()); }
  void operator()(const ImportBegin& o) { out.set_import_begin(o.token); }
  void operator()(const ImportPut& o) {
    auto* put = out.mutable_import_put();
    put->set_token(o.token);
    for (const auto& p : o.pins) to_pb(p, *put->add_pins(), true);
  }
  void operator()(const ImportCommit& o) { out.set_import_commit(o.token); }
  void operator()(const ImportAbort& o) { out.set_import_abort(o.token); }
  void operator()(const PeerSet& o) { to_pb(o.peer, *out.mutable_peer_set()); }
  void operator()(const PeerRemove& o) { out.set_peer_remove(o.peer_id); }
  void operator()(const ReallocateOp& o) {
    auto* r = out.mutable_reallocate();
    r->set_cid(o.cid.bytes());
    for (const auto& a : o.allocations) r->add_allocations(a);
    r->set_if_timestamp_ms(o.if_timestamp_ms);
  }
  void operator()(const ExpireOp& o) {
    auto* e = out.mutable_expire();
    e->set_cid(o.cid.bytes());
    e->set_if_timestamp_ms(o.if_timestamp_ms);
  }
};

util::Result<Op> from_pb(const pb::Op& in) {
  switch (in.op_case()) {
    case pb::Op::kPin: {
      auto p = from_pb(in.pin(), in.pin().cid());
      if (!p) return p.status();
      return Op(PinOp{std::move(*p)});
    }
    case pb::Op::kUnpin: {
      auto c = cid_of(in.unpin());
      if (!c) return c.status();
      return Op(UnpinOp{std::move(*c)});
    }
    case pb::Op::kImportBegin:
      return Op(ImportBegin{in.import_begin()});
    case pb::Op::kImportPut: {
      ImportPut put{in.import_put().token(), {}};
      put.pins.reserve(in.import_put().pins_size());
      for (const auto& pp : in.import_put().pins()) {
        auto p = from_pb(pp, pp.cid());
        if (!p) return p.status();
        put.pins.push_back(std::move(*p));
      }
      return Op(std::move(put));
    }
    case pb::Op::kImportCommit:
      return Op(ImportCommit{in.import_commit()});
    case pb::Op::kImportAbort:
      return Op(ImportAbort{in.import_abort()});
    case pb::Op::kPeerSet:
      return Op(PeerSet{from_pb(in.peer_set())});
    case pb::Op::kPeerRemove:
      return Op(PeerRemove{in.peer_remove()});
    case pb::Op::kReallocate: {
      auto c = cid_of(in.reallocate().cid());
      if (!c) return c.status();
      if (static_cast<std::size_t>(in.reallocate().allocations_size()) > kAllocationsMax) {
        return util::corrupt("reallocate holds more than " + std::to_string(kAllocationsMax) +
                             " allocations");
      }
      ReallocateOp r{std::move(*c), {}, in.reallocate().if_timestamp_ms()};
      r.allocations.assign(in.reallocate().allocations().begin(), in.reallocate().allocations().end());
      return Op(std::move(r));
    }
    case pb::Op::kExpire: {
      auto c = cid_of(in.expire().cid());
      if (!c) return c.status();
      return Op(ExpireOp{std::move(*c), in.expire().if_timestamp_ms()});
    }
    case pb::Op::OP_NOT_SET:
      break;
  }
  return util::corrupt("command holds an unknown operation (written by a newer cl-raftd?)");
}

}  // namespace

std::string encode_command(const Command& command) {
  pb::Command out;
  for (const auto& op : command.ops) std::visit(OpToPb{*out.add_ops()}, op);
  return out.SerializeAsString();
}

util::Result<Command> decode_command(std::string_view bytes) {
  pb::Command in;
  if (!in.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return util::corrupt("malformed command of " + std::to_string(bytes.size()) + " bytes");
  }
  Command c;
  c.ops.reserve(in.ops_size());
  for (const auto& op : in.ops()) {
    auto o = from_pb(op);
    if (!o) return o.status();
    c.ops.push_back(std::move(*o));
  }
  return c;
}

std::string encode_pin_row(const Pin& pin) {
  pb::Pin out;
  to_pb(pin, out, false);
  return out.SerializeAsString();
}

util::Result<Pin> decode_pin_row(std::string_view cid_bytes, std::string_view value) {
  pb::Pin in;
  if (!in.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return util::corrupt("malformed pin row of " + std::to_string(value.size()) + " bytes");
  }
  return from_pb(in, cid_bytes);
}

std::string encode_peer(const PeerInfo& peer) {
  pb::PeerInfo out;
  to_pb(peer, out);
  return out.SerializeAsString();
}

util::Result<PeerInfo> decode_peer(std::string_view bytes) {
  pb::PeerInfo in;
  if (!in.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return util::corrupt("malformed peer record of " + std::to_string(bytes.size()) + " bytes");
  }
  return from_pb(in);
}

}  // namespace cl::pin
