#pragma once
// RawNode: the Raft core's API (the shape of etcd-io/raft's RawNode). Single-threaded and
// deterministic: the caller owns the loop.
//
//   auto node = RawNode::create(cfg);           // cfg.storage holds what was persisted
//   loop:
//     node->tick() every tick (the daemon: 100 ms)
//     node->step(msg) for every message from a peer
//     node->propose(data) / propose_conf_change / read_index / transfer_leader
//     if (node->has_ready()) {
//       Ready rd = node->ready();
//       handle rd in this order:
//         1. soft_state: informational (who leads; fail pending reads on losing leadership)
//         2. persist, durably, atomically if you can (otherwise in this order): stage
//            snapshot_chunks (offset 0 starts a new staging area); when `snapshot` is set, install
//            it: the staged data becomes the state, the log becomes empty after snapshot->index,
//            applied and the persisted membership become the snapshot's; append entries (first
//            drop any stored entries at or after entries.front().index; after a snapshot they
//            follow it); persist hard_state.
//         3. send messages (only now: they promise what step 2 made durable)
//         4. apply committed_entries in order; persist the applied index with the state, and for
//            conf_change entries the new ConfState (apply_conf_change()).
//         5. serve read_states once applied >= read_state.index
//       node->advance();
//     }
//
// Between ready() and advance() the caller may keep calling tick/step/propose (e.g. while a disk
// write is in flight); it must not call ready() again before advance().
//
// A Ready with a snapshot carries no committed_entries (the next one does, after the snapshot).
//
// Restart: persist as above; on start, build a Storage over what is on disk and pass
// Config.applied = the persisted applied index. Entries (applied, commit] are handed out again.
//
// Snapshots/compaction (leader side, application's job): once the application has a snapshot of
// its state at index X (X <= applied), Storage::snapshot_meta()/snapshot_chunk() must serve it and
// the log may be compacted up to X. A follower that needs compacted entries receives the
// snapshot; if snapshot_meta() answers Code::unavailable (or is older than first_index() - 1),
// the leader retries on each heartbeat answer until it is available.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "raft/conf_change.hpp"
#include "raft/config.hpp"
#include "raft/message.hpp"
#include "raft/raft.hpp"
#include "util/result.hpp"

namespace cl::raft {

struct SoftState {
  NodeId leader = kNoNode;
  Role role = Role::follower;
  friend bool operator==(const SoftState&, const SoftState&) = default;
};

struct Ready {
  std::optional<SoftState> soft_state;           // set when it changed
  std::optional<HardState> hard_state;           // set when it changed: persist
  std::vector<Entry> entries;                    // persist (may overwrite a suffix)
  std::vector<SnapshotChunkIn> snapshot_chunks;  // stage durably, in order
  std::optional<SnapshotMeta> snapshot;          // install the staged snapshot
  std::vector<Message> messages;                 // send after the above are durable
  std::vector<Entry> committed_entries;          // apply in order
  std::vector<ReadState> read_states;            // serve once applied >= index

  // True when something must be made durable before the messages go out.
  bool must_sync() const { return hard_state || !entries.empty() || snapshot || !snapshot_chunks.empty(); }
};

struct PeerProgress {
  NodeId id = kNoNode;
  bool learner = false;
  Index match = 0;
  Index next = 0;
  ProgressState state = ProgressState::probe;
  bool recent_active = false;
  std::uint64_t ticks_since_contact = 0;  // ticks since the leader last heard from it
  std::size_t inflight_msgs = 0;
  Index pending_snapshot = 0;
  std::uint64_t snapshot_offset = 0;
};

struct RaftStatus {
  NodeId id = kNoNode;
  Role role = Role::follower;
  Term term = 0;
  NodeId vote = kNoNode;
  NodeId leader = kNoNode;
  Index commit = 0;
  Index applied = 0;
  Index first_index = 0;
  Index last_index = 0;
  ConfState conf;
  NodeId lead_transferee = kNoNode;
  std::uint64_t ticks_since_leader_contact = 0;  // followers: ticks since the leader was heard
  std::vector<PeerProgress> peers;               // leader only: every member, itself included, by id
};

class RawNode {
 public:
  // Checks cfg (Code::invalid_argument), reads the initial state, and checks that it is
  // consistent (Code::corrupt: commit beyond the log, applied beyond commit or before the log).
  static util::Result<std::unique_ptr<RawNode>> create(const Config& cfg);

  void tick();
  // Code::invalid_argument for a message not addressed to this node or from node 0 / itself.
  util::Status step(Message m);

  // Leader only (Code::not_leader otherwise, naming the leader if known). Appends the entry; it
  // commits once the returned (term, index) is in committed_entries with that term.
  // Code::unavailable during a leadership transfer; Code::resource_exhausted beyond
  // max_uncommitted_bytes.
  util::Result<EntryId> propose(std::string data);
  // Also refuses (Code::failed_precondition) while another change is not yet applied, before the
  // leader committed an entry of its term (Code::unavailable), a change that does not apply, and
  // promoting a learner that has not caught up with the commit index.
  util::Result<EntryId> propose_conf_change(const ConfChange& cc);
  // Leader only. A ReadState with this context appears in a later Ready once leadership is
  // confirmed; it is silently dropped if leadership is lost first (watch soft_state).
  util::Status read_index(std::string context);
  // Leader only; to must be a voter. Proposals are refused until it completes or times out.
  util::Status transfer_leader(NodeId to);
  // Start an election now (as on election timeout).
  void campaign();
  // The transport could not reach `id`, or a snapshot send to it failed.
  void report_unreachable(NodeId id);
  void report_snapshot_failed(NodeId id);

  bool has_ready();
  Ready ready();
  void advance();

  RaftStatus status() const;
  NodeId id() const { return raft_.id(); }
  Role role() const { return raft_.role(); }
  Term term() const { return raft_.term(); }
  NodeId leader() const { return raft_.leader(); }
  // Cheap views for per-step monitoring (status() builds a full copy).
  Index commit_index() const { return raft_.raft_log().committed(); }
  Index last_index() const { return raft_.raft_log().last_index(); }
  const ConfState& conf() const { return raft_.tracker().conf(); }

  explicit RawNode(const Config& cfg, const InitialState& initial);  // use create()

 private:
  Raft raft_;
  std::uint64_t committed_bytes_per_ready_max_;
  SoftState prev_soft_;
  HardState prev_hard_;
  bool awaiting_advance_ = false;
  // What the outstanding Ready handed out.
  std::vector<TermRun> handed_entries_;
  std::optional<SnapshotMeta> handed_snapshot_;
  Index handed_committed_last_ = 0;
  std::uint64_t handed_committed_bytes_ = 0;
  std::vector<Entry> handed_conf_changes_;
};

}  // namespace cl::raft
