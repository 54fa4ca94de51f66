#include "serving/cache/circuit_breaker.hpp"

#include <gtest/gtest.h>

namespace hf::serving {
namespace {

using namespace std::chrono_literals;

const rt::time_point t0 = rt::time_point{} + 1000s;

circuit_breaker three_in_ten_seconds() {
  return circuit_breaker({.failures = 3, .window = 10s, .cooldown = 30s, .probes = 1});
}

TEST(circuit_breaker, failures_spread_wider_than_the_window_never_open_it) {
  circuit_breaker b = three_in_ten_seconds();
  b.on_failure(t0, "a");
  b.on_failure(t0 + 6s, "b");
  b.on_failure(t0 + 11s, "c");  // the first is 11 s old: two in the window
  EXPECT_EQ(b.report(t0 + 11s).state, breaker_state::closed);
  EXPECT_EQ(b.report(t0 + 11s).recent_failures, 2u);
  EXPECT_TRUE(b.admit(t0 + 11s).allowed);
  EXPECT_FALSE(b.admit(t0 + 11s).probe);
  EXPECT_EQ(b.report(t0 + 11s).failures, 3u);
  EXPECT_EQ(b.report(t0 + 11s).last_error, "c");
}

TEST(circuit_breaker, walks_closed_open_half_open_open_half_open_closed) {
  circuit_breaker b = three_in_ten_seconds();
  for (int i = 0; i < 3; ++i) b.on_failure(t0 + std::chrono::seconds(i), "weights unreadable");
  // Closed -> open at the third failure (t0 + 2 s): refused for the whole cooldown.
  EXPECT_EQ(b.report(t0 + 2s).state, breaker_state::open);
  circuit_breaker::admission a = b.admit(t0 + 12s);
  EXPECT_FALSE(a.allowed);
  EXPECT_EQ(a.retry_after, 20s);
  EXPECT_EQ(b.report(t0 + 12s).retry_after, 20s);

  // Open -> half open at the end of the cooldown: one probe goes through, the next waits.
  EXPECT_EQ(b.report(t0 + 32s).state, breaker_state::half_open);
  circuit_breaker::admission probe = b.admit(t0 + 32s);
  EXPECT_TRUE(probe.allowed);
  EXPECT_TRUE(probe.probe);
  circuit_breaker::admission second = b.admit(t0 + 32s);
  EXPECT_FALSE(second.allowed);
  EXPECT_EQ(second.retry_after, 1s);

  // The probe fails: open again for another cooldown.
  b.on_failure(t0 + 33s, "still unreadable");
  b.end_probe();
  EXPECT_EQ(b.report(t0 + 33s).state, breaker_state::open);
  EXPECT_FALSE(b.admit(t0 + 62s).allowed);
  EXPECT_EQ(b.report(t0 + 33s).opened, 2u);

  // Half open again; this probe works: closed, and requests are no longer probes.
  probe = b.admit(t0 + 63s);
  ASSERT_TRUE(probe.allowed);
  EXPECT_TRUE(probe.probe);
  b.on_success();
  b.end_probe();
  const breaker_report r = b.report(t0 + 63s);
  EXPECT_EQ(r.state, breaker_state::closed);
  EXPECT_EQ(r.recent_failures, 0u);
  EXPECT_EQ(r.closed_again, 1u);
  EXPECT_EQ(r.rejected, 3u);
  EXPECT_EQ(r.failures, 4u);
  circuit_breaker::admission after = b.admit(t0 + 63s);
  EXPECT_TRUE(after.allowed);
  EXPECT_FALSE(after.probe);
  // Its old failures are forgotten: it takes three new ones to open it again.
  b.on_failure(t0 + 64s, "x");
  b.on_failure(t0 + 65s, "x");
  EXPECT_EQ(b.report(t0 + 65s).state, breaker_state::closed);
}

TEST(circuit_breaker, a_probe_that_ends_without_an_outcome_frees_its_slot) {
  circuit_breaker b = three_in_ten_seconds();
  for (int i = 0; i < 3; ++i) b.on_failure(t0, "e");
  ASSERT_TRUE(b.admit(t0 + 30s).probe);
  EXPECT_FALSE(b.admit(t0 + 30s).allowed);
  b.end_probe();  // e.g. the probe was a bad request that never reached the model
  EXPECT_TRUE(b.admit(t0 + 30s).probe);
  EXPECT_EQ(b.report(t0 + 30s).state, breaker_state::half_open);
}

TEST(circuit_breaker, zero_failures_means_it_never_opens) {
  circuit_breaker b({.failures = 0});
  for (int i = 0; i < 100; ++i) b.on_failure(t0, "e");
  EXPECT_EQ(b.report(t0).state, breaker_state::closed);
  EXPECT_TRUE(b.admit(t0).allowed);
  EXPECT_EQ(b.report(t0).failures, 100u);
}

}  // namespace
}  // namespace hf::serving
