#pragma once
// Store: one SQLite database per peer holding the Raft log, the hard state, the membership, the
// applied index and the replicated state (the pinset and peer metadata), plus the snapshot files.
//
// Durability contract (DESIGN.md "Storage"):
//  - save() writes one Ready in ONE transaction: the hard state, the new log entries (replacing
//    any conflicting suffix), AND the application of committed entries with the new applied index.
//    When it fails, none of it is written. When it returns ok and the batch holds entries, a new
//    term or vote, or a membership change, all of it is on disk (synchronous=FULL). A batch that
//    only applies committed entries is not fsynced (synchronous=NORMAL): a crash may lose it, and
//    only whole such batches from the end, so the applied index falls back with the state and the
//    entries (durable in the log) are applied again. So a crash never applies an entry twice and
//    never loses an acknowledged one.
//  - The state table is the snapshot: compaction deletes log entries up to an applied index without
//    writing anything else. A snapshot file is materialised only when a follower needs one
//    (prepare_snapshot), from a consistent read of the state at the applied index.
//
// Threading: a Store is used from one thread (the node's io_context), except prepare_snapshot()
// and ReadView, which use their own connections and may run on another thread.
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "raft/storage.hpp"
#include "store/sqlite.hpp"

namespace cl::store {

// Namespaces of the replicated state table. Values are stable on disk: never renumber.
enum class Ns : std::uint8_t {
  pins = 1,     // key: CID bytes, value: encoded pin (core/pin)
  peers = 2,    // key: peer ID bytes, value: encoded peer metadata
  staging = 3,  // pins of an import --replace in progress, key: import token + CID bytes
};

struct OpenOptions {
  std::string dir;         // holds state.db and snapshots/; created (0700) if missing and create
  std::string cluster_id;  // the cluster this database belongs to (a fingerprint, not the secret)
  std::string peer_id;     // the peer this database belongs to
  bool create = true;
  bool integrity_check = true;                  // PRAGMA quick_check on open
  std::uint64_t log_cache_bytes = 16ull << 20;  // recent entries kept in memory for the leader
  std::int64_t sqlite_cache_kib = 16 * 1024;    // SQLite page cache
};

// Writes to the replicated state, valid only inside the apply callback of save().
class StateWriter {
 public:
  virtual ~StateWriter() = default;
  virtual util::Status put(Ns ns, std::string_view key, std::string_view value) = 0;
  virtual util::Status del(Ns ns, std::string_view key) = 0;
  virtual util::Result<std::optional<std::string>> get(Ns ns, std::string_view key) = 0;
  // Delete every key of ns starting with prefix ("" = all).
  virtual util::Status clear(Ns ns, std::string_view prefix) = 0;
  // Visit keys of ns starting with prefix, in key order; fn returns false to stop.
  virtual util::Status scan(Ns ns, std::string_view prefix,
                            const std::function<bool(std::string_view key, std::string_view value)>& fn) = 0;
};

// Applies one committed entry. It must be deterministic; it returns an error only for storage
// failures (a malformed command is a no-op the state machine logs, not an error).
using ApplyFn = std::function<util::Status(const raft::Entry&, StateWriter&)>;

struct SaveBatch {
  std::optional<raft::HardState> hard_state;
  std::vector<raft::Entry> entries;     // to append; entries[0].index may overwrite a suffix
  std::vector<raft::Entry> committed;   // to apply, in order, each index = applied + 1
  std::optional<raft::ConfState> conf;  // the membership after applying `committed`
};

struct Stats {
  std::uint64_t log_entries = 0;
  raft::Index first_index = 0, last_index = 0, applied_index = 0;
  std::uint64_t db_bytes = 0;  // database file + WAL
  std::uint64_t snapshot_bytes = 0;
  std::uint64_t saves_synced = 0;    // save() transactions fsynced (synchronous=FULL)
  std::uint64_t saves_unsynced = 0;  // save() transactions that only applied (synchronous=NORMAL)
};

class ReadView;

class Store final : public raft::Storage {
 public:
  // Opens (or creates) the database. Refuses, with Code::failed_precondition and a message naming
  // both ids, a database that belongs to another cluster or peer; Code::corrupt when the integrity
  // check fails.
  static util::Result<std::unique_ptr<Store>> open(const OpenOptions& options);
  ~Store() override;

  // raft::Storage
  util::Result<raft::InitialState> initial_state() const override;
  util::Result<std::vector<raft::Entry>> entries(raft::Index lo, raft::Index hi,
                                                 std::uint64_t bytes_max) const override;
  util::Result<raft::Term> term(raft::Index i) const override;
  raft::Index first_index() const override { return log_start_ + 1; }
  raft::Index last_index() const override { return last_index_; }
  util::Result<raft::SnapshotMeta> snapshot_meta() const override;
  util::Result<raft::SnapshotChunk> snapshot_chunk(raft::Index snapshot_index, std::uint64_t offset,
                                                   std::uint64_t bytes_max) const override;

  // Persist one Ready (see the contract above).
  util::Status save(const SaveBatch& batch, const ApplyFn& apply);
  raft::Index applied_index() const { return applied_; }
  const raft::HardState& hard_state() const { return hard_state_; }
  const raft::ConfState& conf() const { return conf_; }

