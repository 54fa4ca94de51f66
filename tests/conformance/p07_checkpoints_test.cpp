// Spec 10.2 (P-7 .. P-9): checkpoint, cancel_shielded_checkpoint, level-triggered cancellation.
#include "conformance/harness.hpp"

namespace hf::rt::testing {
namespace {

class checkpoints : public conformance {};

TEST_P(checkpoints, P07_checkpoint_lets_sibling_run_first) {
  run_virtual([]() -> task<void> {
    bool a_done = false;
    bool a_done_seen_by_b = true;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        co_await checkpoint();
        a_done = true;
      });
      tg.start_soon([&]() -> task<void> {
        a_done_seen_by_b = a_done;
        co_return;
      });
      co_return;
    });
    // Under lifo B may run before A; either way B runs before A gets past its checkpoint.
    EXPECT_FALSE(a_done_seen_by_b);
    EXPECT_TRUE(a_done);
  });
}

TEST_P(checkpoints, P07_cancelled_group_checkpoint_raises_but_siblings_still_run) {
  run_virtual([]() -> task<void> {
    bool a_done = false, b_ran = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        co_await checkpoint();
        a_done = true;
      });
      tg.start_soon([&]() -> task<void> {
        b_ran = true;
        co_return;
      });
      tg.cancel();
      co_return;
    });
    EXPECT_FALSE(a_done);
    EXPECT_TRUE(b_ran);
  });
}

TEST_P(checkpoints, P08_cancel_shielded_checkpoint_schedules_but_never_raises) {
  run_virtual([]() -> task<void> {
    bool a_done = false;
    bool seen_by_b = true;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        co_await cancel_shielded_checkpoint();
        a_done = true;
      });
      tg.start_soon([&]() -> task<void> {
        seen_by_b = a_done;
        co_return;
      });
      tg.cancel();
      co_return;
    });
    EXPECT_FALSE(seen_by_b);
    EXPECT_TRUE(a_done);
  });
}

TEST_P(checkpoints, P09_cancellation_is_level_triggered) {
  run_virtual([]() -> task<void> {
    cancel_scope sc;
    int raised = 0;
    co_await sc.run([&]() -> task<void> {
      sc.cancel();
      for (int i = 0; i < 5; ++i) {
        try {
          co_await checkpoint();
        } catch (const cancelled&) {
          ++raised;
        }
      }
      co_await checkpoint();  // still raises: nothing was consumed
      ADD_FAILURE() << "not reached";
    });
    EXPECT_EQ(raised, 5);
    EXPECT_TRUE(sc.cancelled_caught());
  });
}

HF_CONFORMANCE_SUITE(checkpoints);
}  // namespace
}  // namespace hf::rt::testing
