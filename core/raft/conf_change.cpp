#include "raft/conf_change.hpp"

#include <algorithm>

#include "util/bytes.hpp"

namespace cl::raft {

namespace {
constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kMaxContextBytes = 64 * 1024;

void insert_sorted(std::vector<NodeId>& v, NodeId id) {
  v.insert(std::lower_bound(v.begin(), v.end(), id), id);
}
bool erase_sorted(std::vector<NodeId>& v, NodeId id) {
  auto it = std::lower_bound(v.begin(), v.end(), id);
  if (it == v.end() || *it != id) return false;
  v.erase(it);
  return true;
}
bool contains(const std::vector<NodeId>& v, NodeId id) {
  return std::binary_search(v.begin(), v.end(), id);
}
}  // namespace

std::string_view conf_change_type_name(ConfChangeType type) {
  switch (type) {
    case ConfChangeType::add_voter:
      return "add_voter";
    case ConfChangeType::add_learner:
      return "add_learner";
    case ConfChangeType::promote_to_voter:
      return "promote_to_voter";
    case ConfChangeType::remove:
      return "remove";
  }
  return "unknown";
}

std::string encode_conf_change(const ConfChange& cc) {
  std::string out;
  out.reserve(12 + cc.context.size());
  out.push_back(static_cast<char>(kVersion));
  out.push_back(static_cast<char>(cc.type));
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((cc.node >> (8 * i)) & 0xff));
  util::put_uvarint(out, cc.context.size());
  out.append(cc.context);
  return out;
}

util::Result<ConfChange> decode_conf_change(std::string_view bytes) {
  if (bytes.size() < 11) return util::corrupt("malformed conf change: truncated header");
  if (static_cast<std::uint8_t>(bytes[0]) != kVersion)
    return util::corrupt("malformed conf change: unknown version " +
                         std::to_string(static_cast<std::uint8_t>(bytes[0])));
  auto type = static_cast<std::uint8_t>(bytes[1]);
  if (type > static_cast<std::uint8_t>(ConfChangeType::remove))
    return util::corrupt("malformed conf change: unknown type " + std::to_string(type));
  ConfChange cc;
  cc.type = static_cast<ConfChangeType>(type);
  for (int i = 0; i < 8; ++i)
    cc.node |= static_cast<NodeId>(static_cast<std::uint8_t>(bytes[2 + i])) << (8 * i);
  std::size_t pos = 10;
  auto len = util::get_uvarint(bytes, pos);
  if (!len || *len > kMaxContextBytes || *len != bytes.size() - pos)
    return util::corrupt("malformed conf change: bad context length");
  cc.context.assign(bytes.substr(pos));
  return cc;
}

util::Result<ConfState> apply_conf_change(const ConfState& conf, const ConfChange& cc) {
  if (cc.node == kNoNode) return util::failed_precondition("conf change names node 0");
  const bool voter = contains(conf.voters, cc.node);
  const bool learner = contains(conf.learners, cc.node);
  const std::string who = "node " + std::to_string(cc.node);
  ConfState out = conf;
  switch (cc.type) {
    case ConfChangeType::add_voter:
      if (voter || learner) return util::failed_precondition(who + " is already a member");
      insert_sorted(out.voters, cc.node);
      return out;
    case ConfChangeType::add_learner:
      if (voter || learner) return util::failed_precondition(who + " is already a member");
      insert_sorted(out.learners, cc.node);
      return out;
    case ConfChangeType::promote_to_voter:
      if (!learner) return util::failed_precondition(who + " is not a learner");
      erase_sorted(out.learners, cc.node);
      insert_sorted(out.voters, cc.node);
      return out;
    case ConfChangeType::remove:
      if (!voter && !learner) return util::failed_precondition(who + " is not a member");
      if (voter && conf.voters.size() == 1) return util::failed_precondition("cannot remove the last voter");
      erase_sorted(voter ? out.voters : out.learners, cc.node);
      return out;
  }
  return util::failed_precondition("unknown conf change type");
}

std::vector<Entry> bootstrap_entries(const ConfState& conf) {
  std::vector<Entry> out;
  auto add = [&out](ConfChangeType type, NodeId id) {
    out.push_back(
        Entry{1, out.size() + 1, EntryType::conf_change, encode_conf_change(ConfChange{type, id, {}})});
  };
  for (NodeId id : conf.voters) add(ConfChangeType::add_voter, id);
  for (NodeId id : conf.learners) add(ConfChangeType::add_learner, id);
  return out;
}

std::string describe(const ConfChange& cc) {
  return std::string(conf_change_type_name(cc.type)) + " " + std::to_string(cc.node);
}

std::string describe(const ConfState& conf) {
  auto list = [](const std::vector<NodeId>& v) {
    std::string s = "(";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? " " : "") + std::to_string(v[i]);
    return s + ")";
  };
  std::string out = "voters=" + list(conf.voters);
  if (!conf.learners.empty()) out += " learners=" + list(conf.learners);
  return out;
}

bool is_voter(const ConfState& conf, NodeId id) {
  return contains(conf.voters, id);
}
bool is_learner(const ConfState& conf, NodeId id) {
  return contains(conf.learners, id);
}

}  // namespace cl::raft
