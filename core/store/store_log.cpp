// Store: the Raft log (raft::Storage), save() of one Ready, compaction.
#include "store/store.hpp"

namespace cl::store {

using util::Result;
using util::Status;

namespace {
std::uint64_t entry_bytes(const raft::Entry& e) {
  return e.data.size() + 24;
}
}  // namespace

// The StateWriter handed to the apply callback: the store's prepared statements, inside save()'s
// transaction.
class StateTxnWriter final : public StateWriter {
 public:
  explicit StateTxnWriter(Store& s) : s_(s) {}
  Status put(Ns ns, std::string_view key, std::string_view value) override {
    s_.put_state_.bind(1, static_cast<std::int64_t>(ns)).bind(2, key).bind(3, value);
    return s_.put_state_.run();
  }
  Status del(Ns ns, std::string_view key) override {
    s_.del_state_.bind(1, static_cast<std::int64_t>(ns)).bind(2, key);
    return s_.del_state_.run();
  }
  Result<std::optional<std::string>> get(Ns ns, std::string_view key) override { return s_.get(ns, key); }
  Status clear(Ns ns, std::string_view prefix) override {
    auto st = s_.db_.prepare(prefix.empty() ? "DELETE FROM state WHERE ns = ?1"
                                            : "DELETE FROM state WHERE ns = ?1 AND substr(key, 1, ?3) = ?2");
    if (!st) return st.status();
    st->bind(1, static_cast<std::int64_t>(ns));
    if (!prefix.empty()) st->bind(2, prefix).bind(3, static_cast<std::int64_t>(prefix.size()));
    return st->run();
  }
  Status scan(Ns ns, std::string_view prefix,
              const std::function<bool(std::string_view, std::string_view)>& fn) override {
    auto st = s_.db_.prepare("SELECT key, value FROM state WHERE ns = ?1 AND key >= ?2 ORDER BY key");
    if (!st) return st.status();
    st->bind(1, static_cast<std::int64_t>(ns)).bind(2, prefix);
    for (;;) {
      auto row = st->step();
      if (!row) return row.status();
      if (!*row) return Status::ok();
      auto key = st->col_blob(0);
      if (key.substr(0, prefix.size()) != prefix) return Status::ok();
      if (!fn(key, st->col_blob(1))) return Status::ok();
    }
  }

