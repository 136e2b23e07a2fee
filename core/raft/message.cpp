#include "raft/message.hpp"

#include "raft/conf_change.hpp"

namespace cl::raft {

std::string_view message_type_name(MessageType type) {
  switch (type) {
    case MessageType::append:
      return "append";
    case MessageType::append_resp:
      return "append_resp";
    case MessageType::heartbeat:
      return "heartbeat";
    case MessageType::heartbeat_resp:
      return "heartbeat_resp";
    case MessageType::vote:
      return "vote";
    case MessageType::vote_resp:
      return "vote_resp";
    case MessageType::pre_vote:
      return "pre_vote";
    case MessageType::pre_vote_resp:
      return "pre_vote_resp";
    case MessageType::snapshot:
      return "snapshot";
    case MessageType::snapshot_resp:
      return "snapshot_resp";
    case MessageType::timeout_now:
      return "timeout_now";
  }
  return "unknown";
}

bool is_response(MessageType type) {
  return type == MessageType::append_resp || type == MessageType::heartbeat_resp ||
         type == MessageType::vote_resp || type == MessageType::pre_vote_resp ||
         type == MessageType::snapshot_resp;
}

std::string describe(const Entry& e) {
  std::string out = std::to_string(e.term) + "/" + std::to_string(e.index);
  if (e.type == EntryType::conf_change) {
    auto cc = decode_conf_change(e.data);
    out += cc.is_ok() ? " conf:" + describe(*cc) : " conf:?";
  } else if (!e.data.empty()) {
    // Short printable payloads help traces; anything else is summarised by size.
    bool printable = e.data.size() <= 16;
    for (char c : e.data) printable = printable && c >= 0x21 && c <= 0x7e;
    out += printable ? " " + e.data : " <" + std::to_string(e.data.size()) + " bytes>";
  }
  return out;
}

std::string describe(const Message& m) {
  std::string out = std::to_string(m.from) + "->" + std::to_string(m.to) + " " +
                    std::string(message_type_name(m.type)) + " term=" + std::to_string(m.term);
  auto add = [&out](const char* name, std::uint64_t v) {
    out += std::string(" ") + name + "=" + std::to_string(v);
  };
  switch (m.type) {
    case MessageType::append:
      out += " log=" + std::to_string(m.log_term) + "/" + std::to_string(m.log_index);
      add("commit", m.commit);
      if (!m.entries.empty()) {
        out += " entries=[";
        for (std::size_t i = 0; i < m.entries.size(); ++i) out += (i ? ", " : "") + describe(m.entries[i]);
        out += "]";
      }
      break;
    case MessageType::append_resp:
      add("index", m.index);
      if (m.reject) out += " reject hint=" + std::to_string(m.log_term) + "/" + std::to_string(m.reject_hint);
      break;
    case MessageType::heartbeat:
      add("commit", m.commit);
      if (m.context) add("round", m.context);
      break;
    case MessageType::heartbeat_resp:
      if (m.context) add("round", m.context);
      break;
    case MessageType::vote:
    case MessageType::pre_vote:
      out += " last=" + std::to_string(m.log_term) + "/" + std::to_string(m.log_index);
      if (m.force) out += " force";
      break;
    case MessageType::vote_resp:
    case MessageType::pre_vote_resp:
      if (m.reject) out += " reject";
      break;
    case MessageType::snapshot:
      out += " snap=" + std::to_string(m.snapshot.term) + "/" + std::to_string(m.snapshot.index);
      add("offset", m.offset);
      add("bytes", m.data.size());
      if (m.last) out += " last";
      break;
    case MessageType::snapshot_resp:
      add("index", m.index);
      add("offset", m.offset);
      if (m.reject) out += " reject";
      break;
    case MessageType::timeout_now:
      break;
  }
  return out;
}

}  // namespace cl::raft
