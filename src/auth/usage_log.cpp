#include "auth/usage_log.hpp"

#include "auth/sqlite_db.hpp"

namespace hf::auth {
namespace {

constexpr const char* k_columns =
    "time_ms, key_name, model, route, method, status, error_code, prompt_tokens, "
    "completion_tokens, latency_us, first_token_us, streamed, prompt";

usage_row read_row(const sqlite_statement& st) {
  usage_row r;
  r.time_ms = st.integer(0);
  r.key_name = st.text(1);
  r.model = st.text(2);
  r.route = st.text(3);
  r.method = st.text(4);
  r.status = static_cast<int>(st.integer(5));
  r.error_code = st.text(6);
  r.prompt_tokens = st.integer(7);
  r.completion_tokens = st.integer(8);
  r.latency_us = st.integer(9);
  r.first_token_us = st.optional_integer(10);
  r.streamed = st.integer(11) != 0;
  r.prompt = st.optional_text(12);
  return r;
}

// Rolls the transaction back unless commit() was reached, so a failed insert leaves no partial
// batch behind.
class transaction {
 public:
  explicit transaction(sqlite_db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
  ~transaction() {
    if (!done_) {
      try {
        db_.exec("ROLLBACK");
      } catch (const sqlite_error&) {  // nothing more to undo
      }
    }
  }
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  void commit() {
    db_.exec("COMMIT");
    done_ = true;
  }

 private:
  sqlite_db& db_;
  bool done_ = false;
};

}  // namespace

usage_log::usage_log(const std::filesystem::path& path) : db_(std::make_unique<sqlite_db>(path)) {
  db_->exec(
      "CREATE TABLE IF NOT EXISTS usage ("
      " id INTEGER PRIMARY KEY,"
      " time_ms INTEGER NOT NULL,"
      " key_name TEXT NOT NULL,"
      " model TEXT NOT NULL,"
      " route TEXT NOT NULL,"
      " method TEXT NOT NULL,"
      " status INTEGER NOT NULL,"
      " error_code TEXT NOT NULL DEFAULT '',"
      " prompt_tokens INTEGER NOT NULL,"
      " completion_tokens INTEGER NOT NULL,"
      " latency_us INTEGER NOT NULL,"
      " first_token_us INTEGER,"
      " streamed INTEGER NOT NULL DEFAULT 0,"
      " prompt TEXT)");
  db_->exec("CREATE INDEX IF NOT EXISTS usage_by_time ON usage (time_ms)");
}

usage_log::~usage_log() = default;

void usage_log::append(std::span<const usage_row> rows) {
  if (rows.empty()) return;
  std::lock_guard lock(mutex_);
  transaction tx(*db_);
  auto st = db_->prepare(std::string("INSERT INTO usage (") + k_columns +
                         ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
  for (const usage_row& r : rows) {
    st.reset();
    st.bind(1, r.time_ms);
    st.bind(2, r.key_name);
    st.bind(3, r.model);
    st.bind(4, r.route);
    st.bind(5, r.method);
    st.bind(6, static_cast<std::int64_t>(r.status));
    st.bind(7, r.error_code);
    st.bind(8, r.prompt_tokens);
    st.bind(9, r.completion_tokens);
    st.bind(10, r.latency_us);
    st.bind(11, r.first_token_us);
    st.bind(12, static_cast<std::int64_t>(r.streamed ? 1 : 0));
    if (r.prompt)
      st.bind(13, *r.prompt);
    else
      st.bind_null(13);
    st.step();
  }
  tx.commit();
}

std::vector<usage_summary> usage_log::summarise(std::int64_t since_ms) const {
  std::lock_guard lock(mutex_);
  auto st = db_->prepare(
      "SELECT key_name, model, COUNT(*), SUM(status >= 400), SUM(prompt_tokens),"
      " SUM(completion_tokens), AVG(latency_us), MAX(latency_us), MIN(time_ms), MAX(time_ms)"
      " FROM usage WHERE time_ms >= ?1 GROUP BY key_name, model ORDER BY key_name, model");
  st.bind(1, since_ms);
  std::vector<usage_summary> out;
  while (st.step()) {
    usage_summary s;
    s.key_name = st.text(0);
    s.model = st.text(1);
    s.requests = st.integer(2);
    s.errors = st.integer(3);
    s.prompt_tokens = st.integer(4);
    s.completion_tokens = st.integer(5);
    s.mean_latency_ms = st.real(6) / 1000.0;
    s.max_latency_ms = static_cast<double>(st.integer(7)) / 1000.0;
    s.first_ms = st.integer(8);
    s.last_ms = st.integer(9);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<usage_row> usage_log::rows(std::int64_t since_ms) const {
  std::lock_guard lock(mutex_);
  auto st = db_->prepare(std::string("SELECT ") + k_columns +
                         " FROM usage WHERE time_ms >= ?1 ORDER BY time_ms, id");
  st.bind(1, since_ms);
  std::vector<usage_row> out;
  while (st.step()) out.push_back(read_row(st));
  return out;
}

}  // namespace hf::auth
