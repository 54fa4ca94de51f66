#include "auth/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace hf::auth {
namespace {

using namespace std::chrono_literals;
constexpr double k_window_seconds = 60.0;

// Brings a bucket of `capacity` per minute up to `now`: a fresh bucket starts full.
void refill(auto& b, double capacity, limiter_clock::time_point now) {
  if (!b.started) {
    b = {.level = capacity, .at = now, .started = true};
    return;
  }
  if (now <= b.at) return;
  const double elapsed = std::chrono::duration<double>(now - b.at).count();
  b.level = std::min(capacity, b.level + elapsed * capacity / k_window_seconds);
  b.at = now;
}

// Time until the bucket holds `level` (0 when it already does).
limiter_clock::duration time_until(const auto& b, double capacity, double level) {
  if (b.level >= level || capacity <= 0) return limiter_clock::duration::zero();
  const double seconds = (level - b.level) * k_window_seconds / capacity;
  return std::chrono::ceil<limiter_clock::duration>(std::chrono::duration<double>(seconds));
}

quota describe(const auto& b, std::int64_t capacity) {
  const auto cap = static_cast<double>(capacity);
  return {.limit = capacity,
          .remaining = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::floor(b.level))),
          .reset = time_until(b, cap, cap)};
}

}  // namespace

admission rate_limiter::admit(const std::string& key, const key_limits& limits,
                              limiter_clock::time_point now) {
  admission a;
  if (!limits.any()) return a;
  key_buckets& k = keys_[key];
  if (limits.rpm) refill(k.requests, static_cast<double>(*limits.rpm), now);
  if (limits.tpm) refill(k.tokens, static_cast<double>(*limits.tpm), now);
  // A key with a limit of 0 is never admitted; it waits for no refill (there is none).
  if (limits.rpm && k.requests.level < 1) {
    a.allowed = false;
    a.exceeded = "requests";
    a.retry_after = *limits.rpm > 0 ? time_until(k.requests, static_cast<double>(*limits.rpm), 1)
                                    : std::chrono::duration_cast<limiter_clock::duration>(60s);
  } else if (limits.tpm && k.tokens.level <= 0) {
    a.allowed = false;
    a.exceeded = "tokens";
    // Admission needs a positive balance: wait until at least one token is back.
    a.retry_after = *limits.tpm > 0 ? time_until(k.tokens, static_cast<double>(*limits.tpm),
                                                 std::min(1.0, static_cast<double>(*limits.tpm)))
                                    : std::chrono::duration_cast<limiter_clock::duration>(60s);
  }
  if (a.allowed && limits.rpm) k.requests.level -= 1;
  if (!a.allowed) ++rejections_;
  if (limits.rpm) a.requests = describe(k.requests, *limits.rpm);
  if (limits.tpm) a.tokens = describe(k.tokens, *limits.tpm);
  return a;
}

void rate_limiter::charge_tokens(const std::string& key, const key_limits& limits,
                                 std::int64_t tokens, limiter_clock::time_point now) {
  if (!limits.tpm || tokens <= 0) return;
  bucket& b = keys_[key].tokens;
  refill(b, static_cast<double>(*limits.tpm), now);
  b.level -= static_cast<double>(tokens);
}

std::string reset_text(limiter_clock::duration d) {
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(d).count();
  if (ms < 1000) return std::to_string(ms) + "ms";
  const auto whole_seconds = ms / 1000;
  const auto rest_ms = ms % 1000;
  std::string seconds = std::to_string(whole_seconds % 60);
  if (rest_ms != 0) {
    std::string frac = std::to_string(1000 + rest_ms).substr(1);  // 3 digits, leading zeros
    while (frac.back() == '0') frac.pop_back();
    seconds += "." + frac;
  }
  if (whole_seconds < 60) return seconds + "s";
  return std::to_string(whole_seconds / 60) + "m" + seconds + "s";
}

}  // namespace hf::auth
