#include "node/wire.hpp"

#include "peer.pb.h"

namespace cl::node {

namespace {

void to_pb(const raft::ConfState& c, pb::ConfState& out) {
  for (auto v : c.voters) out.add_voters(v);
  for (auto l : c.learners) out.add_learners(l);
}

raft::ConfState from_pb(const pb::ConfState& in) {
  return raft::ConfState{{in.voters().begin(), in.voters().end()},
                         {in.learners().begin(), in.learners().end()}};
}

void to_pb(const raft::Message& m, pb::RaftMessage& out) {
  out.set_type(static_cast<std::uint32_t>(m.type));
  out.set_from(m.from);
  out.set_to(m.to);
  out.set_term(m.term);
  out.set_log_term(m.log_term);
  out.set_log_index(m.log_index);
  out.set_index(m.index);
  out.set_commit(m.commit);
  out.set_reject_hint(m.reject_hint);
  out.set_context(m.context);
  out.set_reject(m.reject);
  out.set_force(m.force);
  out.mutable_entries()->Reserve(static_cast<int>(m.entries.size()));
  for (const auto& e : m.entries) {
    auto* pe = out.add_entries();
    pe->set_term(e.term);
    pe->set_index(e.index);
    pe->set_type(static_cast<std::uint32_t>(e.type));
    pe->set_data(e.data);
  }
  if (m.type == raft::MessageType::snapshot) {
    auto* s = out.mutable_snapshot();
    s->set_index(m.snapshot.index);
    s->set_term(m.snapshot.term);
    s->set_size_bytes(m.snapshot.size_bytes);
    to_pb(m.snapshot.conf, *s->mutable_conf());
    out.set_offset(m.offset);
    out.set_data(m.data);
    out.set_last(m.last);
  } else if (m.type == raft::MessageType::snapshot_resp) {
    out.mutable_snapshot()->set_index(m.snapshot.index);
    out.set_offset(m.offset);
  }
}

util::Result<raft::Message> from_pb(pb::RaftMessage& in) {
  if (in.type() < 1 || in.type() > static_cast<std::uint32_t>(raft::MessageType::timeout_now)) {
    return util::corrupt("raft message of unknown type " + std::to_string(in.type()));
  }
  raft::Message m;
  m.type = static_cast<raft::MessageType>(in.type());
  m.from = in.from();
  m.to = in.to();
  m.term = in.term();
  m.log_term = in.log_term();
  m.log_index = in.log_index();
  m.index = in.index();
  m.commit = in.commit();
  m.reject_hint = in.reject_hint();
  m.context = in.context();
  m.reject = in.reject();
  m.force = in.force();
  m.entries.reserve(in.entries_size());
  for (auto& e : *in.mutable_entries()) {
    if (e.type() > 1) return util::corrupt("raft entry of unknown type " + std::to_string(e.type()));
    m.entries.push_back(raft::Entry{e.term(), e.index(), static_cast<raft::EntryType>(e.type()),
                                    std::move(*e.mutable_data())});
  }
  if (in.has_snapshot()) {
    const auto& s = in.snapshot();
    m.snapshot = raft::SnapshotMeta{s.index(), s.term(), from_pb(s.conf()), s.size_bytes()};
  }
  m.offset = in.offset();
  m.data = std::move(*in.mutable_data());
  m.last = in.last();
  return m;
}

}  // namespace

std::string encode_frame(const raft::Message& m) {
  pb::Frame f;
  to_pb(m, *f.mutable_raft());
  return f.SerializeAsString();
}

std::string encode_frame(const PeerRequest& r) {
  pb::Frame f;
  auto* q = f.mutable_request();
  q->set_id(r.id);
  q->set_method(r.method);
  q->set_body(r.body);
  return f.SerializeAsString();
}

std::string encode_frame(const PeerReply& r) {
  pb::Frame f;
  auto* p = f.mutable_reply();
  p->set_id(r.id);
  p->set_body(r.body);
  if (!r.error.is_ok()) {
    p->set_error_code(std::string(util::code_name(r.error.code())));
    p->set_error_message(r.error.message());
  }
  p->set_more(r.more);
  p->set_end(r.end);
  return f.SerializeAsString();
}

util::Result<Frame> decode_frame(std::string_view bytes) {
  pb::Frame f;
  if (!f.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return util::corrupt("malformed peer frame of " + std::to_string(bytes.size()) + " bytes");
  }
  switch (f.kind_case()) {
    case pb::Frame::kRaft: {
      auto m = from_pb(*f.mutable_raft());
      if (!m) return m.status();
      return Frame(std::move(*m));
    }
    case pb::Frame::kRequest: {
      auto& q = *f.mutable_request();
      return Frame(PeerRequest{q.id(), std::move(*q.mutable_method()), std::move(*q.mutable_body())});
    }
    case pb::Frame::kReply: {
      auto& p = *f.mutable_reply();
      PeerReply r{p.id(), std::move(*p.mutable_body()), util::Status::ok(), p.more(), p.end()};
      if (!p.error_code().empty())
        r.error = util::Status(util::code_from_name(p.error_code()), p.error_message());
      return Frame(std::move(r));
    }
    case pb::Frame::KIND_NOT_SET:
      break;
  }
  return util::corrupt("peer frame of an unknown kind (sent by a newer cl-raftd?)");
}

}  // namespace cl::node
