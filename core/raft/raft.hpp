#pragma once
// Raft: the protocol state machine of one node (figure 2 of the Raft paper plus pre-vote,
// check-quorum, learners, single-server membership changes, snapshots, leadership transfer and
// ReadIndex). No I/O: inputs are tick(), step(), propose...; outputs accumulate (messages, read
// states, snapshot chunks) and RawNode packs them into Ready batches. Use it through RawNode.
//
// The implementation is split by concern: raft.cpp (roles, term rules, tick), election.cpp,
// replication.cpp, snapshot.cpp, membership.cpp, read_index.cpp, transfer.cpp.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "raft/conf_change.hpp"
#include "raft/config.hpp"
#include "raft/log.hpp"
#include "raft/message.hpp"
#include "raft/tracker.hpp"
#include "util/result.hpp"
#include "util/rng.hpp"

namespace cl::raft {

enum class Role : std::uint8_t { follower, pre_candidate, candidate, leader };
std::string_view role_name(Role role);

struct EntryId {
  Term term = 0;
  Index index = 0;
  friend bool operator==(const EntryId&, const EntryId&) = default;
};

// A linearizable read may be served once the application applied `index`.
struct ReadState {
  Index index = 0;
  std::string context;
  friend bool operator==(const ReadState&, const ReadState&) = default;
};

// A chunk of an incoming snapshot for the application to stage durably (offset 0 starts a new
// staging area, discarding any previous one).
struct SnapshotChunkIn {
  SnapshotMeta meta;
  std::uint64_t offset = 0;
  std::string data;
  bool last = false;
};

class Raft {
 public:
  // Reads the initial state from cfg.storage; cfg must be valid (RawNode checks).
  explicit Raft(const Config& cfg, const InitialState& initial);

  // --- inputs ---
  void tick();
  util::Status step(Message&& m);
  util::Result<EntryId> propose(std::string&& data);
  util::Result<EntryId> propose_conf_change(const ConfChange& cc);
  util::Status read_index(std::string&& context);
  util::Status transfer_leader(NodeId to);
  void campaign();  // start an election now (as on election timeout)
  void report_unreachable(NodeId id);
  void report_snapshot_failed(NodeId id);

  // --- persistence / apply feedback (from RawNode::advance) ---
  void on_persisted(const std::vector<TermRun>& handed_entries, const std::optional<SnapshotMeta>& snapshot);
  void on_applied(Index applied, const std::vector<Entry>& applied_conf_changes, std::uint64_t applied_bytes);
  // Proposals are appended at once but sent in one batch per Ready.
  void flush_proposals();

  // --- state ---
  NodeId id() const { return id_; }
  Term term() const { return term_; }
  NodeId vote() const { return vote_; }
  NodeId leader() const { return lead_; }
  Role role() const { return role_; }
  HardState hard_state() const { return HardState{term_, vote_, log_.committed()}; }
  Log& log() { return log_; }
  const Log& raft_log() const { return log_; }
  const Tracker& tracker() const { return trk_; }
  std::uint64_t ticks() const { return ticks_; }
  std::uint64_t last_leader_contact_tick() const { return last_leader_contact_tick_; }
  NodeId lead_transferee() const { return lead_transferee_; }
  bool promotable() const { return trk_.is_voter(id_); }
  bool proposals_pending() const { return pending_bcast_; }

  // Outputs, drained by RawNode::ready().
  std::vector<Message>& msgs() { return msgs_; }
  std::vector<ReadState>& read_states() { return read_states_; }
  std::vector<SnapshotChunkIn>& snapshot_chunks() { return chunks_in_; }

 private:
  // raft.cpp: roles and term rules
  void become_follower(Term term, NodeId lead);
  void become_pre_candidate();
  void become_candidate();
  void become_leader();
  void reset(Term term);
  void reset_randomized_election_timeout();
  void tick_election();
  void tick_heartbeat();
  void step_leader(Message& m);
  void step_candidate(Message& m);
  void step_follower(Message& m);
  void send(Message&& m);
  void heard_from_leader(NodeId from);
  bool committed_in_term() const;

