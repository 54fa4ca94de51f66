// Where the per-key budgets live: in this process (memory_rate_store, around rate_limiter) or in
// Redis, shared by every replica that points at it (redis_rate_store.hpp). admit() is awaited
// before a keyed request runs; charge() is synchronous (it may be called while the request is
// being cancelled) and a store that talks to a server applies it from its run() task.
//   memory_rate_store store;
//   admission a = co_await store.admit("app", {.rpm = 60});   ...   store.charge("app", lim, 93);
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/rate_limiter.hpp"
#include "runtime/task.hpp"

namespace hf::auth {

struct rate_store_status {
  std::string_view store;  // "memory" | "redis"
  bool shared = false;     // budgets are shared with other processes right now
  bool degraded = false;   // the shared store is unreachable: the local fallback decides
  std::string detail;      // the store's address or its last error
};

class rate_limit_store {
 public:
  virtual ~rate_limit_store() = default;
  // The request is admitted (its request taken) or refused. `unavailable` when the store is
  // unreachable and configured to fail closed.
  virtual rt::task<admission> admit(const std::string& key, const key_limits& limits) = 0;
  virtual void charge(const std::string& key, const key_limits& limits, std::int64_t tokens) = 0;
  // Background work (a shared store's pending charges and reconnects); returns when cancelled.
  virtual rt::task<void> run() = 0;
  virtual rate_store_status status() const = 0;
};

// The budgets of this process only, on the runtime's clock.
class memory_rate_store final : public rate_limit_store {
 public:
  rt::task<admission> admit(const std::string& key, const key_limits& limits) override;
  void charge(const std::string& key, const key_limits& limits, std::int64_t tokens) override;
  rt::task<void> run() override;
  rate_store_status status() const override { return {.store = "memory"}; }

 private:
  rate_limiter limiter_;
};

}  // namespace hf::auth
