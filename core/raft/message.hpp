#pragma once
// Message: what Raft peers send each other. Plain data (no pointers) so that core/net can encode it
// with a compact binary codec. `from`, `to`, `term` and `type` are set on every message; the other
// fields are used only by the types listed next to them and are zero/empty otherwise.
//
//   type            | fields used
//   ----------------+----------------------------------------------------------------------------
//   append          | log_index, log_term: the entry just before `entries` (the consistency check)
//                   | entries: the entries to append (may be empty: then it only carries commit)
//                   | commit: the leader's commit index
//                   | context: the leader's flow epoch for this follower (echoed back)
//   append_resp     | index: on success, the last index the follower now holds that matches the
//                   |   leader (log_index + entries.size()); on reject, the rejected log_index
//                   | reject: the consistency check failed
//                   | reject_hint, log_term: on reject, the follower's guess of where the logs
//                   |   last agree: its last index <= log_index whose term is <= the leader's
//                   |   log_term, and that entry's term (for fast backtracking)
//                   | context: the epoch of the append answered (0 when not answering one)
//   heartbeat       | commit: min(the follower's known match, leader's commit)
//                   | context: the leader's ReadIndex round (echoed back)
//   heartbeat_resp  | context: the echoed round
//   vote, pre_vote  | log_index, log_term: the candidate's last entry
//                   | term: the term the candidate campaigns for (for pre_vote, its term + 1; the
//                   |   sender does not actually change term)
//                   | force: a leadership transfer (ignore the leader lease)
//   vote_resp,      | reject: the vote is refused
//   pre_vote_resp   | term: for a granted pre-vote, the term asked for; otherwise the voter's term
//   snapshot        | snapshot: the meta of the snapshot being transferred
//                   | offset: where `data` starts in the snapshot's bytes; 0 starts over
//                   | data: the chunk; last: it ends the snapshot
//   snapshot_resp   | index: the snapshot index being acknowledged
//                   | offset: the next offset the follower expects
//                   | reject: the follower lost its staging (restart, other leader): resume from
//                   |   `offset` even if it is lower than before
//   timeout_now     | (none): leadership transfer; the receiver campaigns at once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "raft/types.hpp"

namespace cl::raft {

// The numeric values travel on the wire: never renumber.
enum class MessageType : std::uint8_t {
  append = 1,
  append_resp = 2,
  heartbeat = 3,
  heartbeat_resp = 4,
  vote = 5,
  vote_resp = 6,
  pre_vote = 7,
  pre_vote_resp = 8,
  snapshot = 9,
  snapshot_resp = 10,
  timeout_now = 11,
};

std::string_view message_type_name(MessageType type);  // "append", "vote_resp", ...
bool is_response(MessageType type);

struct Message {
  MessageType type = MessageType::append;
  NodeId from = kNoNode;
  NodeId to = kNoNode;
  Term term = 0;

  Term log_term = 0;
  Index log_index = 0;
  Index index = 0;
  Index commit = 0;
  Index reject_hint = 0;
  std::uint64_t context = 0;
  bool reject = false;
  bool force = false;

  std::vector<Entry> entries;

  SnapshotMeta snapshot;
  std::uint64_t offset = 0;
  std::string data;
  bool last = false;

  friend bool operator==(const Message&, const Message&) = default;
};

// One line describing m for traces and logs: "1->2 append term=3 log=3/7 commit=6 entries=[3/8 3/9]".
// Payloads are summarised, never printed whole.
std::string describe(const Message& m);
std::string describe(const Entry& e);  // "3/8" or "3/8 conf:add_learner 4" ...

}  // namespace cl::raft
