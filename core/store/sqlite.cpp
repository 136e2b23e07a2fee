#include "store/sqlite.hpp"

namespace cl::store {

using util::Code;
using util::Result;
using util::Status;

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    if (s_ != nullptr) sqlite3_finalize(s_);
    db_ = o.db_;
    s_ = o.s_;
    o.s_ = nullptr;
  }
  return *this;
}

Stmt::~Stmt() {
  if (s_ != nullptr) sqlite3_finalize(s_);
}

Stmt& Stmt::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}

Stmt& Stmt::bind(int i, std::string_view blob) {
  sqlite3_bind_blob64(s_, i, blob.data(), blob.size(), SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::bind_text(int i, std::string_view text) {
  sqlite3_bind_text64(s_, i, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Stmt& Stmt::bind_null(int i) {
  sqlite3_bind_null(s_, i);
  return *this;
}

Result<bool> Stmt::step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status st = db_->error(rc, sqlite3_sql(s_));
  sqlite3_reset(s_);
  return st;
}

Status Stmt::run() {
  auto r = step();
  sqlite3_reset(s_);
  if (!r) return r.status();
  return Status::ok();
}

void Stmt::reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}

std::int64_t Stmt::col_int(int i) const {
  return sqlite3_column_int64(s_, i);
}

std::string_view Stmt::col_blob(int i) const {
  const void* p = sqlite3_column_blob(s_, i);
  int n = sqlite3_column_bytes(s_, i);
  return p == nullptr ? std::string_view() : std::string_view(static_cast<const char*>(p), n);
}

bool Stmt::col_is_null(int i) const {
  return sqlite3_column_type(s_, i) == SQLITE_NULL;
}

Result<Db> Db::open(const std::string& path, bool create, bool read_only) {
  int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (create && !read_only) flags |= SQLITE_OPEN_CREATE;
  flags |= SQLITE_OPEN_NOMUTEX;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db;
  db.db_ = raw;
  db.path_ = path;
  if (rc != SQLITE_OK) return db.error(rc, "opening database");
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

Db& Db::operator=(Db&& o) noexcept {
  if (this != &o) {
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = o.db_;
    path_ = std::move(o.path_);
    o.db_ = nullptr;
  }
  return *this;
}

Db::~Db() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Status Db::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (err != nullptr) sqlite3_free(err);
  if (rc != SQLITE_OK) return error(rc, sql);
  return Status::ok();
}

Result<Stmt> Db::prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &s,
                              nullptr);
  if (rc != SQLITE_OK) return error(rc, sql);
  return Stmt(this, s);
}

std::int64_t Db::changes() const {
  return sqlite3_changes64(db_);
}

Status Db::error(int rc, std::string_view what) const {
  std::string msg = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  std::string text = "database '" + path_ + "': " + std::string(what.substr(0, 120)) + ": " + msg;
  switch (rc & 0xff) {
    case SQLITE_FULL:
      return {Code::resource_exhausted, text + " (disk full? free space, then retry)"};
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_AUTH:
      return {Code::permission_denied, text};
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return {Code::corrupt, text};
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {Code::unavailable, text + " (another process holds the database?)"};
    default:
      return {Code::io_error, text};
  }
}

Result<Txn> Txn::begin(Db& db, bool immediate) {
  CL_TRY_STATUS(db.exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN"));
  return Txn(&db);
}

Txn::~Txn() {
  if (db_ != nullptr) (void)db_->exec("ROLLBACK");
}

Status Txn::commit() {
  Status st = db_->exec("COMMIT");
  if (st.is_ok()) db_ = nullptr;
  return st;
}

}  // namespace cl::store