  // election.cpp
  void hup(bool transfer);
  void start_campaign(bool pre_vote, bool transfer);
  void handle_vote_request(const Message& m);
  void handle_vote_response(const Message& m);
  bool has_unapplied_conf_change() const;

  // replication.cpp
  bool send_append(NodeId to, Progress& pr, bool send_if_empty);
  void bcast_append();
  void bcast_heartbeat();
  void send_heartbeat(NodeId to, Progress& pr);
  void handle_append(Message& m);
  void handle_append_response(const Message& m, Progress& pr);
  void handle_heartbeat(const Message& m);
  void handle_heartbeat_response(const Message& m, Progress& pr);
  bool maybe_commit();
  void on_commit_advanced();
  void append_entry(EntryType type, std::string&& data);
  void self_ack();

  // snapshot.cpp
  void start_snapshot(NodeId to, Progress& pr);
  void send_snapshot_chunk(NodeId to, Progress& pr);
  void resend_stalled_chunks();
  void handle_snapshot(Message& m);
  void handle_snapshot_response(const Message& m, Progress& pr);
  void restore(const SnapshotMeta& meta);

  // membership.cpp
  void apply_conf_change_entry(const Entry& e);
  void apply_conf_state(const ConfState& conf);
  void step_down_if_removed();

  // read_index.cpp
  void start_read(std::string&& context);
  void start_read_round();
  void release_confirmed_reads();
  void release_reads_waiting_commit();
  void clear_reads();

  // transfer.cpp
  void abort_transfer();
  void handle_timeout_now(const Message& m);
  void maybe_send_timeout_now(NodeId to, const Progress& pr);

  bool planted(PlantedBug bug) const;

  Config cfg_;  // limits (storage/logger pointers copied)
  Logger* logger_;
  NodeId id_;
  Term term_ = 0;
  NodeId vote_ = kNoNode;
  NodeId lead_ = kNoNode;
  Role role_ = Role::follower;
  Log log_;
  Tracker trk_;
  util::Rng rng_;

  std::uint64_t ticks_ = 0;  // ticks since this Raft was created
  int election_elapsed_ = 0;
  int heartbeat_elapsed_ = 0;
  int randomized_election_timeout_ = 0;
  std::uint64_t last_leader_contact_tick_ = 0;

  NodeId lead_transferee_ = kNoNode;
  Index conf_applied_index_ = 0;         // the tracker's membership is as of this index
  Index pending_conf_index_ = 0;         // leader: index of the last conf change proposed
  std::uint64_t uncommitted_bytes_ = 0;  // leader: payload bytes proposed and not yet applied
  bool pending_bcast_ = false;

  // ReadIndex (leader)
  struct PendingRead {
    std::string context;
    Index index;
    std::uint64_t round;  // needs a quorum to echo this round or a later one
  };
  std::deque<PendingRead> pending_reads_;
  std::deque<std::string> reads_waiting_commit_;
  std::uint64_t read_round_ = 0;            // last round started
  std::uint64_t confirmed_read_round_ = 0;  // last round confirmed by a quorum

  // InstallSnapshot receiving side (follower)
  std::optional<SnapshotMeta> staging_meta_;
  NodeId staging_from_ = kNoNode;
  Term staging_term_ = 0;
  std::uint64_t staging_offset_ = 0;

  std::vector<Message> msgs_;
  std::vector<ReadState> read_states_;
  std::vector<SnapshotChunkIn> chunks_in_;
};

}  // namespace cl::raft

// Log one line through the Raft's logger, formatting only when the level is enabled.
#define CL_RAFT_LOG(level, ...)                                                                  \
  do {                                                                                           \
    if (logger_->enabled(::cl::raft::LogLevel::level))                                           \
      logger_->log(::cl::raft::LogLevel::level, ::cl::raft::detail::cat(id_, ' ', __VA_ARGS__)); \
  } while (0)
