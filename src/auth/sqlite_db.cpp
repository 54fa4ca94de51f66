#include "auth/sqlite_db.hpp"

#include <sqlite3.h>

namespace hf::auth {
namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  throw sqlite_error(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

sqlite_statement::sqlite_statement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
      SQLITE_OK) {
    fail(db, "SQLite prepare");
  }
}

sqlite_statement::~sqlite_statement() {
  sqlite3_finalize(stmt_);
}

void sqlite_statement::bind(int index, std::string_view text) {
  if (sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    fail(db_, "SQLite bind");
  }
}

void sqlite_statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) fail(db_, "SQLite bind");
}

void sqlite_statement::bind(int index, std::optional<std::int64_t> value) {
  if (!value) return bind_null(index);
  bind(index, *value);
}

void sqlite_statement::bind_null(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) fail(db_, "SQLite bind");
}

bool sqlite_statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, "SQLite step");
}

void sqlite_statement::reset() {
  sqlite3_reset(stmt_);  // its error code repeats the last step's, already reported there
  sqlite3_clear_bindings(stmt_);
}

std::string sqlite_statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
           : std::string();
}

std::int64_t sqlite_statement::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::optional<std::int64_t> sqlite_statement::optional_integer(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return integer(column);
}

std::optional<std::string> sqlite_statement::optional_text(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return text(column);
}

double sqlite_statement::real(int column) const {
  return sqlite3_column_double(stmt_, column);
}

sqlite_db::sqlite_db(const std::filesystem::path& path) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string msg = "cannot open database " + path.string() + ": " +
                      (db_ ? sqlite3_errmsg(db_) : "out of memory");
    sqlite3_close(db_);
    throw sqlite_error(msg);
  }
  // Another process (`hfserve keys` while the server runs) may hold the write lock briefly.
  sqlite3_busy_timeout(db_, 5000);
  // WAL: readers never wait for the writer; NORMAL: a commit does not fsync (WAL stays durable
  // across a process crash, which is what a key store needs).
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=NORMAL");
}

sqlite_db::~sqlite_db() {
  sqlite3_close(db_);
}

void sqlite_db::exec(std::string_view sql) {
  const std::string s(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = "SQLite: " + std::string(err ? err : sqlite3_errmsg(db_));
    sqlite3_free(err);
    throw sqlite_error(msg);
  }
}

int sqlite_db::changes() const {
  return sqlite3_changes(db_);
}

}  // namespace hf::auth
