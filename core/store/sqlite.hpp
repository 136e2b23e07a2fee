#pragma once
// A thin RAII layer over SQLite's C API: a connection (Db) and prepared statements (Stmt).
// Errors come back as util::Status naming the SQL operation and SQLite's message; SQLITE_FULL
// maps to Code::resource_exhausted ("disk full"), SQLITE_READONLY/SQLITE_CANTOPEN/SQLITE_PERM to
// Code::permission_denied, SQLITE_CORRUPT/SQLITE_NOTADB to Code::corrupt, the rest to io_error.
//
// Not thread-safe: one Db per thread (SQLite is built serialized, but we never share).
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace cl::store {

class Db;

class Stmt {
 public:
  Stmt() = default;
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Bind parameters by 1-based position. The statement keeps no reference to the bound bytes
  // beyond the next step()/reset() (SQLITE_TRANSIENT copies them).
  Stmt& bind(int i, std::int64_t v);
  Stmt& bind(int i, std::string_view blob);  // as BLOB
  Stmt& bind_text(int i, std::string_view text);
  Stmt& bind_null(int i);

  // Step: true when a row is available, false when done; an error otherwise.
  util::Result<bool> step();
  // Step to completion, expecting no rows (INSERT/UPDATE/DELETE).
  util::Status run();
  void reset();  // reset and clear bindings, ready to bind again

  std::int64_t col_int(int i) const;
  // Valid until the next step()/reset().
  std::string_view col_blob(int i) const;
  bool col_is_null(int i) const;

 private:
  friend class Db;
  Stmt(Db* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  Db* db_ = nullptr;
  sqlite3_stmt* s_ = nullptr;
};

class Db {
 public:
  // Open (creating if create is true) the database at path. Sets a busy timeout.
  static util::Result<Db> open(const std::string& path, bool create, bool read_only = false);
  Db() = default;
  Db(Db&& o) noexcept : db_(o.db_), path_(std::move(o.path_)) { o.db_ = nullptr; }
  Db& operator=(Db&& o) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  util::Status exec(std::string_view sql);  // one or more statements, no results
  util::Result<Stmt> prepare(std::string_view sql);
  std::int64_t changes() const;
  const std::string& path() const { return path_; }
  sqlite3* raw() const { return db_; }

  // The Status for SQLite result code rc on this connection, prefixed with what.
  util::Status error(int rc, std::string_view what) const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

// RAII transaction: BEGIN IMMEDIATE on construction via begin(), ROLLBACK in the destructor unless
// commit() succeeded.
class Txn {
 public:
  static util::Result<Txn> begin(Db& db, bool immediate = true);
  Txn(Txn&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
  Txn& operator=(Txn&&) = delete;
  Txn(const Txn&) = delete;
  ~Txn();
  util::Status commit();

 private:
  explicit Txn(Db* db) : db_(db) {}
  Db* db_;
};

}  // namespace cl::store
