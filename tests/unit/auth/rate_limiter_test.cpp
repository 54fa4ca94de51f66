// Per-key request and token budgets: bursts up to a minute's allowance, continuous refill,
// token debt paid back before the next admission, exact Retry-After times, and the reset text of
// OpenAI's x-ratelimit-reset-* headers. Time is passed in, so every figure is exact.
#include "auth/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace hf::auth {
namespace {

using namespace std::chrono_literals;
const limiter_clock::time_point t0{};

// The quotas an admission reports (limit -1: none reported; the tests check presence first).
quota requests_of(const admission& a) {
  return a.requests.value_or(quota{.limit = -1, .remaining = -1});
}
quota tokens_of(const admission& a) {
  return a.tokens.value_or(quota{.limit = -1, .remaining = -1});
}

TEST(rate_limiter, a_key_bursts_its_minute_of_requests_then_waits_for_the_refill) {
  rate_limiter limits;
  const key_limits rpm3{.rpm = 3};
  for (std::int64_t left = 2; left >= 0; --left) {
    const admission a = limits.admit("app", rpm3, t0);
    ASSERT_TRUE(a.allowed);
    ASSERT_TRUE(a.requests);
    EXPECT_EQ(requests_of(a).limit, 3);
    EXPECT_EQ(requests_of(a).remaining, left);
    EXPECT_FALSE(a.tokens);
  }
  const admission refused = limits.admit("app", rpm3, t0 + 5s);
  EXPECT_FALSE(refused.allowed);
  EXPECT_STREQ(refused.exceeded, "requests");
  // 3 per minute = one every 20 s; 5 s of it are already back.
  EXPECT_EQ(refused.retry_after, 15s);
  EXPECT_FALSE(limits.admit("app", rpm3, t0 + 20s - 1ns).allowed);
  const admission again = limits.admit("app", rpm3, t0 + 20s);
  EXPECT_TRUE(again.allowed);
  EXPECT_EQ(requests_of(again).remaining, 0);
  EXPECT_EQ(requests_of(again).reset, 60s);  // empty again: a full minute until full
}

TEST(rate_limiter, tokens_are_charged_after_the_answer_and_a_debt_is_paid_back_first) {
  rate_limiter limits;
  const key_limits tpm120{.tpm = 120};
  const admission first = limits.admit("app", tpm120, t0);
  ASSERT_TRUE(first.allowed);
  EXPECT_EQ(tokens_of(first).remaining, 120);
  EXPECT_EQ(tokens_of(first).reset, 0s);
  limits.charge_tokens("app", tpm120, 179, t0);  // more than the budget: 59 in debt
  const admission refused = limits.admit("app", tpm120, t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_STREQ(refused.exceeded, "tokens");
  EXPECT_EQ(tokens_of(refused).remaining, 0);
  EXPECT_EQ(refused.retry_after, 30s);           // 60 tokens back at 2 per second
  EXPECT_EQ(tokens_of(refused).reset, 89500ms);  // 179 tokens at 2 per second
  EXPECT_TRUE(limits.admit("app", tpm120, t0 + 30s).allowed);
}

TEST(rate_limiter, a_refused_request_takes_nothing_and_keys_are_independent) {
  rate_limiter limits;
  const key_limits both{.rpm = 2, .tpm = 10};
  ASSERT_TRUE(limits.admit("a", both, t0).allowed);
  limits.charge_tokens("a", both, 10, t0);
  EXPECT_FALSE(limits.admit("a", both, t0).allowed);         // tokens spent: refused ...
  const admission after = limits.admit("a", both, t0 + 6s);  // 1 token back
  ASSERT_TRUE(after.allowed);
  EXPECT_EQ(requests_of(after).remaining, 0);  // ... without taking its request
  const admission other = limits.admit("b", both, t0);
  EXPECT_TRUE(other.allowed);
  EXPECT_EQ(requests_of(other).remaining, 1);
  EXPECT_EQ(tokens_of(other).remaining, 10);
}

TEST(rate_limiter, no_limits_admit_everything_and_a_zero_limit_nothing) {
  rate_limiter limits;
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limits.admit("free", {}, t0).allowed);
  const admission a = limits.admit("free", {}, t0);
  EXPECT_FALSE(a.requests);
  EXPECT_FALSE(a.tokens);
  const admission zero = limits.admit("off", {.rpm = 0}, t0 + 1h);
  EXPECT_FALSE(zero.allowed);
  EXPECT_EQ(zero.retry_after, 60s);
  limits.charge_tokens("free", {}, 1'000'000, t0);  // no tpm: nothing to charge
  EXPECT_TRUE(limits.admit("free", {}, t0).allowed);
}

TEST(rate_limiter, reset_text_reads_like_openais_headers) {
  EXPECT_EQ(reset_text(0s), "0ms");
  EXPECT_EQ(reset_text(250ms), "250ms");
  EXPECT_EQ(reset_text(1s), "1s");
  EXPECT_EQ(reset_text(1500ms), "1.5s");
  EXPECT_EQ(reset_text(20s + 1ns), "20.001s");  // rounded up, never early
  EXPECT_EQ(reset_text(60s), "1m0s");
  EXPECT_EQ(reset_text(6min + 1250ms), "6m1.25s");
}

}  // namespace
}  // namespace hf::auth
