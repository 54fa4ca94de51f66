// The usage log: one row per answered request in the key database's `usage` table (time, key
// name, model, route, status, tokens in and out, latency, time to first token), and the summary
// `hfserve usage` prints. The prompt (the request body) is stored only when the server runs with
// --log-prompts. Safe to share between threads (one mutex around its own connection) and between
// processes (SQLite's locking): a running server appends while `hfserve usage` reads.
//   usage_log log("hfserve.db");
//   log.append(rows);                          // one transaction per batch
//   for (const auto& s : log.summarise(since_unix_ms)) ... s.key_name, s.model, s.requests ...
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hf::auth {

class sqlite_db;

struct usage_row {
  std::int64_t time_ms = 0;  // unix milliseconds when the answer ended
  std::string key_name;      // "" when the request carried no key (auth off, open route)
  std::string model;         // "" when the route names none
  std::string route;         // the route's pattern
  std::string method;
  int status = 0;
  std::string error_code;  // "" for a success
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t latency_us = 0;
  std::optional<std::int64_t> first_token_us;
  bool streamed = false;
  std::optional<std::string> prompt;  // the request body, with --log-prompts only
};

// Requests of one key on one model since a time.
struct usage_summary {
  std::string key_name;
  std::string model;
  std::int64_t requests = 0;
  std::int64_t errors = 0;  // status >= 400 (429 and 499 included)
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  double mean_latency_ms = 0;
  double max_latency_ms = 0;
  std::int64_t first_ms = 0;  // unix milliseconds of the first and last request
  std::int64_t last_ms = 0;
};

class usage_log {
 public:
  // Opens (creating when needed) the database and the table; sqlite_error when it cannot.
  explicit usage_log(const std::filesystem::path& path);
  ~usage_log();
  usage_log(const usage_log&) = delete;
  usage_log& operator=(const usage_log&) = delete;

  void append(std::span<const usage_row> rows);  // all or none (one transaction)
  // By key name, then model; requests with time_ms >= since_ms.
  std::vector<usage_summary> summarise(std::int64_t since_ms) const;
  // Every row with time_ms >= since_ms, oldest first (tests and exports).
  std::vector<usage_row> rows(std::int64_t since_ms) const;

 private:
  mutable std::mutex mutex_;
  std::unique_ptr<sqlite_db> db_;
};

}  // namespace hf::auth
