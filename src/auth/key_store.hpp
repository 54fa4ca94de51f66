// API keys kept in SQLite (table api_keys): name, SHA-256 of the key, scope, allowed models,
// per-key limits, created / last-used times and a revoked flag. The key itself is returned once
// by create() and never stored. Safe to share between threads (one mutex around the connection)
// and between processes (SQLite's locking: `hfserve keys revoke` takes effect on a running
// server's next lookup).
//   key_store keys("hfserve.db");
//   std::string key = keys.create({.name = "ci", .scope = key_scope::inference});
//   if (auto rec = keys.find(presented_key)) ... rec->scope, rec->allows_model("gpt2") ...
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hf::auth {

class sqlite_db;

enum class key_scope { inference, admin };
std::string_view key_scope_name(key_scope s);  // "inference" | "admin"
std::optional<key_scope> parse_key_scope(std::string_view s);

struct key_spec {
  std::string name;
  key_scope scope = key_scope::inference;
  std::vector<std::string> models;  // empty: every model
  std::optional<std::int64_t> rpm;  // requests per minute
  std::optional<std::int64_t> tpm;  // tokens per minute
};

struct key_record {
  std::string name;
  key_scope scope = key_scope::inference;
  std::vector<std::string> models;
  std::optional<std::int64_t> rpm;
  std::optional<std::int64_t> tpm;
  std::int64_t created = 0;               // unix seconds
  std::optional<std::int64_t> last_used;  // unix seconds, updated at most once a minute
  bool revoked = false;

  bool allows_model(std::string_view model) const;
};

// A name already taken, a bad name or limit (the message says which).
class key_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

class key_store {
 public:
  // Opens (creating when needed) the database and its schema; sqlite_error when it cannot.
  explicit key_store(const std::filesystem::path& path);
  ~key_store();
  key_store(const key_store&) = delete;
  key_store& operator=(const key_store&) = delete;

  // Returns the new key. Names: 1-64 characters of [A-Za-z0-9._-]; limits >= 1.
  std::string create(const key_spec& spec);
  std::vector<key_record> list() const;  // by creation time
  // false when no key has that name; revoking twice is true both times.
  bool revoke(std::string_view name);
  // The key's record (revoked ones included: the caller tells "revoked" from "unknown"), and
  // records its use. Keys that do not look like ours are never looked up.
  std::optional<key_record> find(std::string_view key);
  // Keys not revoked: auth turns on by itself when there is one.
  std::size_t active_count() const;

 private:
  mutable std::mutex mutex_;
  std::unique_ptr<sqlite_db> db_;
};

}  // namespace hf::auth