  // Delete log entries up to and including `upto` (<= applied index). The state table stands in
  // for them; followers that need them get a snapshot.
  util::Status compact(raft::Index upto);

  // Snapshots for followers. prepare_snapshot() writes snapshots/snap-<applied>.bin from a
  // consistent read (its own connection: may run on another thread) and returns its meta;
  // adopt_snapshot() (store thread) makes it the one snapshot_meta() and snapshot_chunk() serve,
  // deleting older files. Until one is adopted, snapshot_meta() answers Code::unavailable.
  util::Result<raft::SnapshotMeta> prepare_snapshot() const;
  void adopt_snapshot(const raft::SnapshotMeta& meta);
  // The index a follower needs a snapshot at or after: true when no adopted snapshot covers the
  // current log start (the node then calls prepare_snapshot).
  bool snapshot_wanted() const;
  // True once snapshot_meta() had to answer unavailable since the last adopt_snapshot(): a
  // leader needs a snapshot for a follower, so the node should prepare one.
  bool snapshot_requested() const { return snapshot_requested_; }

  // Incoming snapshot (follower): chunks at increasing offsets (offset 0 starts over) are written
  // durably to a staging file; install replaces the state, the log and the applied index by the
  // snapshot's in one transaction.
  util::Status stage_snapshot_chunk(const raft::SnapshotMeta& meta, std::uint64_t offset,
                                    std::string_view data);
  // hard_state, when given, is written in the same transaction (the Ready that installs a snapshot
  // may also raise the term; both must land together).
  util::Status install_snapshot(const raft::SnapshotMeta& meta,
                                const std::optional<raft::HardState>& hard_state = std::nullopt);

  // Reads of the replicated state on the store thread.
  util::Result<std::optional<std::string>> get(Ns ns, std::string_view key);
  // Visit up to `limit` keys of ns after `after` (exclusive; "" = from the start), in key order.
  // Returns the number visited; fn returns false to stop early.
  util::Result<std::size_t> scan(Ns ns, std::string_view after, std::size_t limit,
                                 const std::function<bool(std::string_view, std::string_view)>& fn);
  util::Result<std::uint64_t> count(Ns ns);

  // A consistent, read-only view of the state at one applied index, on its own connection (for
  // export while the cluster keeps writing). Hold it only as long as needed: it pins the WAL.
  util::Result<std::unique_ptr<ReadView>> read_view() const;

  Stats stats() const;
  const std::string& dir() const { return options_.dir; }

  // Test hook: fail every write with this status (e.g. resource_exhausted for "disk full").
  void inject_write_fault(util::Status st) { write_fault_ = std::move(st); }

 private:
  explicit Store(OpenOptions options) : options_(std::move(options)) {}
  util::Status init_schema();
  util::Status check_identity();
  util::Status load_meta();
  util::Status prepare_statements();
  util::Status append_entries(const std::vector<raft::Entry>& entries);
  util::Status set_meta(std::string_view key, std::int64_t value);
  util::Status set_meta_blob(std::string_view key, std::string_view value);
  void cache_append(const std::vector<raft::Entry>& entries);
  // synchronous=FULL (true) or NORMAL (false) for the next transactions; see save().
  util::Status set_sync_full(bool full);
  std::string snapshot_path(raft::Index index) const;
  std::string incoming_path() const;

  OpenOptions options_;
  mutable Db db_;
  mutable Stmt ins_log_, del_log_from_, sel_log_range_, sel_term_, set_meta_, put_state_, del_state_,
      get_state_, scan_state_;

  raft::HardState hard_state_;
  raft::ConfState conf_;
  raft::Index applied_ = 0;
  raft::Index log_start_ = 0;  // last compacted index (first_index() - 1)
  raft::Term log_start_term_ = 0;
  raft::Index last_index_ = 0;
  std::optional<raft::SnapshotMeta> snapshot_;  // the adopted outgoing snapshot
  mutable bool snapshot_requested_ = false;

  std::deque<raft::Entry> cache_;  // a suffix of the log: [cache_.front().index, last_index_]
  std::uint64_t cache_bytes_ = 0;

  util::Status write_fault_;
  bool sync_full_ = true;  // init_schema() opens with synchronous=FULL
  std::uint64_t saves_synced_ = 0, saves_unsynced_ = 0;
  friend class StateTxnWriter;
};

// A consistent read of the state at applied_index(); see Store::read_view().
class ReadView {
 public:
  raft::Index applied_index() const { return applied_; }
  // Visit every key of ns in order; fn returns false to stop.
  util::Status scan(Ns ns, const std::function<bool(std::string_view, std::string_view)>& fn);
  // Visit up to limit keys of ns after `after` (exclusive), in order; returns how many were
  // visited. Pages of one view all see the same applied index.
  util::Result<std::size_t> scan_page(Ns ns, std::string_view after, std::size_t limit,
                                      const std::function<bool(std::string_view, std::string_view)>& fn);
  util::Result<std::uint64_t> count(Ns ns);

 private:
  friend class Store;
  ReadView() = default;
  Db db_;
  Stmt page_;
  bool page_prepared_ = false;
  raft::Index applied_ = 0;
};

// ConfState <-> bytes (varints), for the meta table and snapshot metadata.
std::string encode_conf(const raft::ConfState& conf);
util::Result<raft::ConfState> decode_conf(std::string_view bytes);

}  // namespace cl::store