 private:
  Store& s_;
};

Result<raft::InitialState> Store::initial_state() const {
  return raft::InitialState{hard_state_, conf_};
}

Result<raft::Term> Store::term(raft::Index i) const {
  if (i == log_start_) return log_start_term_;
  if (i < log_start_) return util::not_found("log index " + std::to_string(i) + " is compacted");
  if (i > last_index_) return util::not_found("log index " + std::to_string(i) + " is beyond the log");
  if (!cache_.empty() && i >= cache_.front().index) return cache_[i - cache_.front().index].term;
  sel_term_.bind(1, static_cast<std::int64_t>(i));
  auto row = sel_term_.step();
  Result<raft::Term> out = util::corrupt("log index " + std::to_string(i) + " missing from the database");
  if (!row)
    out = row.status();
  else if (*row)
    out = static_cast<raft::Term>(sel_term_.col_int(0));
  sel_term_.reset();
  return out;
}

Result<std::vector<raft::Entry>> Store::entries(raft::Index lo, raft::Index hi,
                                                std::uint64_t bytes_max) const {
  if (lo <= log_start_) return util::not_found("log index " + std::to_string(lo) + " is compacted");
  if (hi > last_index_ + 1)
    return util::not_found("log index " + std::to_string(hi - 1) + " is beyond the log");
  std::vector<raft::Entry> out;
  std::uint64_t bytes = 0;
  auto full = [&](const raft::Entry& e) {
    bytes += entry_bytes(e);
    return !out.empty() && bytes > bytes_max;
  };
  raft::Index next = lo;
  const raft::Index cache_first = cache_.empty() ? last_index_ + 1 : cache_.front().index;
  if (next < cache_first) {
    sel_log_range_.bind(1, static_cast<std::int64_t>(next))
        .bind(2, static_cast<std::int64_t>(std::min(hi, cache_first)));
    for (;;) {
      auto row = sel_log_range_.step();
      if (!row) {
        sel_log_range_.reset();
        return row.status();
      }
      if (!*row) break;
      raft::Entry e{static_cast<raft::Term>(sel_log_range_.col_int(1)),
                    static_cast<raft::Index>(sel_log_range_.col_int(0)),
                    static_cast<raft::EntryType>(sel_log_range_.col_int(2)),
                    std::string(sel_log_range_.col_blob(3))};
      if (e.index != next) {
        sel_log_range_.reset();
        return util::corrupt("log index " + std::to_string(next) + " missing from the database");
      }
      if (full(e)) {
        sel_log_range_.reset();
        return out;
      }
      out.push_back(std::move(e));
      ++next;
    }
    sel_log_range_.reset();
  }
  for (; next < hi; ++next) {
    const raft::Entry& e = cache_[next - cache_first];
    if (full(e)) break;
    out.push_back(e);
  }
  return out;
}

Status Store::append_entries(const std::vector<raft::Entry>& entries) {
  if (entries.empty()) return Status::ok();
  const raft::Index first = entries.front().index;
  CL_ASSERT(first > log_start_ && first <= last_index_ + 1,
            "append leaves a gap or rewrites the compacted log");
  CL_ASSERT(first > applied_, "append overwrites an applied entry");
  if (first <= last_index_) {
    del_log_from_.bind(1, static_cast<std::int64_t>(first));
    CL_TRY_STATUS(del_log_from_.run());
  }
  raft::Index want = first;
  for (const auto& e : entries) {
    CL_ASSERT(e.index == want++, "entries to append are not contiguous");
    ins_log_.bind(1, static_cast<std::int64_t>(e.index))
        .bind(2, static_cast<std::int64_t>(e.term))
        .bind(3, static_cast<std::int64_t>(e.type))
        .bind(4, std::string_view(e.data));
    CL_TRY_STATUS(ins_log_.run());
  }
  return Status::ok();
}

void Store::cache_append(const std::vector<raft::Entry>& entries) {
  if (entries.empty()) return;
  const raft::Index first = entries.front().index;
  while (!cache_.empty() && cache_.back().index >= first) {
    cache_bytes_ -= entry_bytes(cache_.back());
    cache_.pop_back();
  }
  if (!cache_.empty() && cache_.back().index + 1 != first) {  // cannot happen, but keep the cache a suffix
    cache_.clear();
    cache_bytes_ = 0;
  }
  for (const auto& e : entries) {
    cache_.push_back(e);
    cache_bytes_ += entry_bytes(e);
  }
  while (cache_bytes_ > options_.log_cache_bytes && cache_.size() > 1) {
    cache_bytes_ -= entry_bytes(cache_.front());
    cache_.pop_front();
  }
}

Status Store::save(const SaveBatch& batch, const ApplyFn& apply) {
  if (!write_fault_.is_ok()) return write_fault_;
  if (!batch.hard_state && batch.entries.empty() && batch.committed.empty() && !batch.conf)
    return Status::ok();
  // Only what Raft needs on disk before it acts is fsynced: new log entries, a new term or vote,
  // a membership change. A batch that only applies committed entries (and moves the commit index)
  // is written with synchronous=NORMAL: those entries are already durable in the log of a
  // majority. A crash may lose such batches, but SQLite's WAL loses whole transactions from the
  // end only, so the applied index falls back together with the state it describes, and the
  // entries, still in the log, are applied again on restart. This halves the fsyncs per pin.
  const bool must_sync = !batch.entries.empty() || batch.conf.has_value() ||
                         (batch.hard_state && (batch.hard_state->term != hard_state_.term ||
                                               batch.hard_state->vote != hard_state_.vote));
  CL_TRY_STATUS(set_sync_full(must_sync));
  auto txn = Txn::begin(db_);
  if (!txn) return txn.status();
  CL_TRY_STATUS(append_entries(batch.entries));
  auto meta = [&](const char* key, std::uint64_t v) {
    set_meta_.bind_text(1, key).bind(2, static_cast<std::int64_t>(v));
    return set_meta_.run();
  };
  if (batch.hard_state) {
    CL_TRY_STATUS(meta("term", batch.hard_state->term));
    CL_TRY_STATUS(meta("vote", batch.hard_state->vote));
    CL_TRY_STATUS(meta("commit", batch.hard_state->commit));
  }
  raft::Index applied = applied_;
  if (!batch.committed.empty()) {
    StateTxnWriter writer(*this);
    for (const auto& e : batch.committed) {
      CL_ASSERT(e.index == applied + 1, "committed entries must be applied in order without gaps");
      CL_TRY_STATUS(apply(e, writer));
      applied = e.index;
    }
    CL_TRY_STATUS(meta("applied", applied));
  }
  if (batch.conf) {
    set_meta_.bind_text(1, "conf").bind(2, encode_conf(*batch.conf));
    CL_TRY_STATUS(set_meta_.run());
  }
  CL_TRY_STATUS(txn->commit());
  ++(must_sync ? saves_synced_ : saves_unsynced_);
  // Committed (and durable when must_sync): now the in-memory view may move.
  if (!batch.entries.empty()) {
    last_index_ = batch.entries.back().index;
    cache_append(batch.entries);
  }
  if (batch.hard_state) hard_state_ = *batch.hard_state;
  applied_ = applied;
  if (batch.conf) conf_ = *batch.conf;
  return Status::ok();
}

Status Store::compact(raft::Index upto) {
  if (!write_fault_.is_ok()) return write_fault_;
  if (upto <= log_start_) return Status::ok();
  CL_ASSERT(upto <= applied_, "compacting past the applied index");
  auto t = term(upto);
  if (!t) return t.status();
  CL_TRY_STATUS(set_sync_full(true));
  auto txn = Txn::begin(db_);
  if (!txn) return txn.status();
  auto del = db_.prepare("DELETE FROM log WHERE idx <= ?1");
  if (!del) return del.status();
  del->bind(1, static_cast<std::int64_t>(upto));
  CL_TRY_STATUS(del->run());
  CL_TRY_STATUS(set_meta("log_start", static_cast<std::int64_t>(upto)));
  CL_TRY_STATUS(set_meta("log_start_term", static_cast<std::int64_t>(*t)));
  CL_TRY_STATUS(txn->commit());
  log_start_ = upto;
  log_start_term_ = *t;
  while (!cache_.empty() && cache_.front().index <= upto) {
    cache_bytes_ -= entry_bytes(cache_.front());
    cache_.pop_front();
  }
  return Status::ok();
}

Status Store::set_sync_full(bool full) {
  if (full == sync_full_) return Status::ok();
  CL_TRY_STATUS(db_.exec(full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"));
  sync_full_ = full;
  return Status::ok();
}

}  // namespace cl::store
