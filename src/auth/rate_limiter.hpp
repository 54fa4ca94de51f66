// Per-key request and token budgets (a key's --rpm and --tpm), as token buckets: each holds up to
// one minute's allowance and refills continuously at allowance/60 s, so a key may burst its whole
// minute and then runs at its rate. A request is admitted when its key's request bucket holds one
// request and its token bucket is not in debt; admitting takes the request. Tokens are charged
// after the answer, with what the request really used (prompt + completion), and may drive the
// bucket into debt: the key then waits until the debt is paid back. Time is passed in, so tests
// drive it exactly; callers use the runtime's clock. Used from the event-loop thread only.
//   rate_limiter limits;
//   auto d = limits.admit("app", {.rpm = 60, .tpm = 20000}, rt::current_time());
//   if (!d.allowed) -> 429 with Retry-After: d.retry_after;  ... limits.charge_tokens("app", lim,
//   n, now);
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace hf::auth {

using limiter_clock = std::chrono::steady_clock;

struct key_limits {
  std::optional<std::int64_t> rpm;  // requests per minute; none: unlimited
  std::optional<std::int64_t> tpm;  // tokens per minute; none: unlimited
  bool any() const { return rpm || tpm; }
};

// One budget as OpenAI's x-ratelimit-* headers describe it.
struct quota {
  std::int64_t limit = 0;           // per minute
  std::int64_t remaining = 0;       // whole units left now (0 while in debt)
  limiter_clock::duration reset{};  // until the bucket is full again
};

struct admission {
  bool allowed = true;
  std::optional<quota> requests;  // set when the key has an rpm
  std::optional<quota> tokens;    // set when the key has a tpm
  // When refused: "requests" or "tokens", and how long until a retry can be admitted.
  const char* exceeded = nullptr;
  limiter_clock::duration retry_after{};
  // Refused because the shared store is unreachable and the server fails closed (503).
  bool unavailable = false;
};

class rate_limiter {
 public:
  admission admit(const std::string& key, const key_limits& limits, limiter_clock::time_point now);
  void charge_tokens(const std::string& key, const key_limits& limits, std::int64_t tokens,
                     limiter_clock::time_point now);

 private:
  struct bucket {
    double level = 0;  // units available; negative: debt
    limiter_clock::time_point at{};
    bool started = false;
  };
  struct key_buckets {
    bucket requests, tokens;
  };
  std::unordered_map<std::string, key_buckets> keys_;
};

// The admission rule and its answer, shared with the Redis store (which keeps the same buckets
// in Redis): a request needs one request in its bucket and a positive token balance. Levels are
// the buckets' contents after refilling and, when allowed, after taking the request.
enum class admission_verdict { allowed, over_requests, over_tokens };
admission_verdict judge(const key_limits& limits, double requests_level, double tokens_level);
admission make_admission(const key_limits& limits, admission_verdict verdict, double requests_level,
                         double tokens_level);

// "1s", "6m0s", "250ms": the duration format of OpenAI's x-ratelimit-reset-* headers.
std::string reset_text(limiter_clock::duration d);

}  // namespace hf::auth
