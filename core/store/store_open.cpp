// Store: opening, schema, identity checks and the meta table.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "store/store.hpp"
#include "util/bytes.hpp"

namespace cl::store {

using util::Code;
using util::Result;
using util::Status;

namespace {
constexpr std::int64_t kFormat = 1;

Status make_dir(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) == 0 || errno == EEXIST) return Status::ok();
  return util::io_error("cannot create directory '" + path + "': " + std::strerror(errno));
}
}  // namespace

// Node ids are full 64-bit values (they come from a hash), beyond what a multiformats varint
// holds: each is written as 8 bytes, little-endian, after a varint count.
namespace {
void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}
bool get_u64(std::string_view in, std::size_t& pos, std::uint64_t& v) {
  if (pos + 8 > in.size()) return false;
  v = 0;
  for (int i = 0; i < 8; ++i)
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[pos + i])) << (8 * i);
  pos += 8;
  return true;
}
}  // namespace

std::string encode_conf(const raft::ConfState& conf) {
  std::string out;
  for (const auto* list : {&conf.voters, &conf.learners}) {
    util::put_uvarint(out, list->size());
    for (auto id : *list) put_u64(out, id);
  }
  return out;
}

Result<raft::ConfState> decode_conf(std::string_view bytes) {
  raft::ConfState conf;
  std::size_t pos = 0;
  for (auto* list : {&conf.voters, &conf.learners}) {
    auto n = util::get_uvarint(bytes, pos);
    if (!n || *n > 100'000) return util::corrupt("malformed membership record");
    for (std::uint64_t i = 0; i < *n; ++i) {
      std::uint64_t id = 0;
      if (!get_u64(bytes, pos, id)) return util::corrupt("malformed membership record: truncated");
      list->push_back(id);
    }
  }
  if (pos != bytes.size()) return util::corrupt("malformed membership record: trailing bytes");
  return conf;
}

Result<std::unique_ptr<Store>> Store::open(const OpenOptions& options) {
  std::unique_ptr<Store> s(new Store(options));
  if (options.create) {
    CL_TRY_STATUS(make_dir(options.dir));
    CL_TRY_STATUS(make_dir(options.dir + "/snapshots"));
  }
  std::string path = options.dir + "/state.db";
  if (!options.create && !std::filesystem::exists(path)) {
    return util::not_found("no database at '" + path + "' (run cl-raftd init first)");
  }
  auto db = Db::open(path, options.create);
  if (!db) return db.status();
  s->db_ = std::move(*db);
  CL_TRY_STATUS(s->init_schema());
  if (options.integrity_check) {
    auto st = s->db_.prepare("PRAGMA quick_check");
    if (!st) return st.status();
    auto row = st->step();
    if (!row) return row.status();
    std::string verdict(*row ? st->col_blob(0) : "no answer");
    if (verdict != "ok") {
      return util::corrupt("database '" + path + "' failed its integrity check: " + verdict +
                           " (restore it from a peer: remove the peer's CL_HOME and join again)");
    }
  }
  CL_TRY_STATUS(s->check_identity());
  CL_TRY_STATUS(s->prepare_statements());
  CL_TRY_STATUS(s->load_meta());
  return s;
}

Store::~Store() = default;

Status Store::init_schema() {
  std::string pragmas =
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY;"
      "PRAGMA wal_autocheckpoint=4000; PRAGMA cache_size=-" +
      std::to_string(options_.sqlite_cache_kib) + ";";
  CL_TRY_STATUS(db_.exec(pragmas));
  return db_.exec(
      "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
      "CREATE TABLE IF NOT EXISTS log(idx INTEGER PRIMARY KEY, term INTEGER NOT NULL,"
      "  type INTEGER NOT NULL, data BLOB NOT NULL);"
      "CREATE TABLE IF NOT EXISTS state(ns INTEGER NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL,"
      "  PRIMARY KEY(ns, key)) WITHOUT ROWID;");
}

Status Store::check_identity() {
  auto sel = db_.prepare("SELECT key, value FROM meta WHERE key IN ('format','cluster_id','peer_id')");
  if (!sel) return sel.status();
  std::optional<std::int64_t> format;
  std::optional<std::string> cluster, peer;
  for (;;) {
    auto row = sel->step();
    if (!row) return row.status();
    if (!*row) break;
    std::string key(sel->col_blob(0));
    if (key == "format") format = sel->col_int(1);
    if (key == "cluster_id") cluster = std::string(sel->col_blob(1));
    if (key == "peer_id") peer = std::string(sel->col_blob(1));
  }
  const std::string path = options_.dir + "/state.db";
  if (!format) {  // a new database: claim it
    auto txn = Txn::begin(db_);
    if (!txn) return txn.status();
    CL_TRY_STATUS(set_meta("format", kFormat));
    CL_TRY_STATUS(set_meta_blob("cluster_id", options_.cluster_id));
    CL_TRY_STATUS(set_meta_blob("peer_id", options_.peer_id));
    return txn->commit();
  }
  if (*format != kFormat) {
    return util::failed_precondition("database '" + path + "' has format " + std::to_string(*format) +
                                     ", this cl-raftd reads format " + std::to_string(kFormat));
  }
  if (cluster != options_.cluster_id) {
    return util::failed_precondition(
        "database '" + path + "' belongs to cluster " + util::quote(cluster.value_or("")) + ", not " +
        util::quote(options_.cluster_id) + " (wrong secret, or another cluster's CL_HOME)");
  }
  if (peer != options_.peer_id) {
    return util::failed_precondition("database '" + path + "' belongs to peer " +
                                     util::quote(peer.value_or("")) + ", not " +
                                     util::quote(options_.peer_id) + " (identity.key was replaced?)");
  }
  return Status::ok();
}

Status Store::set_meta(std::string_view key, std::int64_t value) {
  auto st = db_.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)");
  if (!st) return st.status();
  st->bind_text(1, key).bind(2, value);
  return st->run();
}

