// Spec 10.8 (P-40 .. P-48): move_on_after / move_on_at / fail_after / fail_at and deadlines.
#include "conformance/harness.hpp"

namespace hf::rt::testing {
namespace {

class deadlines : public conformance {};

TEST_P(deadlines, P40_move_on_after_zero_and_positive) {
  run_virtual([]() -> task<void> {
    for (duration d : {duration::zero(), duration(100ms)}) {
      auto sc = cancel_scope::move_on_after(d);
      bool after = false;
      co_await sc.run([&]() -> task<void> {
        co_await sleep(1s);
        after = true;
      });
      EXPECT_FALSE(after);
      EXPECT_TRUE(sc.cancel_called());
      EXPECT_TRUE(sc.cancelled_caught());
    }
  });
}

TEST_P(deadlines, P41_no_timeout_means_infinite_deadline) {
  run_virtual([]() -> task<void> {
    std::vector<cancel_scope> scopes = {
        cancel_scope::move_on_after(duration::max()), cancel_scope::move_on_at(no_deadline),
        cancel_scope::fail_after(duration::max()), cancel_scope::fail_at(no_deadline),
        cancel_scope()};
    for (auto& sc : scopes) {
      EXPECT_EQ(sc.deadline(), no_deadline);
      bool done = false;
      co_await sc.run([&]() -> task<void> {
        co_await sleep(100ms);
        done = true;
      });
      EXPECT_TRUE(done);
      EXPECT_FALSE(sc.cancel_called());
      EXPECT_FALSE(sc.cancelled_caught());
    }
  });
}

TEST_P(deadlines, P42_absolute_forms_behave_like_relative_ones) {
  run_virtual([]() -> task<void> {
    for (duration d : {duration::zero(), duration(100ms)}) {
      auto mo = cancel_scope::move_on_at(current_time() + d);
      bool after = false;
      co_await mo.run([&]() -> task<void> {
        co_await sleep(1s);
        after = true;
      });
      EXPECT_FALSE(after);
      EXPECT_TRUE(mo.cancelled_caught());
      bool timed_out = false;
      try {
        co_await fail_at(current_time() + d, []() -> task<void> { co_await sleep(1s); });
      } catch (const timeout_error&) {
        timed_out = true;
      }
      EXPECT_TRUE(timed_out);
    }
  });
}

TEST_P(deadlines, P43_fail_after_raises_timeout_and_body_sees_deadline_message) {
  run_virtual([]() -> task<void> {
    for (duration d : {duration::zero(), duration(100ms)}) {
      auto sc = cancel_scope::fail_after(d);
      std::string body_message;
      bool timed_out = false;
      try {
        co_await sc.run([&]() -> task<void> {
          try {
            co_await sleep(1s);
          } catch (const cancelled& c) {
            body_message = c.message();
            throw;
          }
        });
      } catch (const timeout_error&) {
        timed_out = true;
      }
      EXPECT_TRUE(timed_out);
      EXPECT_NE(body_message.find("deadline"), std::string::npos) << body_message;
      EXPECT_TRUE(sc.cancel_called());
      EXPECT_TRUE(sc.cancelled_caught());
    }
  });
}

TEST_P(deadlines, P44_fail_after_reason_is_the_message) {
  run_virtual([]() -> task<void> {
    for (int absolute = 0; absolute < 2; ++absolute) {
      std::string message;
      try {
        if (absolute) {
          co_await fail_at(current_time(), []() -> task<void> { co_await sleep(1s); }, "oopsies");
        } else {
          co_await fail_after(0s, []() -> task<void> { co_await sleep(1s); }, "oopsies");
        }
      } catch (const timeout_error& e) {
        message = e.what();
      }
      EXPECT_EQ(message, "oopsies");
    }
  });
}

TEST_P(deadlines, P45_fail_after_works_after_an_absorbed_cancellation) {
  run_virtual([]() -> task<void> {
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.cancel();
      co_await sleep_forever();
    });
    bool after = false, timed_out = false;
    try {
      co_await fail_after(100ms, [&]() -> task<void> {
        co_await sleep(500ms);
        after = true;
      });
    } catch (const timeout_error&) {
      timed_out = true;
    }
    EXPECT_TRUE(timed_out);
    EXPECT_FALSE(after);
  });
}

TEST_P(deadlines, P46_deadline_in_the_past_cancels_at_first_checkpoint) {
  run_virtual([]() -> task<void> {
    for (duration d : {duration::zero(), duration(-1s)}) {
      bool after = false;
      co_await move_on_after(d, [&]() -> task<void> {
        co_await checkpoint();
        after = true;
      });
      EXPECT_FALSE(after);
    }
  });
}

TEST_P(deadlines, P47_moving_the_deadline_later_prevents_timeout) {
  run_virtual([]() -> task<void> {
    auto sc = cancel_scope::fail_after(100ms);
    bool done = false;
    co_await sc.run([&]() -> task<void> {
      sc.set_deadline(sc.deadline() + 300ms);
      co_await sleep(200ms);
      done = true;
    });
    EXPECT_TRUE(done);
    EXPECT_FALSE(sc.cancel_called());
    // Moving it into the past cancels at once (D-5).
    auto sc2 = cancel_scope::move_on_after(10s);
    bool after = false;
    co_await sc2.run([&]() -> task<void> {
      sc2.set_deadline(current_time() - 1s);
      co_await checkpoint();
      after = true;
    });
    EXPECT_FALSE(after);
    EXPECT_TRUE(sc2.cancelled_caught());
  });
}

TEST_P(deadlines, P48_current_effective_deadline) {
  run_virtual([]() -> task<void> {
    EXPECT_EQ(current_effective_deadline(), no_deadline);
    auto outer = cancel_scope::move_on_after(100ms);
    co_await outer.run([&]() -> task<void> {
      EXPECT_EQ(current_effective_deadline(), outer.deadline());
      co_await move_on_after(1s, [&]() -> task<void> {
        EXPECT_EQ(current_effective_deadline(), outer.deadline());
        co_return;
      });
      outer.cancel();
      EXPECT_EQ(current_effective_deadline(), past_deadline);
      co_return;
    });
  });
}

TEST_P(deadlines, D4_sleep_never_returns_early) {
  run_virtual([]() -> task<void> {
    for (auto d : {duration(1ms), duration(250ms), duration(3s)}) {
      time_point t0 = current_time();
      co_await sleep(d);
      EXPECT_GE(current_time() - t0, d);
    }
  });
}

HF_CONFORMANCE_SUITE(deadlines);
}  // namespace
}  // namespace hf::rt::testing
