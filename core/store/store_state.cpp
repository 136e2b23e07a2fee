// Store: reads of the replicated state, and consistent read views.
#include "store/store.hpp"

namespace cl::store {

using util::Result;
using util::Status;

Result<std::optional<std::string>> Store::get(Ns ns, std::string_view key) {
  get_state_.bind(1, static_cast<std::int64_t>(ns)).bind(2, key);
  auto row = get_state_.step();
  Result<std::optional<std::string>> out = std::optional<std::string>();
  if (!row)
    out = row.status();
  else if (*row)
    out = std::optional<std::string>(std::string(get_state_.col_blob(0)));
  get_state_.reset();
  return out;
}

Result<std::size_t> Store::scan(Ns ns, std::string_view after, std::size_t limit,
                                const std::function<bool(std::string_view, std::string_view)>& fn) {
  scan_state_.bind(1, static_cast<std::int64_t>(ns)).bind(2, after).bind(3, static_cast<std::int64_t>(limit));
  std::size_t n = 0;
  for (;;) {
    auto row = scan_state_.step();
    if (!row) {
      scan_state_.reset();
      return row.status();
    }
    if (!*row) break;
    ++n;
    if (!fn(scan_state_.col_blob(0), scan_state_.col_blob(1))) break;
  }
  scan_state_.reset();
  return n;
}

namespace {
Result<std::uint64_t> count_ns(Db& db, Ns ns) {
  auto st = db.prepare("SELECT count(*) FROM state WHERE ns = ?1");
  if (!st) return st.status();
  st->bind(1, static_cast<std::int64_t>(ns));
  auto row = st->step();
  if (!row) return row.status();
  return static_cast<std::uint64_t>(st->col_int(0));
}
}  // namespace

Result<std::uint64_t> Store::count(Ns ns) {
  return count_ns(db_, ns);
}

Result<std::unique_ptr<ReadView>> Store::read_view() const {
  std::unique_ptr<ReadView> v(new ReadView());
  auto db = Db::open(options_.dir + "/state.db", false);
  if (!db) return db.status();
  v->db_ = std::move(*db);
  CL_TRY_STATUS(v->db_.exec("BEGIN"));
  // The first read fixes the snapshot this view sees (WAL mode).
  auto st = v->db_.prepare("SELECT value FROM meta WHERE key = 'applied'");
  if (!st) return st.status();
  auto row = st->step();
  if (!row) return row.status();
  v->applied_ = *row ? static_cast<raft::Index>(st->col_int(0)) : 0;
  return v;
}

Status ReadView::scan(Ns ns, const std::function<bool(std::string_view, std::string_view)>& fn) {
  auto st = db_.prepare("SELECT key, value FROM state WHERE ns = ?1 ORDER BY key");
  if (!st) return st.status();
  st->bind(1, static_cast<std::int64_t>(ns));
  for (;;) {
    auto row = st->step();
    if (!row) return row.status();
    if (!*row || !fn(st->col_blob(0), st->col_blob(1))) return Status::ok();
  }
}

Result<std::size_t> ReadView::scan_page(Ns ns, std::string_view after, std::size_t limit,
                                        const std::function<bool(std::string_view, std::string_view)>& fn) {
  if (!page_prepared_) {
    auto st = db_.prepare("SELECT key, value FROM state WHERE ns = ?1 AND key > ?2 ORDER BY key LIMIT ?3");
    if (!st) return st.status();
    page_ = std::move(*st);
    page_prepared_ = true;
  }
  page_.bind(1, static_cast<std::int64_t>(ns)).bind(2, after).bind(3, static_cast<std::int64_t>(limit));
  std::size_t n = 0;
  for (;;) {
    auto row = page_.step();
    if (!row) {
      page_.reset();
      return row.status();
    }
    if (!*row) break;
    ++n;
    if (!fn(page_.col_blob(0), page_.col_blob(1))) break;
  }
  page_.reset();
  return n;
}

Result<std::uint64_t> ReadView::count(Ns ns) {
  return count_ns(db_, ns);
}

}  // namespace cl::store
