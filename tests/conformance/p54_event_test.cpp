// Spec 10.10 (P-54 .. P-56): Event — wake-up of every waiter, wait() as a checkpoint, set before
// run, idempotent set.
#include "runtime/sync/event.hpp"

#include "conformance/harness.hpp"

namespace hf::rt::testing {
namespace {

class event_suite : public conformance {};

TEST_P(event_suite, P54_wait_returns_after_set_and_statistics_count_waiters) {
  run_virtual([]() -> task<void> {
    event ev;
    int woken = 0;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      for (std::size_t i = 1; i <= 2; ++i) {
        tg.start_soon([&]() -> task<void> {
          co_await ev.wait();
          EXPECT_TRUE(ev.is_set());
          ++woken;
        });
        co_await wait_all_tasks_blocked();
        EXPECT_EQ(ev.statistics().tasks_waiting, i);
      }
      EXPECT_FALSE(ev.is_set());
      ev.set();
      EXPECT_TRUE(ev.is_set());
      EXPECT_EQ(ev.statistics().tasks_waiting, 0u);
    });
    EXPECT_EQ(woken, 2);
    EXPECT_EQ(ev.statistics().tasks_waiting, 0u);
  });
}

TEST_P(event_suite, P55_wait_on_set_event_in_cancelled_task_raises) {
  run_virtual([]() -> task<void> {
    event ev;
    bool started = false, after_wait = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        started = true;
        co_await ev.wait();
        after_wait = true;
      });
      tg.cancel();
      ev.set();
      co_return;
    });
    EXPECT_TRUE(started);
    EXPECT_FALSE(after_wait);
  });
}

TEST_P(event_suite, P56_event_set_before_run_and_set_is_idempotent) {
  event ev;
  ev.set();
  ev.set();
  EXPECT_TRUE(ev.is_set());
  run_virtual([&]() -> task<void> {
    time_point t0 = current_time();
    co_await fail_after(1s, [&]() -> task<void> { co_await ev.wait(); });
    EXPECT_EQ(current_time(), t0);  // returned without blocking
    ev.set();                       // still idempotent inside the run
    co_await ev.wait();
    EXPECT_TRUE(ev.is_set());
    EXPECT_EQ(ev.statistics().tasks_waiting, 0u);
  });
}

TEST_P(event_suite, P56_wait_on_set_event_is_a_scheduling_point) {
  run_virtual([]() -> task<void> {
    event ev;
    ev.set();
    bool other_ran = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        other_ran = true;
        co_return;
      });
      co_await ev.wait();
      EXPECT_TRUE(other_ran);
    });
  });
}

HF_CONFORMANCE_SUITE(event_suite);
}  // namespace
}  // namespace hf::rt::testing
