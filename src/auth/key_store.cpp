#include "auth/key_store.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "auth/api_key.hpp"
#include "auth/sqlite_db.hpp"

namespace hf::auth {
namespace {

constexpr std::int64_t k_last_used_resolution_s = 60;  // one write per key per minute at most

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Allowed models as one text column: names joined by '\n' (model ids never contain one).
std::string join_models(const std::vector<std::string>& models) {
  std::string out;
  for (const auto& m : models) out += (out.empty() ? "" : "\n") + m;
  return out;
}

std::vector<std::string> split_models(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

void check_spec(const key_spec& s) {
  const bool name_ok =
      !s.name.empty() && s.name.size() <= 64 &&
      std::all_of(s.name.begin(), s.name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
      });
  if (!name_ok) {
    throw key_error("key name '" + s.name + "': use 1-64 characters of A-Z a-z 0-9 . _ -");
  }
  for (const auto& m : s.models) {
    if (m.empty() || m.find('\n') != std::string::npos) {
      throw key_error("model names must be non-empty and on one line");
    }
  }
  if ((s.rpm && *s.rpm < 1) || (s.tpm && *s.tpm < 1)) throw key_error("limits must be >= 1");
}

constexpr const char* k_columns = "name, scope, models, rpm, tpm, created, last_used, revoked";

key_record read_record(const sqlite_statement& st) {
  key_record r;
  r.name = st.text(0);
  r.scope = parse_key_scope(st.text(1)).value_or(key_scope::inference);
  r.models = split_models(st.text(2));
  r.rpm = st.optional_integer(3);
  r.tpm = st.optional_integer(4);
  r.created = st.integer(5);
  r.last_used = st.optional_integer(6);
  r.revoked = st.integer(7) != 0;
  return r;
}

}  // namespace

std::string_view key_scope_name(key_scope s) {
  return s == key_scope::admin ? "admin" : "inference";
}

std::optional<key_scope> parse_key_scope(std::string_view s) {
  if (s == "inference") return key_scope::inference;
  if (s == "admin") return key_scope::admin;
  return std::nullopt;
}

bool key_record::allows_model(std::string_view model) const {
  return models.empty() || std::find(models.begin(), models.end(), model) != models.end();
}

key_store::key_store(const std::filesystem::path& path) : db_(std::make_unique<sqlite_db>(path)) {
  db_->exec(
      "CREATE TABLE IF NOT EXISTS api_keys ("
      " name TEXT PRIMARY KEY,"
      " hash TEXT NOT NULL UNIQUE,"
      " scope TEXT NOT NULL CHECK (scope IN ('inference', 'admin')),"
      " models TEXT NOT NULL DEFAULT '',"
      " rpm INTEGER, tpm INTEGER,"
      " created INTEGER NOT NULL,"
      " last_used INTEGER,"
      " revoked INTEGER NOT NULL DEFAULT 0)");
}

key_store::~key_store() = default;

std::string key_store::create(const key_spec& spec) {
  check_spec(spec);
  const std::string key = generate_api_key();
  std::lock_guard lock(mutex_);
  auto exists = db_->prepare("SELECT 1 FROM api_keys WHERE name = ?1");
  exists.bind(1, spec.name);
  if (exists.step()) throw key_error("a key named '" + spec.name + "' exists already");
  auto st = db_->prepare(
      "INSERT INTO api_keys (name, hash, scope, models, rpm, tpm, created) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  st.bind(1, spec.name);
  st.bind(2, hash_api_key(key));
  st.bind(3, key_scope_name(spec.scope));
  st.bind(4, join_models(spec.models));
  st.bind(5, spec.rpm);
  st.bind(6, spec.tpm);
  st.bind(7, unix_now());
  st.step();
  return key;
}

std::vector<key_record> key_store::list() const {
  std::lock_guard lock(mutex_);
  auto st =
      db_->prepare(std::string("SELECT ") + k_columns + " FROM api_keys ORDER BY created, rowid");
  std::vector<key_record> out;
  while (st.step()) out.push_back(read_record(st));
  return out;
}

bool key_store::revoke(std::string_view name) {
  std::lock_guard lock(mutex_);
  auto st = db_->prepare("UPDATE api_keys SET revoked = 1 WHERE name = ?1");
  st.bind(1, name);
  st.step();
  return db_->changes() > 0;
}

std::optional<key_record> key_store::find(std::string_view key) {
  if (!looks_like_api_key(key)) return std::nullopt;
  const std::string digest = hash_api_key(key);
  std::lock_guard lock(mutex_);
  auto st =
      db_->prepare(std::string("SELECT ") + k_columns + ", hash FROM api_keys WHERE hash = ?1");
  st.bind(1, digest);
  if (!st.step()) return std::nullopt;
  // The index found the row; compare the digests once more in constant time so that the
  // decision itself does not depend on where two digests first differ.
  if (!equal_constant_time(st.text(8), digest)) return std::nullopt;
  key_record r = read_record(st);
  const std::int64_t now = unix_now();
  if (!r.revoked && (!r.last_used || now - *r.last_used >= k_last_used_resolution_s)) {
    auto touch = db_->prepare("UPDATE api_keys SET last_used = ?1 WHERE name = ?2");
    touch.bind(1, now);
    touch.bind(2, r.name);
    touch.step();
    r.last_used = now;
  }
  return r;
}

std::size_t key_store::active_count() const {
  std::lock_guard lock(mutex_);
  auto st = db_->prepare("SELECT COUNT(*) FROM api_keys WHERE revoked = 0");
  st.step();
  return static_cast<std::size_t>(st.integer(0));
}

}  // namespace hf::auth
