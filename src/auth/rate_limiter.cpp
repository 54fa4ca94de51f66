#include "auth/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace hf::auth {
namespace {

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

// Time until a bucket at `from` holds `level` (0 when it already does). A zero limit never
// refills, so its caller is told to come back after a whole window rather than at once.
limiter_clock::duration time_until(double from, double capacity, double level) {
  if (capacity <= 0) {
    return std::chrono::duration_cast<limiter_clock::duration>(
        std::chrono::duration<double>(k_window_seconds));
  }
  if (from >= level) return limiter_clock::duration::zero();
  const double seconds = (level - from) * k_window_seconds / capacity;
  return std::chrono::ceil<limiter_clock::duration>(std::chrono::duration<double>(seconds));
}

quota describe(double level, std::int64_t capacity) {
  const auto cap = static_cast<double>(capacity);
  return {.limit = capacity,
          .remaining = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::floor(level))),
          .reset = time_until(level, cap, cap)};
}

}  // namespace

admission_verdict judge(const key_limits& limits, double requests_level, double tokens_level) {
  if (limits.rpm && requests_level < 1) return admission_verdict::over_requests;
  // Admission needs a positive token balance: a key in debt waits until it is paid back.
  if (limits.tpm && tokens_level <= 0) return admission_verdict::over_tokens;
  return admission_verdict::allowed;
}

admission make_admission(const key_limits& limits, admission_verdict verdict, double requests_level,
                         double tokens_level) {
  admission a;
  if (limits.rpm) a.requests = describe(requests_level, *limits.rpm);
  if (limits.tpm) a.tokens = describe(tokens_level, *limits.tpm);
  if (verdict == admission_verdict::over_requests) {
    a.allowed = false;
    a.exceeded = "requests";
    a.retry_after = time_until(requests_level, static_cast<double>(limits.rpm.value_or(0)), 1);
  } else if (verdict == admission_verdict::over_tokens) {
    const auto tpm = static_cast<double>(limits.tpm.value_or(0));
    a.allowed = false;
    a.exceeded = "tokens";
    a.retry_after = time_until(tokens_level, tpm, std::min(1.0, tpm));
  }
  return a;
}

admission rate_limiter::admit(const std::string& key, const key_limits& limits,
                              limiter_clock::time_point now) {
  if (!limits.any()) return {};
  key_buckets& k = keys_[key];
  if (limits.rpm) refill(k.requests, static_cast<double>(*limits.rpm), now);
  if (limits.tpm) refill(k.tokens, static_cast<double>(*limits.tpm), now);
  const admission_verdict verdict = judge(limits, k.requests.level, k.tokens.level);
  if (verdict == admission_verdict::allowed && limits.rpm) k.requests.level -= 1;
  return make_admission(limits, verdict, k.requests.level, k.tokens.level);
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
