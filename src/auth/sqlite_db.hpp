// A thin RAII layer over the SQLite C API (Debian's libsqlite3): one connection, prepared
// statements with positional binds, errors as sqlite_error carrying SQLite's own message.
// Not thread-safe: one owner at a time (the key store serialises its callers).
//   sqlite_db db(path);                       // WAL journal, 5 s busy timeout
//   auto st = db.prepare("SELECT name FROM api_keys WHERE hash = ?1");
//   st.bind(1, digest);  while (st.step()) use(st.text(0));
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace hf::auth {

class sqlite_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class sqlite_statement {
 public:
  sqlite_statement(sqlite3* db, std::string_view sql);
  ~sqlite_statement();
  sqlite_statement(const sqlite_statement&) = delete;
  sqlite_statement& operator=(const sqlite_statement&) = delete;

  void bind(int index, std::string_view text);
  void bind(int index, std::int64_t value);
  void bind(int index, std::optional<std::int64_t> value);  // nullopt: NULL
  void bind_null(int index);
  // Advances to the next row: true while there is one.
  bool step();
  void reset();  // ready to bind and step again (a batch of inserts from one statement)
  std::string text(int column) const;
  std::int64_t integer(int column) const;
  std::optional<std::int64_t> optional_integer(int column) const;
  std::optional<std::string> optional_text(int column) const;  // NULL: nullopt
  double real(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class sqlite_db {
 public:
  explicit sqlite_db(const std::filesystem::path& path);
  ~sqlite_db();
  sqlite_db(const sqlite_db&) = delete;
  sqlite_db& operator=(const sqlite_db&) = delete;

  void exec(std::string_view sql);  // statements without results (schema, BEGIN, COMMIT)
  sqlite_statement prepare(std::string_view sql) { return sqlite_statement(db_, sql); }
  int changes() const;  // rows changed by the last statement

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace hf::auth
