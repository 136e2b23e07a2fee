#include "raft/log.hpp"

#include <algorithm>

#include "util/assert.hpp"

namespace cl::raft {

namespace {
[[noreturn]] void storage_failed(const char* what, const util::Status& st) {
  util::assert_fail("storage read", (std::string("storage failed ") + what + ": " + st.to_string()).c_str(),
                    __FILE__, __LINE__);
}
}  // namespace

Log::Log(const Storage& storage, Index commit, Index applied)
    : storage_(storage),
      unstable_(storage.last_index() + 1),
      committed_(commit),
      applying_(applied),
      applied_(applied) {
  CL_ASSERT(commit <= storage.last_index(), "persisted commit index is beyond the persisted log");
  CL_ASSERT(applied <= commit, "applied index is beyond the commit index");
}

Index Log::first_index() const {
  if (auto i = unstable_.maybe_first_index()) return *i;
  return storage_.first_index();
}

Index Log::last_index() const {
  if (auto i = unstable_.maybe_last_index()) return *i;
  return storage_.last_index();
}

util::Result<Term> Log::term(Index i) const {
  const Index dummy = first_index() - 1;
  if (i < dummy || i > last_index())
    return util::not_found("log index " + std::to_string(i) + " is not in [" + std::to_string(dummy) + ", " +
                           std::to_string(last_index()) + "]");
  if (auto t = unstable_.maybe_term(i)) return *t;
  auto r = storage_.term(i);
  if (r.is_ok() || r.code() == util::Code::not_found) return r;  // not_found: compacted just now
  storage_failed("reading a term", r.status());
}

Term Log::term_or_zero(Index i) const {
  auto t = term(i);
  return t.is_ok() ? *t : 0;
}

bool Log::match_term(Index i, Term t) const {
  auto r = term(i);
  return r.is_ok() && *r == t;
}

bool Log::is_up_to_date(Index index, Term term) const {
  const Term last = last_term();
  return term > last || (term == last && index >= last_index());
}

std::optional<Index> Log::maybe_append(Index prev_index, Term prev_term, Index commit,
                                       std::vector<Entry>&& entries, bool planted_no_truncate) {
  if (!match_term(prev_index, prev_term)) return std::nullopt;
  const Index last_new = prev_index + entries.size();
  const Index conflict = find_conflict(entries);
  if (conflict != 0) {
    CL_ASSERT(conflict > committed_, "an append conflicts with a committed entry");
    std::size_t from = conflict - (prev_index + 1);
    // PLANTED BUG no_truncate: keep the conflicting suffix, append only what lies past our end.
    if (planted_no_truncate && conflict <= last_index()) from = last_index() + 1 - (prev_index + 1);
    if (from < entries.size()) {
      if (from > 0) entries.erase(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(from));
      unstable_.truncate_and_append(std::move(entries));
    }
  }
  commit_to(std::min(commit, last_new));
  return last_new;
}

void Log::append(Entry&& entry) {
  CL_ASSERT(entry.index == last_index() + 1, "leader append out of order");
  unstable_.append(std::move(entry));
}

Index Log::find_conflict(const std::vector<Entry>& entries) const {
  for (const auto& e : entries)
    if (!match_term(e.index, e.term)) return e.index;
  return 0;
}

std::pair<Index, Term> Log::find_conflict_by_term(Index index, Term term) const {
  for (; index > 0; --index) {
    auto t = this->term(index);
    if (!t.is_ok()) return {index, 0};  // compacted or past the end: stop here
    if (*t <= term) return {index, *t};
  }
  return {0, 0};
}

util::Result<std::vector<Entry>> Log::slice(Index lo, Index hi, std::uint64_t bytes_max,
                                            std::uint64_t count_max) const {
  hi = std::min(hi, last_index() + 1);
  std::vector<Entry> out;
  if (lo >= hi) return out;
  if (lo < first_index()) return util::not_found("log index " + std::to_string(lo) + " is compacted");
  if (hi - lo > count_max) hi = lo + count_max;
  const Index uoff = unstable_.offset();
  if (lo < uoff) {
    auto r = storage_.entries(lo, std::min(hi, uoff), bytes_max);
    if (!r.is_ok()) {
      if (r.code() == util::Code::not_found) return r.status();
      storage_failed("reading entries", r.status());
    }
    out = std::move(r).value();
    if (out.size() < std::min(hi, uoff) - lo) return out;  // the byte limit cut it short
  }
  if (hi > uoff) unstable_.copy_to(std::max(lo, uoff), hi, out);
  // Apply the byte limit over the whole slice (storage applied it to its part only).
  std::uint64_t bytes = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    bytes += entry_size_bytes(out[i]);
    if (i > 0 && bytes > bytes_max) {
      out.resize(i);
      break;
    }
  }
  return out;
}

bool Log::maybe_commit(Index max_index, Term term, bool planted_any_term) {
  if (max_index <= committed_) return false;
  // 5.4.2: only an entry of the current term is committed by counting replicas.
  if (!planted_any_term && term_or_zero(max_index) != term) return false;
  commit_to(max_index);
  return true;
}

void Log::commit_to(Index index) {
  if (index <= committed_) return;
  CL_ASSERT(index <= last_index(), "commit index beyond the last index: the log was lost or truncated");
  committed_ = index;
}

void Log::applied_to(Index index) {
  CL_ASSERT(index <= committed_, "applied beyond the commit index");
  if (index > applied_) applied_ = index;
  if (applying_ < applied_) applying_ = applied_;
}

bool Log::has_next_committed() const {
  return !unstable_.snapshot() && applying_ < committed_;
}

std::vector<Entry> Log::next_committed(std::uint64_t bytes_max) {
  if (!has_next_committed()) return {};
  auto r = slice(applying_ + 1, committed_ + 1, bytes_max);
  CL_ASSERT(r.is_ok(), "committed entries not yet applied were compacted");
  auto out = std::move(r).value();
  if (!out.empty()) applying_ = out.back().index;
  return out;
}

void Log::restore(const SnapshotMeta& meta) {
  unstable_.restore(meta);
  committed_ = meta.index;
}

Index Log::stable_last_index() const {
  if (unstable_.snapshot()) return 0;
  return std::min(unstable_.offset() - 1, last_index());
}

}  // namespace cl::raft