Status Store::set_meta_blob(std::string_view key, std::string_view value) {
  auto st = db_.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)");
  if (!st) return st.status();
  st->bind_text(1, key).bind(2, value);
  return st->run();
}

Status Store::prepare_statements() {
  struct P {
    Stmt* stmt;
    const char* sql;
  };
  const P all[] = {
      {&ins_log_, "INSERT INTO log(idx, term, type, data) VALUES(?1, ?2, ?3, ?4)"},
      {&del_log_from_, "DELETE FROM log WHERE idx >= ?1"},
      {&sel_log_range_, "SELECT idx, term, type, data FROM log WHERE idx >= ?1 AND idx < ?2 ORDER BY idx"},
      {&sel_term_, "SELECT term FROM log WHERE idx = ?1"},
      {&set_meta_, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)"},
      {&put_state_, "INSERT OR REPLACE INTO state(ns, key, value) VALUES(?1, ?2, ?3)"},
      {&del_state_, "DELETE FROM state WHERE ns = ?1 AND key = ?2"},
      {&get_state_, "SELECT value FROM state WHERE ns = ?1 AND key = ?2"},
      {&scan_state_, "SELECT key, value FROM state WHERE ns = ?1 AND key > ?2 ORDER BY key LIMIT ?3"},
  };
  for (const auto& p : all) {
    auto st = db_.prepare(p.sql);
    if (!st) return st.status();
    *p.stmt = std::move(*st);
  }
  return Status::ok();
}

Status Store::load_meta() {
  auto sel = db_.prepare("SELECT key, value FROM meta");
  if (!sel) return sel.status();
  for (;;) {
    auto row = sel->step();
    if (!row) return row.status();
    if (!*row) break;
    std::string key(sel->col_blob(0));
    auto v = static_cast<std::uint64_t>(sel->col_int(1));
    if (key == "term")
      hard_state_.term = v;
    else if (key == "vote")
      hard_state_.vote = v;
    else if (key == "commit")
      hard_state_.commit = v;
    else if (key == "applied")
      applied_ = v;
    else if (key == "log_start")
      log_start_ = v;
    else if (key == "log_start_term")
      log_start_term_ = v;
    else if (key == "conf") {
      auto conf = decode_conf(sel->col_blob(1));
      if (!conf) return conf.status().with_context("database '" + options_.dir + "/state.db'");
      conf_ = std::move(*conf);
    }
  }
  auto last = db_.prepare("SELECT max(idx) FROM log");
  if (!last) return last.status();
  auto row = last->step();
  if (!row) return row.status();
  last_index_ = (*row && !last->col_is_null(0)) ? static_cast<raft::Index>(last->col_int(0)) : log_start_;
  if (last_index_ < log_start_) last_index_ = log_start_;
  if (applied_ > last_index_ || applied_ < log_start_) {
    return util::corrupt("database '" + options_.dir + "/state.db': applied index " +
                         std::to_string(applied_) + " outside the log [" + std::to_string(log_start_) + ", " +
                         std::to_string(last_index_) + "]");
  }
  return Status::ok();
}

Stats Store::stats() const {
  Stats s;
  s.first_index = first_index();
  s.last_index = last_index_;
  s.applied_index = applied_;
  s.log_entries = last_index_ - log_start_;
  std::error_code ec;
  for (const char* f : {"/state.db", "/state.db-wal"}) {
    auto n = std::filesystem::file_size(options_.dir + f, ec);
    if (!ec) s.db_bytes += n;
  }
  if (snapshot_) s.snapshot_bytes = snapshot_->size_bytes;
  s.saves_synced = saves_synced_;
  s.saves_unsynced = saves_unsynced_;
  return s;
}

}  // namespace cl::store
