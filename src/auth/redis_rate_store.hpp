// Per-key budgets kept in Redis, so that every hfserve process pointed at the same Redis shares
// one budget per key (--rate-limit-store redis://HOST:PORT). The buckets are the same token
// buckets as rate_limiter's, held in two Redis hashes per key and updated by one Lua script that
// reads Redis's own clock (TIME), so replicas with different clocks agree and each admission is
// atomic. Every call is bounded by `timeout`. While Redis cannot be reached, admissions go to a
// local rate_limiter (fail open: serving goes on, budgets are per process) or are refused as
// unavailable (fail closed); a reconnect is tried at most every `retry_every`. on_change reports
// each switch between shared and degraded, for the log.
//   redis_rate_store store({.address = *parse_redis_url("redis://127.0.0.1:6379")});
//   tg.start_soon([&] { return store.run(); });      // applies charges in the background
//   admission a = co_await store.admit("app", limits);
#pragma once
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/rate_limit_store.hpp"
#include "auth/redis_connection.hpp"
#include "runtime/clock.hpp"
#include "runtime/streams/memory_stream.hpp"
#include "runtime/sync/lock.hpp"

namespace hf::auth {

struct redis_store_options {
  redis_address address;
  bool fail_closed = false;
  rt::duration timeout = std::chrono::milliseconds(250);
  rt::duration retry_every = std::chrono::seconds(1);
  std::string key_prefix = "hfserve:rl:";
  // (shared, detail): shared false = Redis unreachable, detail = why.
  std::function<void(bool, const std::string&)> on_change;
};

class redis_rate_store final : public rate_limit_store {
 public:
  explicit redis_rate_store(redis_store_options options);

  rt::task<admission> admit(const std::string& key, const key_limits& limits) override;
  void charge(const std::string& key, const key_limits& limits, std::int64_t tokens) override;
  rt::task<void> run() override;
  rate_store_status status() const override;

 private:
  struct pending_charge {
    std::string key;
    key_limits limits;
    std::int64_t tokens = 0;
  };
  // The script's reply, or nullopt when Redis could not answer (the caller falls back).
  rt::task<std::optional<redis_reply>> run_script(const std::string& key,
                                                  std::vector<std::string> args);
  rt::task<redis_reply> evaluate(const std::vector<std::string>& keys_and_args);
  void mark(bool shared, const std::string& detail);

  redis_store_options options_;
  rate_limiter local_;  // the fallback while Redis is unreachable
  std::optional<redis_connection> conn_;
  rt::lock lock_;  // one command at a time on the connection
  std::string script_sha_;
  rt::time_point next_attempt_{};
  bool shared_ = false;
  bool tried_ = false;
  std::string detail_;
  rt::send_stream<pending_charge> charges_tx_;
  rt::receive_stream<pending_charge> charges_rx_;
};

}  // namespace hf::auth
