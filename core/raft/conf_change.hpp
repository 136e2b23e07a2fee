#pragma once
// ConfChange: one membership change, one server at a time (dissertation chapter 4). The leader
// encodes it into an EntryType::conf_change entry; it takes effect on every node when that entry is
// APPLIED (the node's RawNode::advance() after the application applied it), like etcd-io/raft.
// The application applies the same change to the ConfState it persists with its applied index,
// using apply_conf_change() below, so both agree.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "raft/types.hpp"
#include "util/result.hpp"

namespace cl::raft {

// The numeric values are stored in log entries: never renumber.
enum class ConfChangeType : std::uint8_t {
  add_voter = 0,         // a new voter (bootstrap; prefer add_learner then promote_to_voter)
  add_learner = 1,       // a new non-voting member: replicates, never votes nor counts for quorum
  promote_to_voter = 2,  // a learner becomes a voter
  remove = 3,            // a voter or learner leaves (may be the leader itself)
};
std::string_view conf_change_type_name(ConfChangeType type);

struct ConfChange {
  ConfChangeType type = ConfChangeType::add_learner;
  NodeId node = kNoNode;
  std::string context;  // opaque to raft (e.g. the peer's address); at most 64 KiB
  friend bool operator==(const ConfChange&, const ConfChange&) = default;
};

// Compact binary form: version byte (1), type byte, node as 8 bytes little-endian, varint length
// of context, context.
std::string encode_conf_change(const ConfChange& cc);
// Code::corrupt names what is wrong (unknown version or type, truncated, trailing bytes).
util::Result<ConfChange> decode_conf_change(std::string_view bytes);

// The membership after `cc`. Code::failed_precondition when it does not apply (adding a member,
// promoting a non-learner, removing a non-member, node 0): a committed change that does not apply
// is a no-op, on every node alike, so the caller keeps `conf` unchanged.
util::Result<ConfState> apply_conf_change(const ConfState& conf, const ConfChange& cc);

// The first entries of a new cluster's log: one add_voter / add_learner per member of `conf`, term
// 1, indexes 1..n. To bootstrap, every initial member persists them with hard state
// {term 1, no vote, commit n}, an empty membership and applied index 0; they apply like any conf
// change, and a node that joins later learns the initial membership from them (or a snapshot).
std::vector<Entry> bootstrap_entries(const ConfState& conf);

// "add_learner 4" (context not shown).
std::string describe(const ConfChange& cc);
std::string describe(const ConfState& conf);  // "voters=(1 2 3) learners=(4)"

// True when id is a voter / learner of conf (the vectors are sorted).
bool is_voter(const ConfState& conf, NodeId id);
bool is_learner(const ConfState& conf, NodeId id);

}  // namespace cl::raft
